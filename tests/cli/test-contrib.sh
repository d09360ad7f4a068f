#!/bin/sh
# assets/ and contrib/: every example pgal.conf (and the one cloud-init
# writes) loads with pgal itself, so every key in them exists; the IAM policy is JSON,
# least-privilege and grants exactly the DynamoDB calls the store makes; the
# systemd unit passes systemd-analyze verify with its sandbox in place and
# starts pgal-sshd with flags it accepts; the scripts parse.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
C="$top/contrib"
A="$top/assets" # the example configs
setup_home
# nothing real behind any backend: a port nobody listens on, no credentials
DEAD=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_SHARED_CREDENTIALS_FILE=/nonexistent
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$DEAD" AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DEAD"
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$DEAD"
# a config error names the file and line; a backend error does not
no_config_error() {
	! grep -q "pgal.conf[^:]*:[0-9]" "$T/err" && ! grep -q "unknown key" "$T/err"
}

# ---- example configurations ----
ok "pgal.conf.sqlite: init runs with it (home moved to a scratch folder)" env PGAL_HOME="$T/sqlite" "$PGAL" -f "$A/pgal.conf.sqlite" init
check "it is the sqlite + fs + smtp variant" 'grep -q "^store sqlite: ok" "$T/out" && grep -q "^blobs fs: " "$T/out" && grep -q "^mail smtp: configured (server smtp.example.org:587" "$T/out"'
expect_rc 4 "pgal.conf.sql-rds: loads, then MySQL is not there" env PGAL_HOME="$T/rds" PGAL_MYSQL_HOST=127.0.0.1 PGAL_MYSQL_PORT="$DEAD" "$PGAL" -f "$A/pgal.conf.sql-rds" init
check "the failure is the store, not the file" 'grep -q "^pgal: store mysql: " "$T/err" && no_config_error'
expect_rc 4 "pgal.conf.nosql-dynamodb: loads, then DynamoDB is not there" env PGAL_HOME="$T/ddb" "$PGAL" -f "$A/pgal.conf.nosql-dynamodb" init
check "the failure is the store, not the file" 'grep -q "^pgal: store dynamodb: " "$T/err" && no_config_error'
# the method catches a bad key: the same file with one key misspelt
sed 's/^s3_bucket /s3_bukket /' "$A/pgal.conf.nosql-dynamodb" > "$T/bad.conf"
expect_rc 5 "control: a misspelt key is refused" env PGAL_HOME="$T/ddb" "$PGAL" -f "$T/bad.conf" init
check "naming file, line and key" 'grep -q "bad.conf:[0-9]*: unknown key .s3_bukket." "$T/err"'
check "no example holds an AWS key (the instance role provides them)" '! grep -q "^aws_\(access_key_id\|secret_access_key\|session_token\)" "$A"/pgal.conf.*'

# ---- cloud-init ----
check "cloud-init.yaml starts with #cloud-config" '[ "$(head -n 1 "$C/cloud-init.yaml")" = "#cloud-config" ]'
python3 - "$C/cloud-init.yaml" "$T/cloud.conf" > "$T/py.out" 2>&1 <<'PY'
import sys
try:
    import yaml
except ImportError:
    # no PyYAML: take the block by its indentation
    lines = open(sys.argv[1]).read().split("\n")
    i = lines.index("  - path: /etc/pgal/pgal.conf")
    while not lines[i].strip().startswith("content: |"):
        i += 1
    out = []
    for l in lines[i + 1:]:
        if l and not l.startswith("      "):
            break
        out.append(l[6:])
    open(sys.argv[2], "w").write("\n".join(out) + "\n")
    sys.exit(0)
d = yaml.safe_load(open(sys.argv[1]))
for k in ("packages", "users", "write_files", "runcmd"):
    assert k in d, k
f = [w for w in d["write_files"] if w["path"] == "/etc/pgal/pgal.conf"][0]
assert f["permissions"] == "0640"
open(sys.argv[2], "w").write(f["content"])
PY
check "cloud-init.yaml parses and writes a pgal.conf" '[ -s "$T/cloud.conf" ]'
expect_rc 4 "the pgal.conf cloud-init writes loads too" env PGAL_HOME="$T/cloud" "$PGAL" -f "$T/cloud.conf" init
check "failing only at the unreachable store" 'grep -q "^pgal: store dynamodb: " "$T/err" && no_config_error'
check "cloud-init enables the unit and runs pgal init" 'grep -q "enable, --now, pgal-sshd.service" "$C/cloud-init.yaml" && grep -q "pgal, -f, /etc/pgal/pgal.conf, init" "$C/cloud-init.yaml"'
# every program its steps call comes from a package it installs (or one
# every Debian and Ubuntu image has); Debian's python3-yaml reads it
cat > "$T/steps.py" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
pk = set(d["packages"])
base = {"systemctl": "systemd", "runuser": "util-linux", "install": "coreutils",
        "env": "coreutils", "sh": "dash"}
