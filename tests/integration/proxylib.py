"""What the test proxies in front of a loopback peer share (fault-proxy.py,
s3-verify-proxy.py): forwarding one request and relaying the answer, and
serving on a port written to a file.

Usage of a proxy built on it: PROXY LISTEN_PORT TARGET_PORT PORTFILE
"""
import http.client
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP = ("connection", "keep-alive", "transfer-encoding", "content-length")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    target = None  # the peer's port, set by serve()

    def log_message(self, fmt, *args):
        pass

    def forward(self, body, headers, head_length=False):
        """Sends the request to the peer with these headers and relays its
        answer; a HEAD answer keeps the peer's Content-Length when
        head_length, else it says 0 (the bytes relayed)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.target, timeout=60)
        conn.request(self.command, self.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", r.getheader("Content-Length", "0")
                         if head_length and self.command == "HEAD" else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()


    def pass_through(self, body):
        """Forwards the request as it came (Host header included, so
        signatures stay valid)."""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive")}
        self.forward(body, headers)


def serve(handler):
    """Listens on argv[1] (0: any), forwards to argv[2], writes the port to
    the file argv[3] once it listens."""
    port, handler.target, portfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()
