#!/usr/bin/env python3
"""The table and bucket settings dynalite and s3rver lack, in front of them.

Usage: aws-settings-proxy.py LISTEN_PORT TARGET_PORT PORTFILE

Answers, with the request and response shapes of AWS's API reference, and
keeps in memory:
  DynamoDB  DescribeContinuousBackups, UpdateContinuousBackups,
            DescribeTimeToLive, UpdateTimeToLive, UpdateTable with
            DeletionProtectionEnabled (and DescribeTable then says it;
            DeleteTable of a protected table is refused, as AWS does)
  S3        GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration
            (?lifecycle on the bucket; a PUT without a matching Content-MD5
            is refused, as AWS does)
Everything else goes to 127.0.0.1:TARGET_PORT unchanged. The table exists
or not as the peer says (a DescribeTable is forwarded first). GET
/__settings/stats gives how many calls changed a setting, per operation.
"""
import base64
import hashlib
import json
import threading
import time
import urllib.parse
import http.client

import proxylib

lock = threading.Lock()
pitr = {}        # table -> True
ttl = {}         # table -> attribute name
protected = {}   # table -> True
lifecycle = {}   # bucket -> configuration XML (bytes)
changes = {}     # operation -> count

DDB = "DynamoDB_20120810."
JSON = "application/x-amz-json-1.0"


def count(op):
    with lock:
        changes[op] = changes.get(op, 0) + 1


class Handler(proxylib.Handler):
    def reply(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "SETTINGS%d" % time.time_ns())
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def ddb_reply(self, obj, status=200):
        self.reply(status, json.dumps(obj).encode(), JSON)

    def ddb_error(self, kind, message, status=400):
        self.ddb_reply({"__type": "com.amazonaws.dynamodb.v20120810#" + kind,
                        "message": message}, status)

    def upstream(self, target, obj):
        """A call to the peer: (status, answer)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.target, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive", "content-length")}
        headers["X-Amz-Target"] = DDB + target
        conn.request("POST", "/", body=json.dumps(obj).encode(), headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, json.loads(data or b"{}")

    def table(self, name):
        """The peer's description of the table, or None (an error sent)."""
        status, out = self.upstream("DescribeTable", {"TableName": name})
        if status != 200:
            self.ddb_reply(out, status)
            return None
        t = out["Table"]
        with lock:
            t["DeletionProtectionEnabled"] = protected.get(name, False)
        return t

    def backups(self, name):
        on = pitr.get(name, False)
        d = {"PointInTimeRecoveryStatus": "ENABLED" if on else "DISABLED"}
        if on:
            now = time.time()
            d["EarliestRestorableDateTime"] = now - 60
            d["LatestRestorableDateTime"] = now
            d["RecoveryPeriodInDays"] = 35
        return {"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": d}}

    def dynamodb(self, op, body):
        rq = json.loads(body or b"{}")
        name = rq.get("TableName", "")
        if op == "DescribeTable":
            t = self.table(name)
            if t is not None:
                self.ddb_reply({"Table": t})
            return True
        if op == "DeleteTable" and protected.get(name):
            self.ddb_error("ValidationException", "Resource cannot be deleted as it is "
                           "currently protected against deletion. Disable deletion "
                           "protection first.")
            return True
        if op == "UpdateTable" and "DeletionProtectionEnabled" in rq:
            rest = {k: v for k, v in rq.items()
                    if k not in ("TableName", "DeletionProtectionEnabled")}
            if rest:
                return False  # other changes too: not what pgal sends
            if self.table(name) is None:
                return True
            with lock:
                protected[name] = bool(rq["DeletionProtectionEnabled"])
            count(op)
            self.ddb_reply({"TableDescription": self.table(name)})
            return True
        if op in ("DescribeContinuousBackups", "UpdateContinuousBackups"):
            status, out = self.upstream("DescribeTable", {"TableName": name})
            if status != 200:
                self.ddb_error("TableNotFoundException", "Table not found: " + name)
                return True
            if op == "UpdateContinuousBackups":
                spec = rq.get("PointInTimeRecoverySpecification")
                if not isinstance(spec, dict) or "PointInTimeRecoveryEnabled" not in spec:
                    self.ddb_error("ValidationException",
                                   "PointInTimeRecoverySpecification is required")
                    return True
                with lock:
                    pitr[name] = bool(spec["PointInTimeRecoveryEnabled"])
                count(op)
            self.ddb_reply(self.backups(name))
            return True
        if op in ("DescribeTimeToLive", "UpdateTimeToLive"):
            if self.table(name) is None:
                return True
            if op == "UpdateTimeToLive":
                spec = rq.get("TimeToLiveSpecification") or {}
                attr, on = spec.get("AttributeName"), spec.get("Enabled")
                if not attr or not isinstance(on, bool):
                    self.ddb_error("ValidationException",
                                   "TimeToLiveSpecification needs AttributeName and Enabled")
                    return True
                with lock:
                    if on and name in ttl:
                        self.ddb_error("ValidationException", "TimeToLive is already enabled")
                        return True
                    if on:
                        ttl[name] = attr
                    else:
                        ttl.pop(name, None)
                count(op)
                self.ddb_reply({"TimeToLiveSpecification": {"AttributeName": attr,
                                                            "Enabled": on}})
                return True
            with lock:
                a = ttl.get(name)
            self.ddb_reply({"TimeToLiveDescription":
                            {"TimeToLiveStatus": "ENABLED", "AttributeName": a}
                            if a else {"TimeToLiveStatus": "DISABLED"}})
            return True
        return False

    def s3_error(self, status, code, message):
        self.reply(status, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s"
                            "</Code><Message>%s</Message><RequestId>SETTINGS1</RequestId>"
                            "</Error>" % (code, message)).encode(), "application/xml")

    def s3(self, body):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        if "lifecycle" not in q:
            return False
        # path style: /bucket; virtual-hosted: the bucket is in Host
        bucket = u.path.strip("/") or self.headers.get("Host", "").split(".")[0]
        if self.command == "GET":
            with lock:
                conf = lifecycle.get(bucket)
            if conf is None:
                self.s3_error(404, "NoSuchLifecycleConfiguration",
                              "The lifecycle configuration does not exist")
            else:
                self.reply(200, conf, "application/xml")
            return True
        if self.command == "PUT":
            md5 = self.headers.get("Content-MD5")
            if md5 is None:
                self.s3_error(400, "InvalidRequest", "Missing required header for this "
                              "request: Content-MD5")
                return True
            if md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
                self.s3_error(400, "BadDigest", "The Content-MD5 you specified did not "
                              "match what we received.")
                return True
            with lock:
                lifecycle[bucket] = body
            count("PutBucketLifecycleConfiguration")
            self.reply(200, b"", "application/xml")
            return True
        if self.command == "DELETE":
            with lock:
                lifecycle.pop(bucket, None)
            self.reply(204, b"", "application/xml")
            return True
        return False

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path == "/__settings/stats":
            with lock:
                return self.reply(200, json.dumps(changes).encode(), "application/json")
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith(DDB):
            if self.dynamodb(target[len(DDB):], body):
                return
        elif self.s3(body):
            return
        self.pass_through(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    proxylib.serve(Handler)
