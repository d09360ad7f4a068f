"""The SFTP wire (protocol version 3) for the SSH tier's raw clients, which
send what OpenSSH's sftp never sends and read statuses it never prints.

A client script (run with this folder on PYTHONPATH: lib.sh's raw_sftp_py)
calls connect() with the ssh command that opens the sftp subsystem, then
req()/send()/recv() with packet types and bodies built with s() and
struct.pack, and reads answers with status(), string() and attrs();
put() uploads a file, readdir() lists a directory.
write_raw() and wait_eof() are for what is not a whole packet.
"""
import struct
import subprocess
import sys

p = None
seq = [0]


def connect(cmd):
    """Starts cmd (split on spaces) and says hello: True on VERSION."""
    global p
    p = subprocess.Popen(cmd.split(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(1, struct.pack(">I", 3), with_id=False)
    t, _ = recv()
    return t == 2


def close():
    p.stdin.close()
    p.wait()


def s(b):
    """An SFTP string: length, then the bytes (text is UTF-8)."""
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def send(t, body, with_id=True):
    if with_id:
        seq[0] += 1
        body = struct.pack(">I", seq[0]) + body
    pkt = bytes([t]) + body
    p.stdin.write(struct.pack(">I", len(pkt)) + pkt)
    p.stdin.flush()


def recv():
    """(type, body after the request id); exits when the server closed."""
    hdr = p.stdout.read(4)
    if len(hdr) < 4:
        sys.exit("connection closed")
    n = struct.unpack(">I", hdr)[0]
    b = p.stdout.read(n)
    return b[0], b[5:]


def req(t, body):
    send(t, body)
    return recv()


def status(r):
    """(code, message) of an SSH_FXP_STATUS answer, (None, "") of another."""
    t, b = r
    if t != 101:
        return None, ""
    code = struct.unpack(">I", b[:4])[0]
    ln = struct.unpack(">I", b[4:8])[0]
    return code, b[8:8 + ln].decode(errors="replace")


def string(b, off):
    """(bytes, offset after it) of the SFTP string at b[off:]."""
    n = struct.unpack(">I", b[off:off + 4])[0]
    return b[off + 4:off + 4 + n], off + 4 + n


def attrs(b, off):
    """(size or None, mtime or None, offset after them) of the ATTRS at
    b[off:]: flags, then size, uid and gid, permissions, times and
    extensions as flagged."""
    fl = struct.unpack(">I", b[off:off + 4])[0]
    off += 4
    size = mtime = None
    if fl & 1:
        size = struct.unpack(">Q", b[off:off + 8])[0]
        off += 8
    if fl & 2:
        off += 8
    if fl & 4:
        off += 4
    if fl & 8:
        _, mtime = struct.unpack(">II", b[off:off + 8])
        off += 8
    if fl & 0x80000000:
        n = struct.unpack(">I", b[off:off + 4])[0]
        off += 4
        for _ in range(2 * n):
            _, off = string(b, off)
    return size, mtime, off


def put(local, remote):
    """OPEN for writing (create, truncate), WRITE in 32 KiB pieces, CLOSE:
    [(step, code, message)] of the open when it failed (nothing more is
    sent), of the first write that failed (the rest is not sent), and of
    the close."""
    t, b = req(3, s(remote) + struct.pack(">II", 0x02 | 0x08 | 0x10, 0))
    if t != 102:
        return [("open",) + status((t, b))]
    h, _ = string(b, 0)
    data = open(local, "rb").read()
    got = []
    for off in range(0, len(data), 32768):
        code, msg = status(req(6, s(h) + struct.pack(">Q", off) + s(data[off:off + 32768])))
        if code != 0:
            got.append(("write", code, msg))
            break
    return got + [("close",) + status(req(4, s(h)))]


def readdir(path):
    """([(name, size, mtime)], None) of a directory listing, read until
    the server says no more; (None, (code, message)) when it cannot be
    opened."""
    t, b = req(11, s(path))
    if t != 102:
        return None, status((t, b))
    h, _ = string(b, 0)
    out = []
    while True:
        t, b = req(12, s(h))
        if t != 104:
            break
        off = 4
        for _ in range(struct.unpack(">I", b[:4])[0]):
            name, off = string(b, off)
            _, off = string(b, off)  # the long name
            size, mtime, off = attrs(b, off)
            out.append((name.decode(), size, mtime))
    req(4, s(h))
    return out, None


def write_raw(data):
    """Bytes as they are, not a packet (a packet cut short, say)."""
    p.stdin.write(data)
    p.stdin.flush()


def wait_eof():
    """Reads until the server closes the channel; what came."""
    return p.stdout.read()
