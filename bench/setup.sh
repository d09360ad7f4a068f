# What the bench scripts set up alike, sourced (". bench/setup.sh") from the
# top of the tree: where the tree and the build are, the C drivers built
# against the build's libraries, a gallery user. bench/timing.sh holds how
# they then time.

# bench_dirs [BUILD_DIR]: sets top (the tree, the current folder) and build
# (BUILD_DIR or "build", made absolute) for a script run from the top.
bench_dirs() {
	top=$(pwd)
	build=${1:-build}
	case $build in /*) ;; *) build="$top/$build" ;; esac
}

# bench_cc OUT SOURCE "PKG..." [TUI_LIB]: the driver SOURCE (a path from the
# top) and bench/timing.c built into OUT against $build/libpgal.a, with the
# pkg-config packages PKG (what the driver's part of libpgal.a needs, and
# no more: every library linked is loaded on each run of the driver); with
# TUI_LIB (a libpgaltui.a) also against the TUI, its headers and a pty.
bench_cc() {
	_out=$1 _src=$2 _pkgs=$3 _tui=${4:-}
	mkdir -p "$(dirname "$_out")"
	# shellcheck disable=SC2046,SC2086 # the flags are lists
	cc -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
		-I"$top/core" ${_tui:+-I"$top/tui"} $(pkg-config --cflags $_pkgs) \
		-o "$_out" "$top/$_src" "$top/bench/timing.c" ${_tui:+"$_tui"} "$build/libpgal.a" \
		$(pkg-config --libs $_pkgs) -lm ${_tui:+-lutil -lpthread}
}

# bench_user PGAL NAME PASSWORD: NAME signed up with $PGAL_HOME's gallery,
# confirmed with the code mailed to its outbox, and logged in (the session
# saved where the CLI keeps it).
bench_user() {
	PGAL_PASSWORD=$3 "$1" signup "$2" "$2@example.org" > /dev/null || return 1
	_mail=$(ls -t "$PGAL_HOME"/outbox/*.eml | head -n 1) || return 1
	# RFC 5322 lines end in CRLF
	_code=$(tr -d '\r' < "$_mail" | grep -E '^[A-Z2-9]{10}$' | tail -n 1) || return 1
	"$1" confirm "$2" "$_code" > /dev/null &&
	    PGAL_PASSWORD=$3 "$1" login "$2" > /dev/null
}
