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
import json
import threading

import proxylib

lock = threading.Lock()
log = []
HEX = set("0123456789abcdefABCDEF")


class Handler(proxylib.Handler):
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
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in proxylib.HOP}
        if self.command in ("PUT", "POST") or body:
            headers["Content-Length"] = str(len(body))
        self.forward(body, headers, head_length=True)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    proxylib.serve(Handler)
