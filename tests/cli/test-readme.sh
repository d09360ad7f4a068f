#!/bin/sh
# README.md starts with the two commands a newcomer runs; README.md and
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

done_testing
