#!/usr/bin/env python3
"""A small SMTP server with STARTTLS and AUTH for the SMTP mail backend test.

Usage: fake-smtp.py PORT DIR CERT KEY USER PASSWORD [notls]
Each message lands in DIR/<n>.eml (dot-stuffing undone) with DIR/<n>.json:
{"from", "rcpt", "tls", "user"}. MAIL before STARTTLS is refused (530),
and so is MAIL without a good AUTH. DIR/log.json counts sessions and what
the clients did ({"sessions", "starttls", "auth_ok", "auth_fail",
"mail_in_clear"}). With "notls" the server offers no STARTTLS at all.
"""
import base64
import json
import os
import socket
import ssl
import sys
import threading

lock = threading.Lock()
counts = {"sessions": 0, "starttls": 0, "auth_ok": 0, "auth_fail": 0,
          "mail_in_clear": 0}
seq = [0]


def save_log(d):
    with open(os.path.join(d, "log.json.tmp"), "w") as f:
        json.dump(counts, f)
    os.rename(os.path.join(d, "log.json.tmp"), os.path.join(d, "log.json"))


def session(conn, args):
    d, cert, key, user, password, notls = args
    f = conn.makefile("rb")
    tls = False
    authed = None
    mail_from, rcpt = None, []

    def send(s):
        conn.sendall((s + "\r\n").encode())

    def line():
        b = f.readline(4096)
        if not b:
            raise EOFError
        return b.decode("utf-8", "replace").rstrip("\r\n")

    with lock:
        counts["sessions"] += 1
        save_log(d)
    send("220 fake-smtp ESMTP")
    try:
        while True:
            cmd = line()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                caps = ["fake-smtp", "8BITMIME", "SIZE 10485760"]
                if not tls and not notls:
                    caps.append("STARTTLS")
                if tls:
                    caps.append("AUTH PLAIN LOGIN")
                for c in caps[:-1]:
                    send("250-" + c)
                send("250 " + caps[-1])
            elif verb == "STARTTLS" and not tls and not notls:
                send("220 go ahead")
                ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                ctx.load_cert_chain(cert, key)
                conn = ctx.wrap_socket(conn, server_side=True)
                f = conn.makefile("rb")
                tls = True
                authed = None
                with lock:
                    counts["starttls"] += 1
                    save_log(d)
            elif verb == "AUTH" and tls:
                parts = cmd.split(" ")
                mech = parts[1].upper() if len(parts) > 1 else ""
                if mech == "PLAIN":
                    blob = parts[2] if len(parts) > 2 else (send("334 ") or line())
                    _, u, p = base64.b64decode(blob).decode().split("\0")
                elif mech == "LOGIN":
                    if len(parts) > 2:
                        u = base64.b64decode(parts[2]).decode()
                    else:
                        send("334 VXNlcm5hbWU6")
                        u = base64.b64decode(line()).decode()
                    send("334 UGFzc3dvcmQ6")
                    p = base64.b64decode(line()).decode()
                else:
                    send("504 unknown mechanism")
                    continue
                ok = (u == user and p == password)
                with lock:
                    counts["auth_ok" if ok else "auth_fail"] += 1
                    save_log(d)
                if ok:
                    authed = u
                    send("235 ok")
                else:
                    send("535 bad credentials")
            elif verb == "MAIL":
                if not tls:
                    with lock:
                        counts["mail_in_clear"] += 1
                        save_log(d)
                    send("530 Must issue a STARTTLS command first")
                elif authed is None:
                    send("530 Authentication required")
                else:
                    mail_from = cmd.split(":", 1)[1].split(" ")[0]
                    rcpt = []
                    send("250 ok")
            elif verb == "RCPT":
                rcpt.append(cmd.split(":", 1)[1].strip())
                send("250 ok")
            elif verb == "DATA":
                send("354 end with .")
                data = []
                while True:
                    b = f.readline(65536)
                    if not b:
                        raise EOFError
                    if b in (b".\r\n", b".\n"):
                        break
                    if b.startswith(b".."):
                        b = b[1:]
                    data.append(b)
                with lock:
                    seq[0] += 1
                    n = seq[0]
                with open(os.path.join(d, "%d.eml" % n), "wb") as out:
                    out.write(b"".join(data))
                with open(os.path.join(d, "%d.json" % n), "w") as out:
                    json.dump({"from": mail_from, "rcpt": rcpt, "tls": tls,
                               "user": authed}, out)
                send("250 queued as %d" % n)
            elif verb in ("RSET", "NOOP"):
                send("250 ok")
            elif verb == "QUIT":
                send("221 bye")
                break
            else:
                send("502 not implemented")
    except (EOFError, ConnectionError, ssl.SSLError, OSError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    port, d, cert, key, user, password = sys.argv[1:7]
    notls = len(sys.argv) > 7 and sys.argv[7] == "notls"
    os.makedirs(d, exist_ok=True)
    save_log(d)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(port)))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=session, daemon=True,
                         args=(c, (d, cert, key, user, password, notls))).start()


if __name__ == "__main__":
    main()
