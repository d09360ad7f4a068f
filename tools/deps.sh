#!/bin/sh
# Installs the Debian packages pgal builds, runs and tests with, if any is
# missing. Runs as root on a fresh Debian bookworm machine; quiet when all is there.
set -eu
PKGS="build-essential pkg-config libvips-dev libvips-tools libexif-dev libsqlite3-dev
libcrypt-dev libssl-dev libjansson-dev libcmocka-dev libncurses-dev libchafa-dev chafa
libssh-dev libcurl4-openssl-dev tmux openssh-client openssh-server sshpass xauth binutils
python3 python3-pil python3-exifread hyperfine xxd sqlite3 ncurses-term openssl curl imagemagick
default-libmysqlclient-dev mariadb-server nodejs strace
rclone lftp putty-tools python3-paramiko python3-asyncssh dropbear-bin haproxy clang
libseccomp-dev systemd awscli python3-yaml"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm comes with the machine's Node.js; Debian's npm package would fight it
command -v npm >/dev/null 2>&1 || missing="$missing npm"
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
