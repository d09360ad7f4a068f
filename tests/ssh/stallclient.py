#!/usr/bin/env python3
"""A terminal client that types but never reads: ssh -tt (the command in
argv[1]) with its output going to a pipe nobody reads, and keystrokes
(help, then back) written for ever from a thread. The server's window for
it fills and shuts; the TUI then blocks writing and input piles up in
the server. Runs until killed."""
import os
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


time.sleep(1.5)  # the welcome screen first
threading.Thread(target=typist, daemon=True).start()
p.wait()
