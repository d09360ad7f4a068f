#!/usr/bin/env python3
"""Opens COUNT TCP connections from the address BIND to HOST:PORT, each
sending an SSH version string (after HEADER, when given: "v1 SRC" or
"v2 SRC" puts a PROXY header saying SRC before it, as a lying client
would), and prints one line per connection: "ok" when the server's
"SSH-2.0-" line came back within 10 s, "closed" when the connection
ended first. The connections are then held open HOLD seconds (or until
the process is killed), so the server counts them meanwhile.

usage: sshconn.py HOST PORT BIND COUNT HOLD [HEADER]"""
import socket, struct, sys, time

host, port, bind, count, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
header = sys.argv[6].split() if len(sys.argv) > 6 else None


def proxy_header(kind, src):
    if kind == "v1":
        return f"PROXY TCP4 {src} 127.0.0.1 40000 22\r\n".encode()
    sig = b"\r\n\r\n\0\r\nQUIT\n"
    addrs = socket.inet_aton(src) + socket.inet_aton("127.0.0.1") + struct.pack(">HH", 40000, 22)
    return sig + bytes([0x21, 0x11]) + struct.pack(">H", len(addrs)) + addrs


def banner(s):
    got = b""
    end = time.monotonic() + 10
    while b"\n" not in got and time.monotonic() < end:
        try:
            b = s.recv(256)
        except (socket.timeout, OSError):
            return False
        if not b:
            return False
        got += b
    return got.startswith(b"SSH-2.0-")


held = []
for _ in range(count):
    s = socket.socket()
    s.bind((bind, 0))
    s.settimeout(10)
    try:
        s.connect((host, port))
        if header:
            s.sendall(proxy_header(*header))
        s.sendall(b"SSH-2.0-fleet_test\r\n")
        ok = banner(s)
    except OSError:
        ok = False
    print("ok" if ok else "closed", flush=True)
    held.append(s)
time.sleep(hold)
