#!/usr/bin/env python3
"""S3 listings as AWS S3 writes them, in front of s3rver, for the import tests.

Usage: s3-keys-proxy.py LISTEN_PORT TARGET_PORT PORTFILE

Forwards every request to s3rver unchanged, except ListObjectsV2 answers:
  - with encoding-type=url in the request, every key is percent-encoded
    (a space as '+') and the answer says <EncodingType>url</EncodingType>,
    as S3 does; s3rver ignores the parameter and writes control
    characters raw into its XML
  - the keys added with POST /__keys/add?key=K&size=N are listed too (on
    the first page, when under the request's prefix): keys s3rver cannot
    hold, since its file store resolves '..' segments and keeps names
    short. A GET of such a key reaches s3rver and is a 404.
"""
import html
import http.client
import re
import threading
import urllib.parse

import proxylib

lock = threading.Lock()
extra = []  # (key, size)


def contents(key, size, encode):
    k = urllib.parse.quote_plus(key, safe="/") if encode else html.escape(key)
    return ("<Contents><Key>%s</Key><LastModified>2020-01-01T00:00:00.000Z</LastModified>"
            "<ETag>&quot;00000000000000000000000000000000&quot;</ETag><Size>%d</Size>"
            "<StorageClass>STANDARD</StorageClass></Contents>" % (k, size))


def rewrite(xml, q):
    encode = q.get("encoding-type") == "url"
    if encode:
        xml = re.sub(r"<Key>(.*?)</Key>", lambda m: "<Key>%s</Key>" % urllib.parse.quote_plus(
            html.unescape(m.group(1)), safe="/"), xml, flags=re.S)
        xml = xml.replace("</ListBucketResult>", "<EncodingType>url</EncodingType>"
                          "</ListBucketResult>")
    if "continuation-token" not in q:
        prefix = q.get("prefix", "")
        with lock:
            add = "".join(contents(k, s, encode) for k, s in extra if k.startswith(prefix))
        xml = xml.replace("</ListBucketResult>", add + "</ListBucketResult>")
    return xml


class Handler(proxylib.Handler):
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        if u.path == "/__keys/add":
            with lock:
                extra.append((q["key"], int(q.get("size", "100"))))
            return self.answer(200, b"{}", {"Content-Type": "application/json"})
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive")}
        if self.command != "GET" or q.get("list-type") != "2":
            return self.forward(body, headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.target, timeout=60)
        conn.request(self.command, self.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        if r.status == 200:
            data = rewrite(data.decode("utf-8", "surrogateescape"), q).encode(
                "utf-8", "surrogateescape")
        self.answer(r.status, data, {k: v for k, v in r.getheaders()
                                     if k.lower() not in proxylib.HOP})

    def answer(self, status, data, headers):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    proxylib.serve(Handler)
