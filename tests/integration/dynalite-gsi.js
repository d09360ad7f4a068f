// dynalite with one thing dynalite 4 lacks: UpdateTable's
// GlobalSecondaryIndexUpdates[].Create (an index added to a live table).
// dynalite validates such a request and answers 200 but never adds the
// index. Here the request still goes to dynalite first (its validation
// stays the judge of the request's shape), then the checks DynamoDB makes
// that dynalite skips (one index per call, key attributes defined, no
// existing name, throughput only on provisioned tables), then the index is
// built the only way dynalite allows: the table's items are read, the table
// is made again with the index, the items are written back, while every
// other request waits. DescribeTable then says CREATING (Backfilling) for a
// few calls before ACTIVE, as DynamoDB does while it backfills.
//
// Test controls, as requests with x-amz-target "PgalTest.<op>" (never
// forwarded to dynalite):
//   Backfill {TableName, IndexName, Calls}  DescribeTable says CREATING
//                        (Backfilling) for that many more calls (0: ACTIVE)
//   Stale {IndexNames}   a Query on these global indexes finds nothing, as
//                        an index that has not caught up with the table yet
//                        (DynamoDB's GSIs are eventually consistent; dynalite
//                        updates them at once). Also PGAL_TEST_STALE_GSI
//                        (comma-separated names) at start.
//   Log {}               the writes that succeeded since the last Log, in
//                        order: [{op, table, kind: "put"|"delete",
//                        keys: [...], batch}] (a BatchWriteItem is one entry
//                        per request, with the same batch number)
// Usage: node dynalite-gsi.js PORT
'use strict';
const http = require('http');
const path = require('path');
const dynalite = require(path.join(__dirname, '..', 'node_modules', 'dynalite'));

const port = Number(process.argv[2]);
const CREATING_CALLS = 3;
let inner;
let busy = Promise.resolve();
const creating = new Map(); // "table/index" -> DescribeTable calls left
let stale = new Set((process.env.PGAL_TEST_STALE_GSI || '').split(',').filter((x) => x));
let writes = [];
let batches = 0;

function call(op, body, headers) {
	return new Promise((resolve, reject) => {
		const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
		const h = Object.assign({}, headers || {
			'content-type': 'application/x-amz-json-1.0',
			authorization: 'AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
			'x-amz-date': '20240101T000000Z',
		});
		h['x-amz-target'] = 'DynamoDB_20120810.' + op;
		h['content-length'] = data.length;
		delete h['transfer-encoding'];
		const rq = http.request({ host: '127.0.0.1', port: inner, method: 'POST', path: '/', headers: h }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
		});
		rq.on('error', reject);
		rq.end(data);
	});
}

