#!/usr/bin/env python3
"""A fake STS (AssumeRole, GetCallerIdentity; query protocol, XML answers)
and a fake container credentials endpoint (ECS / EKS Pod Identity), for
the credential tests.

Usage: fake-sts.py PORT
  POST /  Action=AssumeRole|GetCallerIdentity, SigV4 for service "sts":
      the signature is checked with the secret of the signing key id, which
      must be known: registered (POST /__sts/source?id=ID&secret=S[&token=T]),
      handed out here before, or fake-imds.py's ASIAIMDS<n>/imds-secret-<n>/
      imds-token-<n>; a session token must ride in x-amz-security-token,
      signed. AssumeRole answers new keys ASIASTS<n>/sts-secret-<n>/
      sts-token-<n> expiring after DurationSeconds (default 3600, or
      POST /__sts/expires?secs=S). Failures answer as STS does (XML, 403/400).
  GET /ecs/<anything>  the container endpoint: needs Authorization equal to
      the token set by POST /__ecs/token?t=T (none set: no header wanted);
      answers ASIAECS<n>/ecs-secret-<n>/ecs-token-<n> with an Expiration.
  POST /__sts/keyid?id=ID  both hand out ID as the access key id instead
      (s3rver knows one id); the secret stays per issue.
  GET /__sts/stats -> {"assume": a, "ecs": b, "rejected": c, "calls": [...]}
      each call: Action, RoleArn, RoleSessionName, ExternalId,
      DurationSeconds, KeyId (the signer), Region (of the signing scope).
"""
import hashlib
import hmac
import json
import threading
import time
import urllib.parse

import fakelib

lock = threading.Lock()
st = {"assume": 0, "ecs": 0, "rejected": 0, "calls": [], "known": {},
      "keyid": None, "expires": None, "ecs_token": None, "n": 0,
      "identity": {}}
NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def known_secret(keyid):
    """(secret, token) of a key id, or None."""
    if keyid in st["known"]:
        return st["known"][keyid]
    if keyid.startswith("ASIAIMDS") and keyid[8:].isdigit():
        n = keyid[8:]
        return ("imds-secret-" + n, "imds-token-" + n)
    return None


