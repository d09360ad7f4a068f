#!/usr/bin/env python3
"""A tiny fault-injecting HTTP proxy for the AWS layer's retry tests.

Usage: fault-proxy.py LISTEN_PORT TARGET_PORT PORTFILE

Forwards every request to 127.0.0.1:TARGET_PORT unchanged (Host header
included, so signatures stay valid), except that it can be told to answer
the next N requests itself with a status (503 by default, with an S3 or JSON
error body) or to delay the next M requests. Control, never forwarded:
  POST /__fault/fail?n=N&status=S&format=xml|json&after=K
                               (the K requests before those pass)
  POST /__fault/delay?n=M&ms=T
  POST /__fault/cut?n=N&method=PUT&after=K
                               the next N such requests (after K pass) lose
                               their connection half way through the body,
                               as when the peer dies mid-upload
  POST /__fault/reset          clears faults and counters
  GET  /__fault/stats          {"requests": n, "failed": k, "methods": {...}}
Writes its port to PORTFILE once it listens.
"""
import json
import socket
import threading
import time
import urllib.parse

import proxylib

lock = threading.Lock()
state = {"fail": 0, "after": 0, "status": 503, "format": "xml", "delay": 0, "ms": 0,
         "cut": 0, "cut_after": 0, "cut_method": "PUT", "cut_done": 0,
         "requests": 0, "failed": 0, "methods": {}}


class Handler(proxylib.Handler):
    def reply(self, status, body, ctype="application/json", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", "FAULTPROXY%d" % state["requests"])
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def control(self):
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        with lock:
            if u.path == "/__fault/fail":
                state["fail"] = int(q.get("n", "1"))
                state["status"] = int(q.get("status", "503"))
                state["format"] = q.get("format", "xml")
                state["after"] = int(q.get("after", "0"))
            elif u.path == "/__fault/delay":
                state["delay"] = int(q.get("n", "1"))
                state["ms"] = int(q.get("ms", "100"))
            elif u.path == "/__fault/cut":
                state["cut"] = int(q.get("n", "1"))
                state["cut_after"] = int(q.get("after", "0"))
                state["cut_method"] = q.get("method", "PUT")
            elif u.path == "/__fault/reset":
                state.update(fail=0, after=0, delay=0, requests=0, failed=0,
                             cut=0, cut_after=0, cut_done=0, methods={})
            elif u.path != "/__fault/stats":
                return self.reply(404, b"{}")
            body = json.dumps({k: state[k] for k in
                               ("requests", "failed", "cut_done", "methods")}).encode()
        self.reply(200, body)

    def cut_now(self, n):
        """True (and the connection dropped) if this request is to be cut."""
        if self.path.startswith("/__fault/") or n < 2:
            return False
        with lock:
            if state["cut"] <= 0 or self.command != state["cut_method"]:
                return False
            if state["cut_after"] > 0:
                state["cut_after"] -= 1
                return False
            state["cut"] -= 1
            state["cut_done"] += 1
        self.rfile.read(n // 2)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if self.cut_now(n):
            return
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/__fault/"):
            return self.control()
        with lock:
            state["requests"] += 1
            m = state["methods"]
            m[self.command] = m.get(self.command, 0) + 1
            fail = state["fail"] > 0 and state["after"] == 0
            if state["after"] > 0:
                state["after"] -= 1
            if fail:
                state["fail"] -= 1
                state["failed"] += 1
            status, fmt = state["status"], state["format"]
            delay = 0
            if state["delay"] > 0:
                state["delay"] -= 1
                delay = state["ms"]
        if delay:
            time.sleep(delay / 1000.0)
        if fail:
            if fmt == "json":
                return self.reply(status, json.dumps({
                    "__type": "com.amazonaws#ServiceUnavailableException",
                    "message": "injected by the fault proxy"}).encode(),
                    "application/x-amz-json-1.0")
            code = {503: "SlowDown", 500: "InternalError",
                    403: "AccessDenied", 404: "NoSuchKey"}.get(status, "Injected")
            return self.reply(status, (
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
                "<Code>%s</Code><Message>injected by the fault proxy"
                "</Message><RequestId>FAULT1</RequestId></Error>" % code).encode(),
                "application/xml")
        self.pass_through(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    proxylib.serve(Handler)
