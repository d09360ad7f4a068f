#!/bin/sh
# Installs the Debian packages a make target needs, if any is missing:
#   sh tools/deps.sh program   what pgal builds and runs with (make run,
#                              make serve, make install): tools/deps/program.txt
#   sh tools/deps.sh test      that and what the tests need (make test,
#                              bench, fuzz, soak): tools/deps/test.txt too
#   sh tools/deps.sh --list SET   prints the packages of a set, one a line
# Runs as root on a fresh Debian bookworm machine; quiet when all is there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# the packages of a list file: comments and blank lines left out
list() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$here/deps/$1.txt"
}

set_of() {
	case $1 in
	program) list program ;;
	test) list program; list test ;;
	*) echo "usage: sh tools/deps.sh program|test|--list program|test" >&2; exit 1 ;;
	esac
}

if [ "${1:-}" = --list ]; then
	set_of "${2:-}"
	exit 0
fi
set=${1:-program}
PKGS=$(set_of "$set")
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm comes with the machine's Node.js; Debian's npm package would fight it
if [ "$set" = test ]; then
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
[ -z "$missing" ] && exit 0
echo "installing missing packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "error: packages missing and not root; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