def issue(prefix, secs):
    """New credentials, remembered so they can sign later calls."""
    with lock:
        st["n"] += 1
        n = st["n"]
        keyid = st["keyid"] or "ASIA%s%d" % (prefix.upper(), n)
        secret = "%s-secret-%d" % (prefix, n)
        token = "%s-token-%d" % (prefix, n)
        st["known"][keyid] = (secret, token)
    exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + secs))
    return keyid, secret, token, exp


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def check_sigv4(method, path, query, headers, body):
    """(keyid, region) of a well-formed SigV4 request for sts signed with a
    known secret, or an error (code, message)."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return None, ("MissingAuthenticationToken", "no SigV4 Authorization")
    parts = dict(p.strip().split("=", 1) for p in auth[17:].split(","))
    try:
        keyid, date, region, service, term = parts["Credential"].split("/")
        signed = parts["SignedHeaders"].split(";")
        sig = parts["Signature"]
    except (KeyError, ValueError):
        return None, ("IncompleteSignature", "malformed Authorization")
    if service != "sts" or term != "aws4_request":
        return None, ("SignatureDoesNotMatch", "scope is not sts/aws4_request")
    if "host" not in signed or "x-amz-date" not in signed:
        return None, ("SignatureDoesNotMatch", "host and x-amz-date must be signed")
    amzdate = headers.get("x-amz-date", "")
    if not amzdate.startswith(date):
        return None, ("SignatureDoesNotMatch", "x-amz-date is not of the scope's day")
    when = time.mktime(time.strptime(amzdate, "%Y%m%dT%H%M%SZ")) - time.timezone
    if abs(when - time.time()) > 300:
        return None, ("SignatureDoesNotMatch", "request time too skewed")
    ks = known_secret(keyid)
    if ks is None:
        return None, ("InvalidClientTokenId", "unknown access key id")
    secret, token = ks
    if token is not None:
        if headers.get("x-amz-security-token") != token or \
                "x-amz-security-token" not in signed:
            return None, ("InvalidClientTokenId", "session token missing, wrong or unsigned")
    canon_headers = "".join(
        "%s:%s\n" % (h, " ".join((headers.get(h) or "").split())) for h in signed)
    q = urllib.parse.parse_qsl(query, keep_blank_values=True)
    cq = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                             urllib.parse.quote(v, safe="-_.~")) for k, v in sorted(q))
    creq = "\n".join([method, path, cq, canon_headers, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["AWS4-HMAC-SHA256", amzdate,
                     "/".join([date, region, service, term]),
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = sign(("AWS4" + secret).encode(), date)
    k = sign(k, region)
    k = sign(k, service)
    k = sign(k, term)
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, sig):
        return None, ("SignatureDoesNotMatch", "signature does not match")
    return (keyid, region), None


class Handler(fakelib.Handler):
    content_type = "text/xml"
    extra_headers = (("x-amzn-RequestId", "fake-sts-request"),)

    def sts_error(self, status, code, msg):
        with lock:
            st["rejected"] += 1
        self.reply(status, '<ErrorResponse xmlns="%s"><Error><Type>Sender</Type>'
                   '<Code>%s</Code><Message>%s</Message></Error>'
                   '<RequestId>fake-sts-request</RequestId></ErrorResponse>'
                   % (NS, code, msg))

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if u.path.startswith("/__"):
            with lock:
                if u.path == "/__sts/source":
                    st["known"][q["id"]] = (q["secret"], q.get("token"))
                elif u.path == "/__sts/keyid":
                    st["keyid"] = q.get("id") or None
                elif u.path == "/__sts/expires":
                    st["expires"] = int(q["secs"])
                elif u.path == "/__ecs/token":
                    st["ecs_token"] = q.get("t") or None
                else:
                    return self.reply(404, "")
            return self.reply(200, "ok", "text/plain")
        if u.path != "/":
            return self.reply(404, "")
        if not (self.headers.get("Content-Type") or "").startswith(
                "application/x-www-form-urlencoded"):
            return self.sts_error(400, "InvalidParameterValue", "not a form post")
        hdrs = {k.lower(): v for k, v in self.headers.items()}
        who, err = check_sigv4("POST", u.path, u.query, hdrs, body)
        if err:
            return self.sts_error(403, *err)
        p = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        call = {"Action": p.get("Action"), "KeyId": who[0], "Region": who[1]}
        if p.get("Version") != "2011-06-15":
            return self.sts_error(400, "InvalidAction", "bad Version")
        if p.get("Action") == "GetCallerIdentity":
            with lock:
                st["calls"].append(call)
                arn = st["identity"].get(who[0], "arn:aws:iam::123456789012:user/source")
            return self.reply(200, '<GetCallerIdentityResponse xmlns="%s">'
                              '<GetCallerIdentityResult><Arn>%s</Arn><UserId>%s</UserId>'
                              '<Account>123456789012</Account></GetCallerIdentityResult>'
                              '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>'
                              '</GetCallerIdentityResponse>' % (NS, arn, who[0]))
        if p.get("Action") != "AssumeRole":
            return self.sts_error(400, "InvalidAction", "only AssumeRole and GetCallerIdentity")
        for k in ("RoleArn", "RoleSessionName", "ExternalId", "DurationSeconds"):
            if k in p:
                call[k] = p[k]
        if not p.get("RoleArn", "").startswith("arn:") or not p.get("RoleSessionName"):
            return self.sts_error(400, "ValidationError", "RoleArn and RoleSessionName are required")
        secs = int(p.get("DurationSeconds") or st["expires"] or 3600)
        keyid, secret, token, exp = issue("sts", secs)
        with lock:
            st["assume"] += 1
            st["calls"].append(call)
            st["identity"][keyid] = "arn:aws:sts::123456789012:assumed-role/%s/%s" % (
                p["RoleArn"].rsplit("/", 1)[-1], p["RoleSessionName"])
        self.reply(200, '<AssumeRoleResponse xmlns="%s"><AssumeRoleResult>'
                   '<Credentials><AccessKeyId>%s</AccessKeyId>'
                   '<SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken>'
                   '<Expiration>%s</Expiration></Credentials>'
                   '<AssumedRoleUser><AssumedRoleId>AROA:%s</AssumedRoleId>'
                   '<Arn>%s</Arn></AssumedRoleUser></AssumeRoleResult>'
                   '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>'
                   '</AssumeRoleResponse>'
                   % (NS, keyid, secret, token, exp, p["RoleSessionName"],
                      st["identity"][keyid]))

    def do_GET(self):
        if self.path == "/":
            return self.reply(200, "fake sts", "text/plain")
        if self.path == "/__sts/stats":
            with lock:
                body = json.dumps({k: st[k] for k in ("assume", "ecs", "rejected", "calls")})
            return self.reply(200, body, "application/json")
        if self.path.startswith("/ecs/"):
            with lock:
                want = st["ecs_token"]
            if want is not None and self.headers.get("Authorization") != want:
                with lock:
                    st["rejected"] += 1
                return self.reply(401, '{"message":"bad token"}', "application/json")
            keyid, secret, token, exp = issue("ecs", st["expires"] or 3600)
            with lock:
                st["ecs"] += 1
            return self.reply(200, json.dumps({
                "AccessKeyId": keyid, "SecretAccessKey": secret, "Token": token,
                "Expiration": exp, "RoleArn": "arn:aws:iam::123456789012:role/task"}),
                "application/json")
        self.reply(404, "")


if __name__ == "__main__":
    fakelib.serve(Handler)
