#!/usr/bin/env python3
"""An HTTP proxy in front of s3rver that checks payload hashes the way S3 does.

Usage: s3-verify-proxy.py LISTEN_PORT TARGET_PORT PORTFILE

s3rver accepts any x-amz-content-sha256 without looking at the body; S3
compares a hex value with the SHA-256 of the bytes it received and refuses
the request with 400 XAmzContentSHA256Mismatch when they differ (nothing is
stored). This proxy does that check, then forwards to 127.0.0.1:TARGET_PORT
unchanged. It also keeps what it saw of every request, never forwarded:
  GET  /__verify/log     [{"method", "path", "sha256" (the header, or ""),
                           "body_sha256", "length", "chunked"}, ...]
  POST /__verify/reset   forgets the log
Writes its port to PORTFILE once it listens.
"""
import hashlib
import http.client
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
log = []
target = None
HEX = set("0123456789abcdefABCDEF")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return out, True
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return (self.rfile.read(n) if n else b""), False

    def handle_any(self):
        body, chunked = self.read_body()
        if self.path.startswith("/__verify/"):
            with lock:
                if self.path == "/__verify/reset":
                    del log[:]
                out = json.dumps(log).encode()
            return self.reply(200, out, "application/json")
        claimed = self.headers.get("x-amz-content-sha256", "")
        actual = hashlib.sha256(body).hexdigest()
        with lock:
            log.append({"method": self.command, "path": self.path.split("?")[0],
                        "sha256": claimed, "body_sha256": actual,
                        "length": len(body), "chunked": chunked})
        if len(claimed) == 64 and set(claimed) <= HEX and claimed.lower() != actual:
            return self.reply(400, (
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
                "<Code>XAmzContentSHA256Mismatch</Code><Message>The provided "
                "'x-amz-content-sha256' header does not match what was computed."
                "</Message><ClientComputedContentSHA256>%s"
                "</ClientComputedContentSHA256><S3ComputedContentSHA256>%s"
                "</S3ComputedContentSHA256><RequestId>VERIFY1</RequestId></Error>"
                % (claimed, actual)).encode(), "application/xml")
        conn = http.client.HTTPConnection("127.0.0.1", target, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive",
                                        "transfer-encoding", "content-length")}
        if self.command in ("PUT", "POST") or body:
            headers["Content-Length"] = str(len(body))
        conn.request(self.command, self.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                 "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", r.getheader("Content-Length", "0")
                         if self.command == "HEAD" else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    global target
    port, target, portfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()