need = {"git": "git", "make": "build-essential"}
files = {w["path"] for w in d["write_files"]}
for step in d["runcmd"]:
    prog = step[0] if isinstance(step, list) else step.split()[0]
    if prog in files or prog.startswith("/usr/local/"):
        assert prog in files or prog == "/usr/local/bin/pgal", prog
        continue
    assert prog in base or need.get(prog) in pk, "%s: no package installs it" % prog
    if prog == "git":
        assert "ca-certificates" in pk, "git over https needs ca-certificates"
assert "awscli" not in pk, "Ubuntu 24.04 has no awscli package"
for w in d["write_files"]:
    if w["path"] == "/usr/local/sbin/pgal-move-admin-ssh":
        open(sys.argv[2], "w").write(w["content"])
PY
ok "cloud-init: every step's program is installed, no package Ubuntu 24.04 lacks" /usr/bin/python3 "$T/steps.py" "$C/cloud-init.yaml" "$T/move-ssh.sh"
# the admin OpenSSH's move off port 22, run against a systemctl that plays
# each image: Ubuntu 24.04 (ssh.socket enabled) and Debian 12 (ssh.service)
mkdir -p "$T/fakebin"
cat > "$T/fakebin/systemctl" <<'SH'
#!/bin/sh
echo "systemctl $*" >> "$SYSTEMCTL_LOG"
case "$*" in "is-enabled --quiet ssh.socket") [ "$SOCKET_ACTIVATED" = 1 ] ;; esac
SH
chmod +x "$T/fakebin/systemctl"
ok "on Ubuntu 24.04 (socket activation)" env PATH="$T/fakebin:$PATH" SYSTEMCTL_LOG="$T/ubuntu.log" SOCKET_ACTIVATED=1 sh "$T/move-ssh.sh"
check "it reloads the generator and restarts ssh.socket" '[ "$(sed -n 2,3p "$T/ubuntu.log" | tr "\n" ";")" = "systemctl daemon-reload;systemctl restart ssh.socket;" ] && ! grep -q ssh.service "$T/ubuntu.log"'
ok "on Debian 12" env PATH="$T/fakebin:$PATH" SYSTEMCTL_LOG="$T/debian.log" SOCKET_ACTIVATED=0 sh "$T/move-ssh.sh"
check "it restarts ssh.service" '[ "$(sed -n 2p "$T/debian.log")" = "systemctl restart ssh.service" ]'

