#!/usr/bin/env python3
"""Prints a free TCP port on 127.0.0.1 for a test peer to listen on.

Ports come from below the kernel's ephemeral range (32768 and up on
Linux), so no outgoing connection of a test running in parallel can take
the port between this check and the peer's bind; each parallel job of
tests/run.sh gets its own slice (PGAL_TEST_SLOT), and the ports handed out
in one test's scratch folder (TMPDIR_TEST) are remembered, so two peers of
one test never get the same one.
"""
import fcntl, os, random, socket, sys

BASE, TOP, SLICES = 20000, 32000, 8
slot = int(os.environ.get("PGAL_TEST_SLOT") or 0) % SLICES
width = (TOP - BASE) // SLICES
lo = BASE + slot * width
scratch = os.environ.get("TMPDIR_TEST")
used_path = os.path.join(scratch, ".ports-used") if scratch else os.devnull
with open(used_path, "a+") as used:
    fcntl.flock(used, fcntl.LOCK_EX)
    used.seek(0)
    taken = {int(l) for l in used.read().split()}
    start = random.randrange(width)
    for k in range(width):
        port = lo + (start + k) % width
        if port in taken:
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            s.close()
        used.write(f"{port}\n")
        print(port)
        sys.exit(0)
sys.exit(f"free-port.py: no free port in {lo}-{lo + width - 1}")
