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
"""
import json
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
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
