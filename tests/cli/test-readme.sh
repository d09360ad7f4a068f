#!/bin/sh
# README.md starts with the two commands a newcomer runs; its key tables are
# the ones the app runs (each view's table in tui/, which drives the keys,
# the key bar and the help), so they cannot drift; README.md and
# docs/operators.md point at nothing outside the repository.
# pgal-test: plain build only
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
R="$top/README.md"
O="$top/docs/operators.md"

check "README.md begins with the set-up" 'head -1 "$R" | grep -qx "# pgal" && [ "$(grep -m1 "^## " "$R")" = "## Start here (fresh Debian bookworm, as root)" ]'
sed -n '/^## Start here/,/^## /p' "$R" | sed -n '/^```sh$/,/^```$/p' > "$T/setup"
check "whose first commands are make run and make test" 'grep -q "^make run " "$T/setup" && grep -q "^make test " "$T/setup"'
check "within the first 20 lines" 'head -20 "$R" | grep -q "^make run " && head -20 "$R" | grep -q "^make test "'
check "the operators' document is linked from the README" 'grep -q "(docs/operators.md)" "$R"'
for f in "$R" "$O"; do
	name=${f#"$top"/}
	check "$name names no web address" '! grep -qiE "https?://" "$f"'
	check "$name names no path above the repository" '! grep -qE "\.\./(shared|\.\.)" "$f"'
	# every Markdown link is a file of the repository
	python3 - "$f" "$top" > "$T/links" <<'PY'
import os, re, sys
f, top = sys.argv[1], os.path.realpath(sys.argv[2])
for target in re.findall(r"\]\(([^)#\s]+)", open(f).read()):
    path = os.path.realpath(os.path.join(os.path.dirname(f), target))
    if not path.startswith(top + os.sep) or not os.path.exists(path):
        print(target)
PY
	check "$name links only to files of the repository" '[ ! -s "$T/links" ] || { sed "s/^/# /" "$T/links"; false; }'
done

# the key tables: each README table after its caption is the view's table
# (rows with a label, in order: what help lists)
python3 - "$top" > "$T/keys" <<'PY'
import re, sys
top = sys.argv[1]
tables = [
    ("The welcome screen:", "tui/view-welcome.c", "welcome_keys"),
    ("The albums:", "tui/view-albums.c", "albums_keys"),
    ("An album (", "tui/view-album.c", "album_keys"),
    ("A photo (", "tui/view-photo.c", "photo_keys"),
    ("Search results:", "tui/view-search.c", "search_keys"),
    ("Forms (", "tui/view-form.c", "form_keys"),
    ("Every screen (", "tui/keys.c", "tui_shared_keys"),
]

def source_rows(path, name):
    s = open(f"{top}/{path}").read()
    i = s.index(name + "[] = {")
    body = re.sub(r"/\*.*?\*/", "", s[i:s.index("TUI_KEYS_END", i)], flags=re.S)
    return [(m.group(1), m.group(2)) for m in re.finditer(
        r'\{\s*\{[^}]*\},\s*\w+,\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"', body)]

readme = open(f"{top}/README.md").read().split("\n")

def readme_rows(caption):
    at = next(i for i, l in enumerate(readme) if l.startswith(caption))
    rows, i = [], at + 1
    while i < len(readme) and not readme[i].startswith("|"):
        i += 1
    for l in readme[i + 2:]:
        m = re.match(r"\| `(.*)` \| (.*) \|$", l)
        if not m:
            break
        rows.append((m.group(1), m.group(2)))
    return rows

for caption, path, name in tables:
    want, got = source_rows(path, name), readme_rows(caption)
    print(("ok" if want and want == got else "differ") + f" {path} {name} ({len(want)} keys)")
    if want != got:
        print(f"#   the app: {want}\n#   README:  {got}")
PY
while read -r verdict rest; do
	case $verdict in
	ok|differ) check "README keys: $rest" '[ "$verdict" = ok ]' ;;
	*) echo "$verdict $rest" ;;
	esac
done < "$T/keys"
check "(the tables were read)" '[ "$(grep -c "^ok\|^differ" "$T/keys")" -eq 7 ]'
done_testing
