#!/usr/bin/env python3
"""Raw TCP clients for the pre-authentication limits of pgal-sshd: they
connect and never send a byte. A connection the server admitted shows its
SSH banner; one it refused is closed before any byte. One letter per
attempt: A admitted, D dropped, T no answer at all.

  rawconn.py steps PORT HOST[,SRC] ...   attempts in order, all admitted kept
                                          open until the end; prints letters
  rawconn.py fill PORT START FULL AFTER GRACE
                                          opens connections until FULL are
                                          held (at most 600 attempts), then
                                          AFTER more; then waits for the
                                          server to close the held ones and
                                          prints JSON
  rawconn.py rate PORT HOLD TRIES         holds HOLD, then TRIES attempts
                                          closed at once; prints JSON
  rawconn.py hold PORT SECS RENEW PER SRC,SRC...
                                          for SECS keeps PER silent
                                          connections from each source,
                                          making a new one when the server
                                          closed one (at most one per slot
                                          every RENEW s); prints JSON
  rawconn.py order PORT                   the eviction order at full (see
                                          cmd_order); prints JSON
  rawconn.py lifetimes PORT LIMIT SRC...  one silent connection per source;
                                          prints JSON: seconds each lived
                                          (null: still open after LIMIT)
"""
import json
import select
import socket
import sys
import time

WAIT = 15.0


def attempt(host, port, src=None):
    """('A', sock) when the banner came, ('D', None) when closed first."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(WAIT)
    try:
        if src:
            s.bind((src, 0))
        s.connect((host, port))
        data = s.recv(256)
    except (ConnectionResetError, BrokenPipeError):
        s.close()
        return "D", None
    except socket.timeout:
        s.close()
        return "T", None
    if data.startswith(b"SSH-"):
        return "A", s
    s.close()
    return ("D" if data == b"" else "T"), None


def closed_after(s, t0, limit):
    """Seconds until the server closed s (None if it did not within limit)."""
    s.settimeout(max(0.1, limit - (time.monotonic() - t0)))
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
    except (ConnectionResetError, BrokenPipeError):
        pass
    except socket.timeout:
        return None
    return time.monotonic() - t0


def cmd_steps(port, targets):
    held, out = [], ""
    for t in targets:
        host, _, src = t.partition(",")
        r, s = attempt(host, port, src or None)
        out += r
        if s:
            held.append(s)
    print(out)
    for s in held:
        s.close()


def cmd_fill(port, start, full, after, grace):
    held, seq = [], ""
    tries = 0
    while len(held) < full and tries < 600:
        r, s = attempt("127.0.0.1", port)
        seq += r
        tries += 1
        if s:
            held.append((s, time.monotonic()))
    later = ""
    for _ in range(after):
        r, s = attempt("127.0.0.1", port)
        later += r
        if s:
            held.append((s, time.monotonic()))
    # every held connection has sent nothing: the grace time must end it
    lived = []
    for s, t0 in held:
        lived.append(closed_after(s, t0, grace + 30))
        s.close()
    print(json.dumps({"seq": seq, "after": later, "held": len(held), "lived": lived}))


def cmd_rate(port, hold, tries):
    held = []
    for _ in range(hold):
        r, s = attempt("127.0.0.1", port)
        if s:
            held.append(s)
    res = ""
    for _ in range(tries):
        r, s = attempt("127.0.0.1", port)
        res += r
        if s:
            s.close()
    print(json.dumps({"held": len(held), "res": res}))
    for s in held:
        s.close()


def gone(s):
    """True once the server closed s (data it sent, such as its KEXINIT
    after our version string, is read and dropped)."""
    try:
        while True:
            r, _, _ = select.select([s], [], [], 0)
            if not r:
                return False
            if not s.recv(4096):
                return True
    except OSError:
        return True


def cmd_hold(port, secs, renew, per, srcs):
    slots = [{"src": src, "s": None, "t": -renew} for src in srcs for _ in range(per)]
    tries = admitted = closed = most = 0
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for sl in slots:
            now = time.monotonic()
            if sl["s"] is None and now - sl["t"] >= renew and now < end:
                tries += 1
                sl["t"] = now
                r, sl["s"] = attempt("127.0.0.1", port, sl["src"])
                admitted += r == "A"
        held = [sl for sl in slots if sl["s"] is not None]
        most = max(most, len(held))
        r, _, _ = select.select([sl["s"] for sl in held], [], [], 0.05) if held else ([], 0, 0)
        for sl in held:
            if sl["s"] in r and gone(sl["s"]):
                sl["s"].close()
                sl["s"] = None
                closed += 1
        if not held:
            time.sleep(0.05)
    for sl in slots:
        if sl["s"] is not None:
            sl["s"].close()
    print(json.dumps({"tries": tries, "admitted": admitted, "closed": closed, "most": most}))


def cmd_order(port):
    """At full (ssh_max_startups = 6): the oldest connection sent its
    version string, five silent ones follow, each from a source of its
    own; once all are past their first second, six newcomers (sending
    their version string) arrive one by one. JSON: the newcomers' letters
    and, after each, which of the first six (0: the one with the version
    string, 1-5 the silent ones by age) the server closed, null if none
    within 10 s."""
    old = []
    r, s = attempt("127.0.0.1", port, "127.0.3.1")
    if s:
        s.sendall(b"SSH-2.0-rawconn\r\n")
    old.append(s)
    for i in range(5):
        r, s = attempt("127.0.0.1", port, "127.0.3.%d" % (i + 2))
        old.append(s)
    # eviction spares a connection in its first second (it had no time
    # to show progress): this age is what the order is about
    time.sleep(1.5)
    letters, closed, new = "", [], []
    for i in range(6):
        r, s = attempt("127.0.0.1", port, "127.0.3.%d" % (i + 10))
        letters += r
        if s:
            s.sendall(b"SSH-2.0-rawconn\r\n")
            new.append(s)
        which = None
        end = time.monotonic() + 10
        while which is None and time.monotonic() < end and r == "A":
            for k, o in enumerate(old):
                if o is not None and gone(o):
                    which = k
                    o.close()
                    old[k] = None
                    break
            else:
                time.sleep(0.02)
        closed.append(which)
    print(json.dumps({"letters": letters, "closed": closed,
                      "open": [k for k, o in enumerate(old) if o is not None]}))
    for s in old + new:
        if s is not None:
            s.close()


def cmd_lifetimes(port, limit, srcs):
    held = []
    for src in srcs:
        r, s = attempt("127.0.0.1", port, src)
        held.append((s, time.monotonic()) if s else (None, None))
    lived = []
    for s, t0 in held:
        lived.append(closed_after(s, t0, limit) if s else -1)
        if s:
            s.close()
    print(json.dumps({"lived": lived}))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, port = argv[1], int(argv[2])
    if cmd == "steps":
        cmd_steps(port, argv[3:])
    elif cmd == "fill":
        cmd_fill(port, *(int(a) for a in argv[3:7]))
    elif cmd == "rate":
        cmd_rate(port, int(argv[3]), int(argv[4]))
    elif cmd == "hold":
        cmd_hold(port, float(argv[3]), float(argv[4]), int(argv[5]), argv[6].split(","))
    elif cmd == "order":
        cmd_order(port)
    elif cmd == "lifetimes":
        cmd_lifetimes(port, float(argv[3]), argv[4:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