# ---- IAM policy ----
ok "iam-policy.json is JSON" python3 -m json.tool "$C/iam-policy.json"
# the DynamoDB calls the store makes, from its source
grep -ho 'ddb_call([^,]*, "[A-Za-z]*"' "$top"/core/store/dynamodb/*.c | sed 's/.*"\(.*\)"/\1/' | sort -u > "$T/ddb-ops"
check "the store's DynamoDB calls were found" '[ "$(wc -l < "$T/ddb-ops")" -ge 5 ]'
# (the script goes to a file: ok runs its command with stdin from /dev/null)
cat > "$T/iam.py" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
ops = set(open(sys.argv[2]).read().split())
assert p["Version"] == "2012-10-17"
acts = {}
for s in p["Statement"]:
    assert s["Effect"] == "Allow"
    a = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
    r = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
    for x in a:
        assert "*" not in x, x
        acts.setdefault(x, []).append((r, s.get("Condition")))
s3 = {a for a in acts if a.startswith("s3:")}
assert s3 == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListBucket",
              "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"}, s3
bucket_level = {"s3:ListBucket", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"}
for a in bucket_level - {"s3:ListBucket"}:
    (r, c), = acts[a]
    assert c is None and all(x.startswith("arn:aws:s3:::") and "/" not in x[len("arn:aws:s3:::"):] for x in r), r
for a in s3 - bucket_level:
    for r, c in acts[a]:
        assert all(x.startswith("arn:aws:s3:::") and x.endswith("/pgal/*") for x in r), r
(r, c), = acts["s3:ListBucket"]
assert all("/" not in x[len("arn:aws:s3:::"):] for x in r), r
assert any("s3:prefix" in v for v in c.values()), c
ddb = {a[len("dynamodb:"):] for a in acts if a.startswith("dynamodb:")}
assert ddb == ops, (sorted(ddb), sorted(ops))
for a in ddb:
    for r, c in acts["dynamodb:" + a]:
        assert all(x.startswith("arn:aws:dynamodb:") and ":table/PhotoGallery" in x for x in r), r
ses = {a for a in acts if a.startswith("ses:")}
assert ses == {"ses:SendEmail", "ses:GetAccount"}, ses
(r, c), = acts["ses:GetAccount"]
assert r == ["*"] and c is None, (r, c)  # an account-level call has no resource
(r, c), = acts["ses:SendEmail"]
assert c["StringEquals"]["ses:FromAddress"], c
assert set(acts) == s3 | ses | {"dynamodb:" + a for a in ddb}, sorted(acts)
PY
ok "least privilege: exactly the actions pgal uses, on its resources only" python3 "$T/iam.py" "$C/iam-policy.json" "$T/ddb-ops"
printf 'import sys\nsys.exit(1)\n' > "$T/false.py"
expect_rc 1 "(the way the policy check runs can fail)" python3 "$T/false.py"

# ---- systemd unit ----
U="$C/pgal-sshd.service"
for want in "User=pgal" "ProtectSystem=strict" "NoNewPrivileges=yes" "ProtectHome=yes" "PrivateTmp=yes" \
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE" "AmbientCapabilities=CAP_NET_BIND_SERVICE" \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "SystemCallFilter=@system-service" \
    'ExecReload=/bin/kill -HUP $MAINPID'; do
	check "the unit sets $want" 'grep -qxF "$want" "$U"'
done
check "ReadWritePaths is PGAL_HOME" 'h=$(sed -n "s/^Environment=PGAL_HOME=//p" "$U"); [ -n "$h" ] && grep -qx "ReadWritePaths=$h" "$U"'
# the flags of ExecStart are ones pgal-sshd takes: with a missing config
# file it stops at the file (not found, 2), not at the flags (usage, 1)
SSHD="$PGAL_BUILD/pgal-sshd"
args=$(sed -n 's/^ExecStart=[^ ]* //p' "$U" | sed 's#-f [^ ]*#-f /nonexistent/pgal.conf#')
if [ -x "$SSHD" ]; then
	expect_rc 2 "pgal-sshd accepts the unit's flags ($args)" "$SSHD" $args
fi
if command -v systemd-analyze > /dev/null 2>&1; then
	# verify wants the binary to exist: point ExecStart at a real one
	mkdir -p "$T/unit"
	exe=$SSHD; [ -x "$exe" ] || exe=/bin/true
	sed "s#^ExecStart=[^ ]*#ExecStart=$exe#" "$U" > "$T/unit/pgal-sshd.service"
	n=$((n + 1))
	if (cd "$T/unit" && systemd-analyze verify ./pgal-sshd.service) > "$T/verify" 2>&1 && ! [ -s "$T/verify" ]; then
		echo "ok $n - systemd-analyze verify: no error, no warning"
	else
		nfail=$((nfail + 1)); echo "not ok $n - systemd-analyze verify"; sed 's/^/# /' "$T/verify"
	fi
else
	check "the unit has its three sections and key=value lines only" 'grep -qx "\[Unit\]" "$U" && grep -qx "\[Service\]" "$U" && grep -qx "\[Install\]" "$U" && ! grep -v "^\(#.*\|\[[A-Za-z]*\]\|[A-Za-z]*=.*\|\)$" "$U" | grep -q .'
fi

# ---- scripts and SQL ----
ok "contrib/dynamodb/create-tables.sh parses" sh -n "$C/dynamodb/create-tables.sh"
check "it creates the tables from sql/dynamodb (one definition)" 'grep -q "sql/dynamodb" "$C/dynamodb/create-tables.sh" && [ -f "$top/sql/dynamodb/PhotoGallery.json" ] && [ -f "$top/sql/dynamodb/PhotoGalleryUsers.json" ]'
check "the RDS bootstrap grants no more than it says" 'grep -v "^--" "$C/rds/bootstrap.sql" > "$T/boot.sql" && ! grep -qi "ALL PRIVILEGES\|DROP\|SUPER\|FILE\|WITH GRANT OPTION\|\*\.\*" "$T/boot.sql" && grep -q "REQUIRE SSL" "$T/boot.sql"'
done_testing
