"""unit-syscalls.py UNIT: the system calls a systemd unit's
SystemCallFilter= lines allow, one name a line, expanded the way systemd
does with `systemd-analyze syscall-filter` (groups within groups). The
first line decides: an allow list (then lines starting with ~ take names
away) or, starting with ~, a deny list, which this tool refuses (it
answers an allow list only)."""
import subprocess
import sys

groups = {}


def expand(item, seen):
    if not item.startswith("@"):
        return {item}
    if item in seen:
        return set()
    seen.add(item)
    if item not in groups:
        out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager", item],
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("systemd-analyze syscall-filter %s failed: %s" % (item, out.stderr.strip()))
        groups[item] = [l.strip() for l in out.stdout.splitlines()[1:]
                        if l.strip() and not l.strip().startswith("#")]
    names = set()
    for sub in groups[item]:
        names |= expand(sub, seen)
    return names


allowed, first = set(), True
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("SystemCallFilter="):
        continue
    value = line.split("=", 1)[1].strip()
    deny = value.startswith("~")
    if first and deny:
        sys.exit("%s: a deny list; only allow lists are expanded" % sys.argv[1])
    first = False
    names = set()
    for item in value.lstrip("~").split():
        names |= expand(item, set())
    if deny:
        allowed -= names
    else:
        allowed |= names
if first:
    sys.exit("%s: no SystemCallFilter= line" % sys.argv[1])
print("\n".join(sorted(allowed)))
