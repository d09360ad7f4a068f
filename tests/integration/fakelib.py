"""What the fake AWS endpoints share (fake-imds.py, fake-sts.py): a quiet
HTTP/1.1 handler that answers with a whole body, and serving on a port.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    content_type = "text/plain"   # of answers that name none
    extra_headers = ()            # sent with every answer

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype=None):
        body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype or self.content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in self.extra_headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def serve(handler):
    """Serves handler on 127.0.0.1, port argv[1]."""
    srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler)
    srv.daemon_threads = True
    srv.serve_forever()
