#!/usr/bin/env python3
"""A terminal client that types but never reads: ssh -tt (the command in
argv[1]) with its output going to a pipe read only until the welcome
screen shows, then keystrokes (help, then back) written for ever from a
thread. The server's window for it fills and shuts; the TUI then blocks
writing and input piles up in the server. Runs until killed."""
import os
import select
import subprocess
import sys
import threading
import time

r, w = os.pipe()
p = subprocess.Popen(sys.argv[1].split(), stdin=subprocess.PIPE, stdout=w,
                     stderr=subprocess.DEVNULL)
os.close(w)


def typist():
    try:
        while True:
            p.stdin.write(b"?\x1b" * 64)
            p.stdin.flush()
    except OSError:
        pass


# the welcome screen first: read the output until it shows (30 s at most)
seen, end = b"", time.monotonic() + 30
while b"Sign up" not in seen:
    left = end - time.monotonic()
    if left <= 0 or not select.select([r], [], [], left)[0]:
        print("stallclient: no welcome screen", file=sys.stderr)
        break
    chunk = os.read(r, 65536)
    if not chunk:
        break
    seen = seen[-16:] + chunk
threading.Thread(target=typist, daemon=True).start()
p.wait()
