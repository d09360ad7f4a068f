#!/bin/sh
# `make run`: the local gallery on the embedded default (SQLite, a local
# folder for photos, an outbox folder for mail), all under ./var.
# On a terminal it starts the gallery app (pgal-tui); elsewhere it prints how
# to start it and how to use the `pgal` CLI.
set -eu
build=${1:-build}
export PGAL_HOME="${PGAL_HOME:-$(pwd)/var}"
mkdir -p "$PGAL_HOME"
pgal="$(pwd)/$build/pgal"
"$pgal" --version >/dev/null
if [ -t 0 ] && [ -t 1 ] && [ -x "$(pwd)/$build/pgal-tui" ]; then
	exec "$(pwd)/$build/pgal-tui"
fi
cat <<TXT
pgal is built and its home is $PGAL_HOME
(SQLite metadata, photos under blobs/, mail under outbox/).

Start the gallery app on a terminal with: make run   (or $(pwd)/$build/pgal-tui)
Serve it over SSH on 127.0.0.1:2222 with:   make serve (then: ssh -p 2222 gallery@127.0.0.1)

Or use the CLI ($pgal, or 'make install' for /usr/local/bin/pgal):

  export PGAL_HOME=$PGAL_HOME
  pgal signup alice alice@example.org      # asks for a password (10+ characters)
  cat \$PGAL_HOME/outbox/*.eml              # the confirmation mail with the code
  pgal confirm alice CODE
  pgal login alice
  pgal mkalbum trip --title "Summer trip"
  pgal put trip ~/Pictures/*.jpg --tags beach,2026
  pgal ls trip
  pgal info trip/IMG_0001.jpg
  pgal search beach
  pgal --help                              # every command

TXT
