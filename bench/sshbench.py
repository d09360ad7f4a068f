#!/usr/bin/env python3
"""The measuring half of bench/ssh.sh (the shell half sets up and prints).

  connect pgal PORT -- SSH_OPTION...
  connect openssh PORT USER -- SSH_OPTION...
      one connection, timed from the client's start (this script's own
      start-up is not counted): to pgal-sshd's complete guest welcome
      screen, or to the end of `ssh host true` on OpenSSH; prints the ms.
      bench/ssh.sh runs it in rounds (bench/timing.sh's rules)
  ready PGAL ALBUM COUNT T0_NS
      waits until COUNT photos of ALBUM are listed with their thumbnails
      ready; prints the nanoseconds since T0_NS (CLOCK_REALTIME) and how
      readiness was seen
  verify PGAL ALBUM FILE...
      every FILE stored byte-identical in ALBUM (SHA-256 against ls --json)
  sessions KIND COUNT SERVER_PID PORT USER -- SSH_OPTION...
      opens COUNT idle interactive sessions (KIND pgal: the guest TUI at its
      welcome screen; openssh: a login shell), each on its own 80x24 pty,
      checks they are established on both ends, sums the PSS of the server's
      session processes, closes them; prints one JSON object
  killtree [--below PID] PID...
      TERM then KILL the processes and everything below them
"""
import fcntl
import json
import os
import re
import resource
import selectors
import signal
import struct
import subprocess
import sys
import termios
import time

ROWS, COLS = 24, 80
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")


def die(msg):
    print(f"sshbench: {msg}", file=sys.stderr)
    sys.exit(1)


# ---- processes

def proc_table():
    """pid -> (ppid, comm, starttime, state), and ppid -> [pid]"""
    info, kids = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        f = st[st.rindex(")") + 2:].split()
        pid = int(d)
        info[pid] = (int(f[1]), comm, int(f[19]), f[0])
        kids.setdefault(int(f[1]), []).append(pid)
    return info, kids


