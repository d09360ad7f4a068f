#!/usr/bin/python3
"""Runs pgal-tui on a pty as a terminal that answers its query in a given
way, and reports what came out.

Usage: term-answer.py TUI MODE TERM
MODE: silent (answers nothing), rgb (reads an RGB background back through
DECRQSS, as xterm, kitty, foot or WezTerm do), indexed (answers the
palette index, as an xterm without direct colour does), late (answers
DA1 only after the TUI stopped waiting), typeahead (answers nothing, and
Q is typed while the TUI waits for the answer).
Prints: seconds until the welcome screen was drawn, then one word per
finding: query (the query was sent), rgb-theme (the title bar in RGB),
indexed-theme (in 256 colours), alive (still running after the answer),
exit=N (its status after Q), typed-q-quit (typeahead: the Q typed
during the wait ended it), sanitizer (a report on the terminal)."""
import os
import pty
import select
import sys
import time

tui, mode, term = sys.argv[1], sys.argv[2], sys.argv[3]
env = {k: v for k, v in os.environ.items() if k not in ('COLORTERM', 'NO_COLOR', 'TMUX')}
env.update(TERM=term, LANG='C.UTF-8', LC_ALL='C.UTF-8')
pid, fd = pty.fork()
if pid == 0:
    os.execve(tui, [tui], env)
out = b''
start = time.monotonic()
answered = False
drawn = None
found = []


def pump(secs):
    global out
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        out += chunk


# until the query, then the answer; at most 10 s in all
while time.monotonic() - start < 10:
    pump(0.05)
    if not answered and b'\x1b[c' in out:
        found.append('query' if b'\x1bP$qm\x1b\\' in out else 'no-decrqss')
        answered = True
        if mode == 'rgb':
            os.write(fd, b'\x1bP1$r0;48:2::1:2:3m\x1b\\\x1b[?62;22c')
        elif mode == 'indexed':
            os.write(fd, b'\x1bP1$r0;48;5;16m\x1b\\\x1b[?62;22c')
        elif mode == 'typeahead':
            os.write(fd, b'Q')
    if b'Sign up' in out:
        drawn = time.monotonic() - start
        break
if mode == 'late':
    os.write(fd, b'\x1b[?62;22c')
if mode == 'typeahead':
    end = time.monotonic() + 5
    while time.monotonic() < end:
        pump(0.1)
        p, st = os.waitpid(pid, os.WNOHANG)
        if p == pid:
            found.append('typed-q-quit')
            break
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    print('%.2f' % (drawn if drawn is not None else 99), ' '.join(found))
    sys.exit(0)
pump(0.5)
if b'48;2;31;78;121' in out or b'48:2::31:78:121' in out:
    found.append('rgb-theme')
if b'48;5;24m' in out or b'48;5;24;' in out:
    found.append('indexed-theme')
if os.waitpid(pid, os.WNOHANG) == (0, 0):
    found.append('alive')
os.write(fd, b'Q')
status = None
end = time.monotonic() + 10
while time.monotonic() < end:
    pump(0.1)
    p, st = os.waitpid(pid, os.WNOHANG)
    if p == pid:
        status = os.waitstatus_to_exitcode(st)
        break
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
found.append('exit=%s' % status)
pump(0.2)
if b'AddressSanitizer' in out or b'LeakSanitizer' in out or b'runtime error' in out:
    found.append('sanitizer')
print('%.2f' % (drawn if drawn is not None else 99), ' '.join(found))
