#!/bin/sh
# docs/migrating.md, run as written: a bucket of the old gallery with its
# photos flat, named by id, and its rows in MySQL (albums, photos with
# photoURL, titles, tags). The guide's shell blocks of step 3 (arrange the
# photos by album from the rows) and step 6 (carry titles, descriptions and
# tags over) run unchanged against MariaDB and s3rver, with the host names
# of the guide pointed at the peers; between them, step 4's import.
# pgal-test: plain build only
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
setup_home
DB="$T/mariadb"
peers_init 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1'
peer_start S3 s3rver s3rver
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - mariadb did not start"; exit 1; }
. "$DB/mariadb.env"
aws_env S3RVER S3RVER
export PATH=/usr/bin:$PATH AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3" PGAL_S3_PATH_STYLE=yes
tab=$(printf '\t')

# the code block of the guide's step N (its first ```sh block), unindented
doc_block() {
	awk -v step="$1" '
		$0 ~ "^" step "\\. \\*\\*" { in_step = 1; next }
		in_step && /^ *```sh$/ { in_code = 1; next }
		in_code && /^ *```$/ { exit }
		in_code { sub(/^   /, ""); print }' "$top/docs/migrating.md"
}
# what the guide's commands reach: the test's MariaDB (the guide's
# "-h OLD-RDS-ENDPOINT -u admin -p" and database old_gallery), s3rver,
# pgal of this build run as this user
mysql() {
	while [ $# -gt 0 ] && [ "$1" != "--batch" ]; do shift; done
	command mysql --protocol=tcp -h 127.0.0.1 -P "$PGAL_MYSQL_PORT" -u "$PGAL_MYSQL_USER" \
	    -p"$PGAL_MYSQL_PASSWORD" "$@"
}
aws() { command aws --endpoint-url "http://127.0.0.1:$S3" "$@"; }
as_pgal() { "$@"; }
pgal() { "$PGAL" "$@"; }
# a block of the guide in a subshell (it sees these functions), in $W
run_block() {
	(cd "$W" && . "$1")
}
W=$T/work
mkdir -p "$W"

doc_block 3 > "$T/step3.sh"
doc_block 6 > "$T/step6.sh"
check "the guide has the blocks of steps 3 and 6" \
	'grep -q "aws s3 cp" "$T/step3.sh" && grep -q "pgal edit" "$T/step6.sh"'

sh "$here/mariadb.sh" sql "$DB" "CREATE DATABASE pgal_old;
  CREATE TABLE pgal_old.albums (albumID VARCHAR(36) PRIMARY KEY, name VARCHAR(255) NOT NULL,
    description TEXT, thumbnailURL TEXT, createdAt DATETIME) ENGINE=InnoDB;
  CREATE TABLE pgal_old.photos (photoID VARCHAR(36) PRIMARY KEY, albumID VARCHAR(36) NOT NULL,
    title VARCHAR(255), description TEXT, tags TEXT, photoURL TEXT, EXIFData TEXT,
    createdAt DATETIME, FOREIGN KEY (albumID) REFERENCES albums(albumID)) ENGINE=InnoDB;
  INSERT INTO pgal_old.albums VALUES ('a1', 'Holidays', 'the sea', NULL, NOW()),
    ('a2', 'Été/2019', NULL, NULL, NOW());
  INSERT INTO pgal_old.photos VALUES
    ('p1', 'a1', 'Beach', 'first day', 'sea,sand', 's3://old-gallery/p1.jpg', NULL, NOW()),
    ('p2', 'a1', NULL, NULL, NULL, 's3://old-gallery/p2.jpg', NULL, NOW()),
    ('p3', 'a2', 'Lens', '', 'camera', 's3://old-gallery/p3.jpg', NULL, NOW())"
B=$T/bucket
mkdir -p "$B"
cp "$FIX/nikon-d2h-gps.jpg" "$B/p1.jpg"
cp "$FIX/orient-3.jpg" "$B/p2.jpg"
cp "$FIX/iphone4s-lens.jpg" "$B/p3.jpg"
ok "the old bucket, flat" aws s3 mb s3://old-gallery
ok "its photos" aws s3 sync --only-show-errors "$B" s3://old-gallery/

sed 's/ old_gallery / pgal_old /' "$T/step3.sh" > "$T/step3-here.sh"
ok "step 3 as written" run_block "$T/step3-here.sh"
ok "the photos, arranged by album" aws s3 ls --recursive s3://old-gallery/by-album/
check "each under its album's folder ('/' in a name made '-')" '
	grep -q " by-album/Holidays/p1.jpg$" "$T/out" && grep -q " by-album/Holidays/p2.jpg$" "$T/out" &&
	grep -q " by-album/Été-2019/p3.jpg$" "$T/out" && [ "$(wc -l < "$T/out")" -eq 3 ]'
check "the old objects left where they were" 'aws s3 ls s3://old-gallery/p1.jpg > /dev/null'

login_user alice alice-password-1 || echo "# login_user failed"
# step 4, with the by-album prefix step 3 asks for
ok "step 4: the import" sh -c '"$1" import s3://old-gallery/by-album > "$2/import-1.log"' sh "$PGAL" "$W"
sed 's/^/# /' "$W/import-1.log"
LC_ALL=C sort > "$T/want" <<EOW
Ete-2019/p3.jpg $(sha256sum "$FIX/iphone4s-lens.jpg" | cut -d' ' -f1)
Holidays/p1.jpg $(sha256sum "$FIX/nikon-d2h-gps.jpg" | cut -d' ' -f1)
Holidays/p2.jpg $(sha256sum "$FIX/orient-3.jpg" | cut -d' ' -f1)
EOW
check "the three photos in their albums, byte for byte" 'gallery_sums > "$T/have" && cmp -s "$T/want" "$T/have"'

sed 's/ old_gallery / pgal_old /' "$T/step6.sh" > "$T/step6-here.sh"
ok "step 6 as written" run_block "$T/step6-here.sh"
ok "info Holidays/p1.jpg" "$PGAL" info Holidays/p1.jpg --json
jcheck "the old title, description and tags" "j['title'] == 'Beach' and j['description'] == 'first day' and j['tags'] == ['sand', 'sea']"
ok "info Holidays/p2.jpg" "$PGAL" info Holidays/p2.jpg --json
jcheck "a row without them: none" "j['title'] == '' and j['description'] == '' and j['tags'] == []"
ok "info Ete-2019/p3.jpg" "$PGAL" info Ete-2019/p3.jpg --json
jcheck "title and tag" "j['title'] == 'Lens' and j['tags'] == ['camera']"

ok "step 7: the same import again" "$PGAL" import s3://old-gallery/by-album
check "nothing new" 'tail -1 "$T/out" | grep -q "(nothing new)$"'
done_testing
