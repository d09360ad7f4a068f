// Re-signs a presigned S3 GET URL with @smithy/signature-v4 (the SDKs'
// signer) at the URL's own X-Amz-Date and expiry, and exits 0 only if the
// signatures agree: s3rver does not check SigV4 signatures, real S3 does.
// Usage: node presign-check.js URL SECRET_ACCESS_KEY [SESSION_TOKEN]
'use strict';
const path = require('path');
const crypto = require('crypto');
const { SignatureV4 } = require(path.join(__dirname, '..', 'node_modules', '@smithy', 'signature-v4'));

class Sha256 {
	constructor(secret) {
		this.h = secret === undefined ? crypto.createHash('sha256') :
		    crypto.createHmac('sha256', secret);
	}
	update(data) { this.h.update(data); }
	async digest() { return new Uint8Array(this.h.digest()); }
}

async function main() {
	const u = new URL(process.argv[2]);
	const q = u.searchParams;
	const [keyId, day, region, service] = q.get('X-Amz-Credential').split('/');
	const d = q.get('X-Amz-Date');
	const when = new Date(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8),
	    +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15)));
	const creds = { accessKeyId: keyId, secretAccessKey: process.argv[3] };
	if (process.argv[4])
		creds.sessionToken = process.argv[4];
	const signer = new SignatureV4({ credentials: creds, region, service,
	    sha256: Sha256, uriEscapePath: false, applyChecksum: false });
	// the caller's own query parameters (none for a plain GET link)
	const query = {};
	for (const [k, v] of q)
		if (!k.startsWith('X-Amz-'))
			query[k] = v;
	const req = { method: 'GET', protocol: u.protocol, hostname: u.hostname,
	    port: u.port ? +u.port : undefined, path: decodeURIComponent(u.pathname)
	    .split('/').map(encodeURIComponent).join('/'), query,
	    headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
	const out = await signer.presign(req, { signingDate: when,
	    expiresIn: +q.get('X-Amz-Expires'),
	    unsignableHeaders: new Set(['x-amz-content-sha256']),
	    unhoistableHeaders: new Set(['x-amz-content-sha256']) });
	const want = out.query['X-Amz-Signature'];
	const got = q.get('X-Amz-Signature');
	if (day !== d.slice(0, 8) || want !== got) {
		console.error(`signature ${got}, the SDK's signer makes ${want}`);
		process.exit(1);
	}
}
main().catch((err) => { console.error(err); process.exit(2); });