async function must(op, body) {
	const r = await call(op, body);
	if (r.status !== 200)
		throw new Error(op + ': ' + r.body.toString());
	return JSON.parse(r.body.toString() || '{}');
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

// until(seconds, what, cond): awaits cond() every 10 ms until it is true;
// after that many seconds throws "timed out after N s waiting for WHAT"
// (in the peer's log, and the request fails with it)
async function until(seconds, what, cond) {
	const end = Date.now() + seconds * 1000;
	while (!(await cond())) {
		if (Date.now() >= end) {
			const msg = 'dynalite-gsi: timed out after ' + seconds + ' s waiting for ' + what;
			console.error(msg);
			throw new Error(msg);
		}
		await sleep(10);
	}
}

function validation(msg) {
	return { status: 400, body: JSON.stringify({
		__type: 'com.amazon.coral.validate#ValidationException', message: msg }) };
}

// DynamoDB's checks of a Create that dynalite does not make
function check(req, table) {
	const ups = req.GlobalSecondaryIndexUpdates || [];
	const creates = ups.filter((u) => u.Create);
	if (creates.length > 1)
		return validation('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
	const c = creates[0].Create;
	if ((table.GlobalSecondaryIndexes || []).some((g) => g.IndexName === c.IndexName) ||
	    (table.LocalSecondaryIndexes || []).some((g) => g.IndexName === c.IndexName))
		return validation('Attempting to create an index which already exists');
	const defs = req.AttributeDefinitions || [];
	for (const k of c.KeySchema || [])
		if (!defs.some((d) => d.AttributeName === k.AttributeName))
			return validation('One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' + k.AttributeName + ']');
	const ondemand = ((table.BillingModeSummary || {}).BillingMode || 'PROVISIONED') === 'PAY_PER_REQUEST';
	if (ondemand && c.ProvisionedThroughput)
		return validation('One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ' + c.IndexName + ' when BillingMode is PAY_PER_REQUEST');
	if (!ondemand && !c.ProvisionedThroughput)
		return validation('One or more parameter values were invalid: ProvisionedThroughput must be specified for index: ' + c.IndexName);
	return null;
}

function keyOnly(x, ondemand) {
	const o = { IndexName: x.IndexName, KeySchema: x.KeySchema, Projection: x.Projection };
	if (x.ProvisionedThroughput && !ondemand)
		o.ProvisionedThroughput = { ReadCapacityUnits: x.ProvisionedThroughput.ReadCapacityUnits,
			WriteCapacityUnits: x.ProvisionedThroughput.WriteCapacityUnits };
	return o;
}

// the table again, with the new index, holding the same items
async function rebuild(req, table) {
	const name = table.TableName;
	const c = req.GlobalSecondaryIndexUpdates.find((u) => u.Create).Create;
	const items = [];
	let start;
	do {
		const page = await must('Scan', { TableName: name, ExclusiveStartKey: start });
		items.push(...page.Items);
		start = page.LastEvaluatedKey;
	} while (start);
	const ondemand = ((table.BillingModeSummary || {}).BillingMode) === 'PAY_PER_REQUEST';
	const attrs = new Map();
	for (const a of table.AttributeDefinitions.concat(req.AttributeDefinitions || []))
		attrs.set(a.AttributeName, a);
	const def = {
		TableName: name,
		KeySchema: table.KeySchema,
		AttributeDefinitions: [...attrs.values()],
		GlobalSecondaryIndexes: (table.GlobalSecondaryIndexes || []).map((x) => keyOnly(x, ondemand))
			.concat([keyOnly(c, ondemand)]),
	};
	if ((table.LocalSecondaryIndexes || []).length)
		def.LocalSecondaryIndexes = table.LocalSecondaryIndexes.map((x) =>
			({ IndexName: x.IndexName, KeySchema: x.KeySchema, Projection: x.Projection }));
	if (ondemand)
		def.BillingMode = 'PAY_PER_REQUEST';
	else
		def.ProvisionedThroughput = { ReadCapacityUnits: table.ProvisionedThroughput.ReadCapacityUnits,
			WriteCapacityUnits: table.ProvisionedThroughput.WriteCapacityUnits };
	// dynalite, like DynamoDB, deletes and creates in the background: a
	// table is gone, or ACTIVE, only once DescribeTable says so
	await must('DeleteTable', { TableName: name });
	await until(10, 'table ' + name + ' to be deleted (DescribeTable failing)',
		async () => (await call('DescribeTable', { TableName: name })).status !== 200);
	await must('CreateTable', def);
	await until(10, 'table ' + name + ' to be ACTIVE again (DescribeTable)',
		async () => (await must('DescribeTable', { TableName: name })).Table.TableStatus === 'ACTIVE');
	for (let i = 0; i < items.length; i += 25) {
		let batch = { [name]: items.slice(i, i + 25).map((it) => ({ PutRequest: { Item: it } })) };
		while (batch && Object.keys(batch).length) {
			const r = await must('BatchWriteItem', { RequestItems: batch });
			batch = r.UnprocessedItems;
		}
	}
	creating.set(name + '/' + c.IndexName, CREATING_CALLS);
	return c.IndexName;
}

// DescribeTable of a table whose new index is still "backfilling"
function mark(body) {
	let j;
	try {
		j = JSON.parse(body.toString());
	} catch (e) {
		return body;
	}
	const t = j.Table || j.TableDescription;
	if (!t)
		return body;
	for (const g of t.GlobalSecondaryIndexes || []) {
		const k = t.TableName + '/' + g.IndexName;
		const left = creating.get(k);
		if (left === undefined)
			continue;
		if (left <= 0) {
			creating.delete(k);
			continue;
		}
		g.IndexStatus = 'CREATING';
		g.Backfilling = true;
		if (j.Table)
			creating.set(k, left - 1);
	}
	return Buffer.from(JSON.stringify(j));
}

function json200(obj) {
	return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' },
		body: Buffer.from(JSON.stringify(obj)) };
}

function control(op, body) {
	let j = {};
	try {
		j = JSON.parse(body.toString() || '{}');
	} catch (e) {
		return validation('PgalTest: bad JSON');
	}
	if (op === 'Backfill') {
		creating.set(j.TableName + '/' + j.IndexName, Number(j.Calls) || 0);
		return json200({});
	}
	if (op === 'Stale') {
		stale = new Set(j.IndexNames || []);
		return json200({});
	}
	if (op === 'Log') {
		const out = writes;
		writes = [];
		return json200({ Writes: out });
	}
	return validation('PgalTest: unknown control ' + op);
}

// the key attributes of an item or key (albumID/photoID or pk/sk)
function keyOf(item) {
	const k = {};
	for (const a of ['albumID', 'photoID', 'pk', 'sk'])
		if (item && item[a])
			k[a] = item[a].S;
	return k;
}

function record(op, body) {
	let j;
	try {
		j = JSON.parse(body.toString());
	} catch (e) {
		return;
	}
	if (op === 'PutItem')
		writes.push({ op, table: j.TableName, kind: 'put', keys: [keyOf(j.Item)] });
	else if (op === 'UpdateItem')
		writes.push({ op, table: j.TableName, kind: 'put', keys: [keyOf(j.Key)] });
	else if (op === 'DeleteItem')
		writes.push({ op, table: j.TableName, kind: 'delete', keys: [keyOf(j.Key)] });
	else if (op === 'BatchWriteItem') {
		batches++;
		for (const table of Object.keys(j.RequestItems || {}))
			for (const r of j.RequestItems[table])
				writes.push({ op, table, batch: batches,
					kind: r.PutRequest ? 'put' : 'delete',
					keys: [keyOf(r.PutRequest ? r.PutRequest.Item : r.DeleteRequest.Key)] });
	}
}

async function handle(req, body) {
	const target = String(req.headers['x-amz-target'] || '');
	const op = target.split('.').pop();
	if (target.startsWith('PgalTest.'))
		return control(op, body);
	let parsed = null;
	if (op === 'UpdateTable') {
		try {
			parsed = JSON.parse(body.toString());
		} catch (e) {
			parsed = null;
		}
	}
	const wantsCreate = parsed && (parsed.GlobalSecondaryIndexUpdates || []).some((u) => u && u.Create);
	let before = null;
	if (wantsCreate) {
		const d = await call('DescribeTable', { TableName: parsed.TableName });
		if (d.status === 200)
			before = JSON.parse(d.body.toString()).Table;
	}
	let sent = body;
	if (wantsCreate && before &&
	    ((before.BillingModeSummary || {}).BillingMode) === 'PAY_PER_REQUEST') {
		// dynalite 4's validation predates on-demand tables and wants
		// capacity on every Create; DynamoDB refuses it there (check())
		const copy = JSON.parse(body.toString());
		for (const u of copy.GlobalSecondaryIndexUpdates)
			if (u && u.Create && !u.Create.ProvisionedThroughput)
				u.Create.ProvisionedThroughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
		sent = Buffer.from(JSON.stringify(copy));
	}
	if (op === 'Query' && stale.size) {
		let q = {};
		try {
			q = JSON.parse(body.toString());
		} catch (e) {
			q = {};
		}
		if (q.IndexName && stale.has(q.IndexName))
			return json200({ Items: [], Count: 0, ScannedCount: 0 });
	}
	const r = await call(op, sent, req.headers);
	if (r.status === 200)
		record(op, sent);
	if (!wantsCreate || r.status !== 200 || !before)
		return op === 'DescribeTable' && r.status === 200 ?
			Object.assign(r, { body: mark(r.body) }) : r;
	const bad = check(parsed, before);
	if (bad)
		return Object.assign({ headers: { 'content-type': 'application/x-amz-json-1.0' } }, bad);
	await rebuild(parsed, before);
	const d = await call('DescribeTable', { TableName: parsed.TableName });
	const t = JSON.parse(d.body.toString()).Table;
	return { status: 200, headers: r.headers, body: mark(Buffer.from(JSON.stringify({ TableDescription: t }))) };
}

const front = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const body = Buffer.concat(chunks);
		// one request at a time: nothing sees the table half rebuilt
		busy = busy.then(() => handle(req, body)).then((r) => {
			const h = Object.assign({}, r.headers || {});
			delete h['content-length'];
			delete h['transfer-encoding'];
			delete h.connection;
			h['content-length'] = Buffer.byteLength(r.body);
			res.writeHead(r.status, h);
			res.end(r.body);
		}, (err) => {
			res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
			res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
				message: String(err && err.message || err) }));
		});
	});
});

const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
db.listen(0, '127.0.0.1', () => {
	inner = db.address().port;
	front.listen(port, '127.0.0.1');
});