def descendants(root, kids):
    out, todo = [], list(kids.get(root, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def killtree(roots, below):
    """Everything is collected before anything is signalled, so no process
    is lost to reparenting half way."""
    me = os.getpid()

    def collect(victims):
        info, kids = proc_table()
        for r in list(roots) + list(victims):
            for p in descendants(r, kids):
                if p != me and p not in victims:
                    victims[p] = info[p][2]
        for r in roots:
            if r in info and r not in victims:
                victims[r] = info[r][2]
        for b in below:
            for p in descendants(b, kids):
                if p != me and p not in victims:
                    victims[p] = info[p][2]
        return victims

    def alive(pid, start):
        try:
            with open(f"/proc/{pid}/stat") as f:
                s = f.read().rsplit(")", 1)[1].split()
            return int(s[19]) == start and s[0] not in "ZX"
        except (OSError, IndexError, ValueError):
            return False

    def signal_alive(victims, sig):
        for p, s in victims.items():
            if alive(p, s):
                try:
                    os.kill(p, sig)
                except OSError:
                    pass

    victims = collect({})
    signal_alive(victims, signal.SIGTERM)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(alive(p, s) for p, s in victims.items()):
        time.sleep(0.1)
    # what they forked while ending goes too
    victims = collect(dict((p, s) for p, s in victims.items() if alive(p, s)))
    signal_alive(victims, signal.SIGKILL)


# ---- terminals

ESC = re.compile(rb"\x1b\[[0-9;?>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[^\[()]")


def welcome_done(buf):
    """pgal's welcome screen is complete when its menu and then the key
    bar's "help" (drawn last, bottom right) have arrived; escape sequences
    may split words, so look at the text without them."""
    t = ESC.sub(b"", buf)
    i = t.find(b"Sign up")
    return i >= 0 and t.find(b"help", i) >= 0


def open_pty():
    m, s = os.openpty()
    fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return m, s


def spawn_on_pty(argv):
    m, s = open_pty()
    try:
        p = subprocess.Popen(argv, stdin=s, stdout=s, stderr=s, env=ENV,
                             start_new_session=True, close_fds=True)
    finally:
        os.close(s)
    os.set_blocking(m, False)
    return p, m


def read_some(fd):
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return None
    except OSError:
        return b""  # EIO: the client is gone


# ---- connect

def cmd_connect(args):
    kind = args[0] if args else None
    if kind == "pgal" and args[2:3] == ["--"]:
        port, so = args[1], args[3:]
    elif kind == "openssh" and args[3:4] == ["--"]:
        port, user, so = args[1], args[2], args[4:]
    else:
        die("usage: connect pgal PORT -- SSH_OPTION... | openssh PORT USER -- SSH_OPTION...")

    def welcome():
        t0 = time.monotonic()
        p, m = spawn_on_pty(["ssh", "-tt", "-e", "none", *so, "-o", "PubkeyAuthentication=no",
                             "-p", port, "gallery@127.0.0.1"])
        buf, ok = b"", False
        sel = selectors.DefaultSelector()
        sel.register(m, selectors.EVENT_READ)
        deadline = t0 + 30
        while time.monotonic() < deadline:
            if not sel.select(max(0, deadline - time.monotonic())):
                continue
            b = read_some(m)
            if b == b"":
                break
            buf += b or b""
            if welcome_done(buf):
                ok = True
                break
        t = time.monotonic() - t0
        p.kill()
        p.wait()
        sel.close()
        os.close(m)
        if not ok:
            die(f"connect: no complete welcome screen from pgal-sshd; got {buf[-400:]!r}")
        return t

    def true():
        t0 = time.monotonic()
        r = subprocess.run(["ssh", *so, "-o", "BatchMode=yes", "-p", port,
                            f"{user}@127.0.0.1", "true"], stdin=subprocess.DEVNULL, env=ENV)
        if r.returncode != 0:
            die("connect: ssh host true failed on OpenSSH")
        return time.monotonic() - t0

    print(f"{(welcome() if kind == 'pgal' else true()) * 1000:.1f}")


# ---- upload readiness

NOT_READY_KEYS = ("pending", "processing", "ingesting")
READY_FALSE_KEYS = ("ready", "thumb_ready", "thumbnail_ready", "thumb", "thumbnail")
READY_STATES = ("ready", "done", "ok", "stored", "complete", "completed")


def pending(p):
    """Today a photo is listed only once its thumbnail and preview are
    stored (core writes the row last). If a later design lists photos
    still being processed and marks them, honour the usual markers; the
    thumbnails are then fetched anyway (cmd_ready)."""
    if any(p.get(k) for k in NOT_READY_KEYS):
        return True
    if any(k in p and not p[k] for k in READY_FALSE_KEYS):
        return True
    for k in ("state", "status"):
        if isinstance(p.get(k), str) and p[k].lower() not in READY_STATES:
            return True
    return False


def ls_json(pgal, album):
    r = subprocess.run([pgal, "ls", album, "--json"], capture_output=True)
    if r.returncode != 0:
        return None, r.stderr.decode(errors="replace").strip()
    try:
        return json.loads(r.stdout), None
    except ValueError as e:
        return None, f"bad JSON: {e}"


def thumb_ok(pgal, album, name):
    r = subprocess.run([pgal, "get", f"{album}/{name}", "--thumb"], capture_output=True)
    return r.returncode == 0 and r.stdout[:3] == b"\xff\xd8\xff"


def cmd_ready(args):
    pgal, album, count, t0 = args[0], args[1], int(args[2]), int(args[3])
    deadline = time.monotonic() + float(os.environ.get("BENCH_SSH_READY_TIMEOUT", "3600"))
    # a photo the background refused never shows up: give up on a stall
    stall = float(os.environ.get("BENCH_SSH_STALL", "300"))
    errors, last_err, names, t_all = 0, None, [], None
    seen, moved = -1, time.monotonic()
    while time.monotonic() < deadline:
        if time.monotonic() - moved > stall:
            die(f"ready: stuck at {len(names)} of {count} photos ready for {stall:.0f} s")
        photos, err = ls_json(pgal, album)
        t = time.time_ns()
        if photos is None:
            # the store may be busy with the ingest: a few failures are fine
            errors, last_err = errors + 1, err
            if errors > 50:
                die(f"ready: pgal ls keeps failing: {last_err}")
        else:
            names = [p["name"] for p in photos if not pending(p)]
            if len(photos) > count:
                die(f"ready: {len(photos)} photos listed, {count} uploaded")
            if len(names) == count:
                t_all = t
                break
            if len(names) != seen:
                seen, moved = len(names), time.monotonic()
        time.sleep(0.2)
    if t_all is None:
        die(f"ready: only {len(names)} of {count} photos listed ready in time")
    # the listing is the cheap signal; fetching every thumbnail (after the
    # clock stopped) proves it. If one is missing after all, the listing
    # did not mean ready: keep fetching, the last thumbnail stops the clock.
    missing = [n for n in names if not thumb_ok(pgal, album, n)]
    how = "listed = thumbnail ready (every thumbnail fetched afterwards)"
    if missing:
        how = f"{len(missing)} thumbnails not ready when listed: timed by fetching them"
        t_end = t_all
        while missing and time.monotonic() < deadline:
            still = []
            for n in missing:
                if thumb_ok(pgal, album, n):
                    t_end = time.time_ns()
                else:
                    still.append(n)
            missing = still
            if missing:
                time.sleep(0.2)
        if missing:
            die(f"ready: {len(missing)} thumbnails never became ready")
        t_all = t_end
    print(t_all - t0, how)


def cmd_verify(args):
    import hashlib
    pgal, album, files = args[0], args[1], args[2:]
    photos, err = ls_json(pgal, album)
    if photos is None:
        die(f"verify: {err}")
    stored = sorted(p["sha256"] for p in photos)
    want = []
    for path in files:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        want.append(h.hexdigest())
    if stored != sorted(want):
        die(f"verify: {len(stored)} stored photos do not match the {len(want)} uploaded files")


# ---- idle sessions

class Sess:
    __slots__ = ("p", "fd", "buf", "t0", "sent", "ready", "eof", "tries")


def cmd_sessions(args):
    kind, count, server, port, user = args[0], int(args[1]), int(args[2]), args[3], args[4]
    so = args[6:] if args[5:6] == ["--"] else die("sessions: -- SSH_OPTION... expected")
    if kind not in ("pgal", "openssh"):
        die("sessions: KIND is pgal or openssh")
    settle = float(os.environ.get("BENCH_SSH_SETTLE", "5"))
    conc = int(os.environ.get("BENCH_SSH_CONNECTING", "8"))
    timeout = 90.0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2 * count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    argv = ["ssh", "-tt", "-e", "none", *so, "-p", port, f"{user}@127.0.0.1"]
    if kind == "pgal":
        argv[4:4] = ["-o", "PubkeyAuthentication=no"]
    # an OpenSSH shell proves itself by running a command; the typed
    # command (echoed back) does not contain the answer
    probe, answer = b"echo $((6*7))BENCH\r", b"42BENCH"

    sel = selectors.DefaultSelector()
    live, failed = [], 0
    todo = [0] * count  # tries so far of each session still to open

    def start(tries):
        s = Sess()
        s.p, s.fd = spawn_on_pty(argv)
        s.buf, s.t0, s.sent, s.tries = b"", time.monotonic(), 0.0, tries + 1
        s.ready = s.eof = False
        sel.register(s.fd, selectors.EVENT_READ, s)
        live.append(s)

    def drop(s):
        if not s.eof:
            sel.unregister(s.fd)
        os.close(s.fd)
        s.p.kill()
        s.p.wait()
        live.remove(s)

    def stop(signum, frame):
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    # a server's own long-lived helpers are not sessions
    _, kids = proc_table()
    before = set(descendants(server, kids))
    result = None
    try:
        while True:
            connecting = [s for s in live if not s.ready]
            while todo and len(connecting) < conc:
                start(todo.pop())
                connecting.append(live[-1])
            if not connecting and not todo:
                break
            for key, _ in sel.select(0.5):
                s = key.data
                b = read_some(s.fd)
                if b is None:
                    continue
                if b == b"":
                    sel.unregister(s.fd)  # the client is gone: dropped below
                    s.eof = True
                    continue
                if s.ready:
                    continue  # drained and forgotten
                s.buf = (s.buf + b)[-65536:]
                if kind == "pgal":
                    s.ready = welcome_done(s.buf)
                else:
                    s.ready = answer in s.buf
                if s.ready:
                    s.buf = b""
            now = time.monotonic()
            for s in list(live):
                if s.ready and s.p.poll() is None:
                    continue
                if kind == "openssh" and not s.ready and s.buf and now - s.sent > 3:
                    # the shell is talking (motd, prompt): ask it
                    os.write(s.fd, probe)
                    s.sent = now
                if s.eof or s.p.poll() is not None or now - s.t0 > timeout:
                    why = s.buf[-300:]
                    drop(s)
                    if s.tries < 3:
                        todo.append(s.tries)
                    else:
                        failed += 1
                        print(f"sshbench: a session failed 3 times: {why!r}", file=sys.stderr)
        up = sum(1 for s in live if s.ready and s.p.poll() is None)
        time.sleep(settle)
        # both ends: the clients saw their screen, the server has them
        info, kids = proc_table()
        procs = [p for p in descendants(server, kids) if p not in before]
        if kind == "pgal":
            # a connection process with a child (the TUI on its pty)
            srv = sum(1 for c in kids.get(server, []) if c not in before and kids.get(c))
        else:
            srv = sum(1 for p in procs if info[p][1] in ("bash", "sh", "dash"))
        pss = sum(pss_kib(p) for p in procs)
        up_after = sum(1 for s in live if s.p.poll() is None)
        result = {"wanted": count, "clients": min(up, up_after), "server_sessions": srv,
                  "procs": len(procs), "pss_kib": pss, "failed": failed}
    finally:
        for s in live:
            if s.p.poll() is None:
                s.p.terminate()
        for s in list(live):
            try:
                s.p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                s.p.kill()
                s.p.wait()
            try:
                os.close(s.fd)
            except OSError:
                pass
    # the next measurement starts once this one's server side is gone
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, kids = proc_table()
        if not set(descendants(server, kids)) - before:
            break
        time.sleep(0.5)
    else:
        print("sshbench: server-side session processes still there after 60 s", file=sys.stderr)
    print(json.dumps(result))


def cmd_killtree(args):
    below, roots = [], []
    i = 0
    while i < len(args):
        if args[i] == "--below":
            below.append(int(args[i + 1]))
            i += 2
        else:
            roots.append(int(args[i]))
            i += 1
    killtree(roots, below)


def main():
    cmds = {"connect": cmd_connect, "ready": cmd_ready, "verify": cmd_verify,
            "sessions": cmd_sessions, "killtree": cmd_killtree}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        die("usage: sshbench.py connect|ready|verify|sessions|killtree ...")
    cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
