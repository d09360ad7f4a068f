// SigV4 oracle for tests/unit/test-sigv4.c: makes N random requests from a
// seed, signs each with @smithy/signature-v4 and prints them with the
// expected result as one JSON array. Usage: node sigv4-oracle.js SEED N
'use strict';
const path = require('path');
const crypto = require('crypto');
const { SignatureV4 } = require(path.join(__dirname, '..', 'node_modules', '@smithy', 'signature-v4'));

// smithy wants a Hash constructor: new Hash(secret?) / update / digest
class Sha256 {
	constructor(secret) {
		this.h = secret === undefined ? crypto.createHash('sha256') :
		    crypto.createHmac('sha256', secret);
	}
	update(data) { this.h.update(data); }
	async digest() { return new Uint8Array(this.h.digest()); }
}

// mulberry32: small and deterministic, so a seed reproduces a failure
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const seed = parseInt(process.argv[2] || '1', 10);
const count = parseInt(process.argv[3] || '200', 10);
const rand = rng(seed);
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// characters chosen to hit every encoding rule: unreserved, reserved,
// space, percent, plus, multi-byte UTF-8
const pool = ['a', 'b', 'Z', '0', '9', '-', '_', '.', '~', ' ', '%', '+', '=',
	'&', '?', '#', '!', '*', "'", '(', ')', ':', '@', '$', ',', ';', '[', ']',
	'é', 'ß', '日', '本', '€', '😀', '"', '<', '>', '\\', '^', '`', '{', '|', '}'];
function text(min, max, chars) {
	let s = '';
	const n = int(min, max);
	for (let i = 0; i < n; i++)
		s += pick(chars || pool);
	return s;
}
const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const hdrchars = alnum.concat(['-', '_', '.']);
const tokchars = alnum.concat(['/', '+', '=']);

const unsignable = new Set(['authorization', 'cache-control', 'connection',
	'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te',
	'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
	'date', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host']);

function headerValue() {
	// ASCII only: smithy folds every Unicode space, the spec only ASCII ones
	const parts = [];
	const n = int(1, 4);
	for (let i = 0; i < n; i++)
		parts.push(text(1, 6, alnum.concat(['"', ',', ';', '/', '=', '(', ')'])));
	const gap = () => pick([' ', '  ', '\t', ' \t ', '   ']);
	return (rand() < 0.4 ? gap() : '') + parts.join(gap()) + (rand() < 0.4 ? gap() : '');
}

function nonS3Path() {
	const segs = [];
	const n = int(0, 5);
	for (let i = 0; i < n; i++) {
		const r = rand();
		if (r < 0.1) segs.push('.');
		else if (r < 0.2) segs.push('..');
		else if (r < 0.3) segs.push('');
		else if (r < 0.5) segs.push(encodeURIComponent(text(1, 6)));
		else segs.push(text(1, 6).replace(/[/?#]/g, 'x'));
	}
	return '/' + segs.join('/') + (rand() < 0.3 ? '/' : '');
}

async function main() {
	const out = [];
	for (let i = 0; i < count; i++) {
		const s3 = rand() < 0.4;
		const service = s3 ? 's3' : pick(['dynamodb', 'email', 'service', 'execute-api', 'sts']);
		const region = pick(['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1']);
		const presign = rand() < 0.3;
		const method = presign ? pick(['GET', 'PUT', 'HEAD']) :
		    pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH']);
		const c = { i, method, service, region, s3, presign };
		c.host = pick(['example.amazonaws.com', 'bucket.s3.amazonaws.com',
		    '127.0.0.1:4568', 'localhost:9000', '[::1]:8080']);
		if (s3) {
			c.bucket = 'b' + text(2, 10, 'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));
			const segs = [];
			const n = int(1, 4);
			for (let k = 0; k < n; k++)
				segs.push(text(1, 8));
			c.key = segs.join('/');
			// what the AWS SDKs send: each segment percent-encoded, '/' kept
			c.path = '/' + c.bucket + '/' + c.key.split('/').map((x) =>
			    encodeURIComponent(x).replace(/[!'()*]/g,
			    (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())).join('/');
		} else
			c.path = nonS3Path();
		c.query = [];
		const nq = int(0, 4);
		const names = [];
		for (let k = 0; k < nq; k++) {
			const name = (k > 0 && rand() < 0.3) ? pick(names) : text(1, 6);
			names.push(name);
			c.query.push([name, rand() < 0.15 ? '' : text(0, 8)]);
		}
		c.headers = [['Host', c.host]];
		const seen = new Set(['host']);
		const nh = presign ? int(0, 1) : int(0, 4);
		for (let k = 0; k < nh; k++) {
			let name;
			do {
				name = (presign ? 'X-Custom-' : pick(['X-Amz-Meta-', 'X-Custom-', 'Content-', 'My-'])) +
				    text(1, 6, hdrchars);
			} while (seen.has(name.toLowerCase()) || unsignable.has(name.toLowerCase()));
			seen.add(name.toLowerCase());
			c.headers.push([name, headerValue()]);
		}
		c.token = rand() < 0.5 ? text(20, 300, tokchars) : null;
		c.akid = 'AKID' + text(8, 16, alnum).toUpperCase();
		c.secret = text(30, 40, tokchars);
		c.time = int(1420070400, 2051222400);
		c.body = (!presign && rand() < 0.6) ? text(0, 40) : null;
		c.unsigned = s3 && rand() < 0.3;
		c.applyChecksum = s3 ? true : rand() < 0.3;

		const query = {};
		for (const [k, v] of c.query) {
			if (k in query)
				query[k] = [].concat(query[k], v);
			else
				query[k] = v;
		}
		const headers = {};
		for (const [k, v] of c.headers)
			headers[k] = v;
		if (c.unsigned)
			headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
		const req = { method, protocol: 'https:', hostname: c.host.replace(/:.*/, ''),
			path: c.path, query, headers };
		if (c.body !== null)
			req.body = c.body;
		const creds = { accessKeyId: c.akid, secretAccessKey: c.secret };
		if (c.token)
			creds.sessionToken = c.token;
		const signer = new SignatureV4({ credentials: creds, region, service,
			sha256: Sha256, uriEscapePath: !s3, applyChecksum: c.applyChecksum });
		const when = new Date(c.time * 1000);
		if (presign) {
			c.expires = int(1, 604800);
			const opts = { signingDate: when, expiresIn: c.expires };
			if (c.unsigned) {
				opts.unhoistableHeaders = new Set(['x-amz-content-sha256']);
				opts.unsignableHeaders = new Set(['x-amz-content-sha256']);
			}
			const r = await signer.presign(req, opts);
			c.expect = r.query;
		} else {
			const r = await signer.sign(req, { signingDate: when });
			c.expect = { authorization: r.headers.authorization };
		}
		out.push(c);
	}
	process.stdout.write(JSON.stringify(out));
}
main().catch((err) => { console.error(err); process.exit(1); });
