#!/usr/bin/env python3
"""A fake EC2 instance metadata service (IMDSv2 only) for credential tests.

Usage: fake-imds.py PORT
  PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds)
  GET /latest/meta-data/iam/security-credentials/        -> "pgal-role"
  GET /latest/meta-data/iam/security-credentials/pgal-role -> JSON; each
      fetch hands out new keys ASIAIMDS<n> / imds-secret-<n> / imds-token-<n>
      expiring in `expires` seconds (POST /__imds/expires?secs=S, default 3600);
      POST /__imds/keyid?id=ID hands out ID instead (s3rver knows one id)
  GET /latest/meta-data/placement/region -> the instance's region
      (POST /__imds/region?r=R, default eu-north-1)
  GET /__imds/stats -> {"tokens": a, "creds": b, "rejected": c}
Any metadata GET without a valid token is answered 401, as IMDSv2 does.
"""
import json
import threading
import time
import urllib.parse

import fakelib

lock = threading.Lock()
st = {"tokens": 0, "creds": 0, "rejected": 0, "expires": 3600, "issued": set(),
      "keyid": None, "region": "eu-north-1"}
ROLE = "pgal-role"


class Handler(fakelib.Handler):
    def do_PUT(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if self.path != "/latest/api/token" or \
                not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(400, "bad token request")
        with lock:
            st["tokens"] += 1
            tok = "imds-session-%d" % st["tokens"]
            st["issued"].add(tok)
        self.reply(200, tok)

    def do_POST(self):
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if u.path == "/__imds/expires":
            with lock:
                st["expires"] = int(q.get("secs", "3600"))
            return self.reply(200, "ok")
        if u.path == "/__imds/region":
            with lock:
                st["region"] = q.get("r", "")
            return self.reply(200, "ok")
        if u.path == "/__imds/keyid":
            with lock:
                st["keyid"] = q.get("id") or None
            return self.reply(200, "ok")
        self.reply(404, "")

    def do_GET(self):
        if self.path == "/":
            return self.reply(200, "fake imds")
        if self.path == "/__imds/stats":
            with lock:
                body = json.dumps({k: st[k] for k in ("tokens", "creds", "rejected")})
            return self.reply(200, body, "application/json")
        with lock:
            ok = self.headers.get("X-aws-ec2-metadata-token") in st["issued"]
            if not ok:
                st["rejected"] += 1
        if not ok:
            return self.reply(401, "")
        if self.path == "/latest/meta-data/placement/region":
            with lock:
                region = st["region"]
            return self.reply(200, region) if region else self.reply(404, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.reply(200, ROLE)
        if self.path == base + ROLE:
            with lock:
                st["creds"] += 1
                n, exp, keyid = st["creds"], st["expires"], st["keyid"]
            body = json.dumps({
                "Code": "Success", "Type": "AWS-HMAC",
                "LastUpdated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "AccessKeyId": keyid or "ASIAIMDS%d" % n,
                "SecretAccessKey": "imds-secret-%d" % n,
                "Token": "imds-token-%d" % n,
                "Expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                            time.gmtime(time.time() + exp))})
            return self.reply(200, body)
        self.reply(404, "")


if __name__ == "__main__":
    fakelib.serve(Handler)
