// @ts-check
/**
 * End-to-end: a BINARY source image (Image → Transform, Source Image "Binary Data") in a REAL n8n
 * 2.41.1. Akool has no upload call: n8n itself serves the file through a signed, expiring URL
 * (`<WEBHOOK_URL>rest/binary-data/signed?token=…`), and the fake Akool downloads it when each job
 * starts processing, as Akool does (test/fake-akool/source-fetcher.js).
 *
 *   npm run build && npm run e2e:setup && node test/e2e/binary.mjs
 *
 * One n8n user folder (sqlite), the built package as a custom extension, the fake Akool in its own
 * process. Cases:
 *  1. `n8n execute` (no server), three runs at once: with WEBHOOK_URL on a loopback port where nothing
 *     listens, signing works but the fake's download is refused and the job fails (status 4) with the
 *     node's hint; in n8n's memory mode (N8N_DEFAULT_BINARY_DATA_MODE=default) and with WEBHOOK_URL on a
 *     private address (credential Base URL https://akool.invalid, RFC 2606: never resolves) the node
 *     refuses before any create, naming the setting to change.
 *  2. `n8n start`, WEBHOOK_URL on 127.0.0.1, n8n's default binary mode (filesystem):
 *     (a) examples/transform-an-uploaded-photo.json as a user imports it (node type and credential
 *         adapted as test/e2e/run.mjs does): the form submitted over HTTP as multipart; the fake
 *         downloaded exactly the uploaded bytes from the signed URL, without the API key; the form's
 *         completion page hands the user the image Akool made; the execution succeeds;
 *     (b) the signed URL: one character of its signature changed → 400; a token for the same file
 *         but expired → 400 (signed with the secret n8n derives from the encryption key; the same
 *         with a valid expiry → 200, without a login); the token's lifetime is the node's Timeout + 300 s;
 *     (c) three items each with its own file (a Webhook upload, stored; a JPEG made inline by a Code
 *         node, no id; one without the binary property), Number of Images 4, Continue On Fail;
 *     (d) Wait Mode Callback with a Webhook upload as the source (n8n moves a trigger's upload when
 *         the execution starts waiting: the node signs its own copy).
 *  3. The same user folder on `n8n start` WITHOUT WEBHOOK_URL, in the `database` binary mode: (c)
 *     and (d) again.
 * Prints one line per case, the measured n8n facts, and last `N passed, M failed` (exit 1 if any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder), AKOOL_E2E_VERBOSE=1 (n8n's log on failure).
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
	assertInstalled,
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	makeInstance,
	n8n,
	N8nDb,
	nodeItems,
	projectRoot,
	reportCase,
	startFakeAkool,
	startN8n,
	tempDir,
} from '../../scripts/e2e/n8n.mjs';

const require = createRequire(import.meta.url);
/** @type {{ readPngSize: (b: Buffer) => { width: number, height: number }, encodePng: (w: number, h: number, o?: { seed?: number }) => Buffer }} */
const { readPngSize, encodePng } = require('../fake-akool/png.js');
/** @type {{ imageSize: (ratio: string, resolution: string) => { width: number, height: number }, SAMPLE_SOURCES: Record<string, { bytes: Buffer, sha256: string }> }} */
const { imageSize, SAMPLE_SOURCES } = require('../fake-akool/index.js');

// 24 characters: the fake's callbacks are encrypted with it (AES-192), as Akool's are.
const API_KEY = 'e2e-binary-secret-KEY-24';
const CLIENT_ID = 'e2e-binary-client';
const CRED = { id: 'akoolBinCred0001', name: 'Akool (e2e binary)' };
const PUBLIC_CRED = { id: 'akoolBinPublic01', name: 'Akool (e2e binary, public base URL)' };
/** RFC 2606: a name that never resolves, so nothing can leave this machine even if a check failed. */
const PUBLIC_BASE_URL = 'https://akool.invalid';
/** A private (RFC 1918) address n8n is never asked to reach: only written into the URLs n8n builds. */
const PRIVATE_WEBHOOK_URL = 'http://192.168.77.10:5678/';
const WF = { items: 'akoolBinItems001', execLocal: 'akoolBinExecLoc1', execPublic: 'akoolBinExecPub1', callback: 'akoolBinCallbk01', example: 'akoolBinExample1' };
const EXAMPLE_FILE = path.join(projectRoot, 'examples', 'transform-an-uploaded-photo.json');
const ITEMS_PATH = 'akool-binary-items';
const CALLBACK_PATH = 'akool-binary-callback';
/** Fake job time in the callback cases: the fake downloads the source at its tenth (0.8 s), once n8n has saved the waiting execution. */
const CALLBACK_JOB_MS = 8000;
/** The prompts of the items workflow's two items with a file (binary.json). */
const ITEM_PROMPTS = /^binary e2e: the (uploaded PNG|inline JPEG) /;
const SIGNED_PATH = 'rest/binary-data/signed?token=';
/** The node's default Timeout (600 s) + the margin it adds (sourceImage.ts): the signed URL's lifetime. */
const TOKEN_LIFETIME_S = 600 + 300;
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const VERBOSE = process.env.AKOOL_E2E_VERBOSE === '1';

/** @param {number} t */
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
/** @param {Buffer | Uint8Array} b */
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
/** What a node output in an execution read from n8n's database. @param {any} data @param {string} node */
const outputOf = (data, node) => nodeItems(/** @type {any} */ ({ runData: data.resultData.runData }), node);

/**
 * A fetch that never throws: status, headers, body (bytes and text).
 * @param {string} url @param {RequestInit} [init]
 */
async function http(url, init = {}) {
	const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(60_000), ...init });
	const body = Buffer.from(await res.arrayBuffer());
	return { status: res.status, headers: res.headers, body, text: body.toString('utf8') };
}

/** POSTs JSON to a control route of the fake. @param {string} url @param {unknown} body */
async function post(url, body) {
	const res = await http(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	assert.equal(res.status, 200, `${url}: ${res.status} ${res.text}`);
}

/** @param {Record<string, string | { bytes: Buffer, name: string, type: string }>} fields */
function multipart(fields) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (typeof value === 'string') form.append(name, value);
		else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name);
	}
	return form;
}

/**
 * An HS256 JWT as n8n's binary data service makes them (jsonwebtoken), for tokens n8n did not issue.
 * @param {Record<string, unknown>} payload @param {string} secret
 */
function jwt(payload, secret) {
	const part = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
	return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** @param {string} token @returns {{ id: string, iat: number, exp: number }} */
const jwtPayload = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/**
 * The fake's record of each source download (GET /__source-fetches).
 * @typedef {{ jobId: string, url: string, state: string, httpStatus: number | null, error: string | null,
 *   bytes: number, sha256: string | null, imageType: string | null, headers: Record<string, string>,
 *   requestHeaders: Record<string, string> }} SourceFetch
 */

/**
 * The example as a user imports it, for this instance: the node type of a custom extension
 * (`CUSTOM.akool`, where npm installs make it `n8n-nodes-akool.akool`) and our credential.
 * @param {any} wf
 */
function adaptExample(wf) {
	for (const node of wf.nodes) {
		if (node.type.startsWith('n8n-nodes-akool.')) node.type = node.type.replace('n8n-nodes-akool.', 'CUSTOM.');
		if (node.credentials?.akoolApi) node.credentials.akoolApi = { ...CRED };
	}
	return { ...wf, id: WF.example, active: false };
}

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const tmp = await tempDir('akool-e2e-binary-');
	let passed = 0;
	let failed = 0;
	/** @type {string[]} */
	const facts = [];
	/** @param {string} name @param {() => Promise<void>} fn */
	const runCase = async (name, fn) => {
		if (await reportCase(name, fn)) passed++;
		else failed++;
	};
	/** @type {Awaited<ReturnType<typeof startFakeAkool>> | undefined} */
	let fake;
	/** @type {Awaited<ReturnType<typeof startN8n>> | undefined} */
	let server;
	/** Stops the running n8n; with AKOOL_E2E_VERBOSE=1 and a failure so far, prints its log first. */
	const stopServer = async () => {
		if (server && failed && VERBOSE) console.log(`--- n8n log (${server.url}) ---\n${server.logs().slice(-20_000)}`);
		await server?.stop();
	};
	try {
		const port = await freePort();
		const webhookUrl = `http://127.0.0.1:${port}/`;
		// No N8N_DEFAULT_BINARY_DATA_MODE: n8n's own default (filesystem outside queue mode).
		const inst = await makeInstance({ root: tmp.dir, isolateHome: true, port, extra: { WEBHOOK_URL: webhookUrl } });
		await installPackage(inst.extDir);
		fake = await startFakeAkool({ apiKey: API_KEY, args: ['--duration-ms', '600-1200', '--callbacks', CLIENT_ID, '--callback-retry-ms', '1000'] });
		const fakeBase = fake.baseUrl;
		const sourceFetches = async () => /** @type {SourceFetch[]} */ (await (await fetch(`${fakeBase}/__source-fetches`)).json());
		const createsFor = async (/** @type {RegExp} */ prompt) =>
			/** @type {any[]} */ (await fake?.requests())?.filter((q) => q.kind === 'create' && prompt.test(String(q.body?.prompt ?? ''))) ?? [];
		const jobsFor = async (/** @type {RegExp} */ prompt) => /** @type {any[]} */ (await fake?.jobs())?.filter((j) => prompt.test(j.prompt)) ?? [];
		/** The fetches of these jobs, in the jobs' order. @param {any[]} jobs */
		const fetchesOf = async (jobs) => {
			const all = await sourceFetches();
			return jobs.map((j) => all.find((f) => f.jobId === j.id));
		};

		await importCredentials(inst.env, [
			{ ...CRED, type: 'akoolApi', data: { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: fakeBase } },
			{ ...PUBLIC_CRED, type: 'akoolApi', data: { apiKey: API_KEY, baseUrl: PUBLIC_BASE_URL } },
		]);
		const example = adaptExample(JSON.parse(await fsp.readFile(EXAMPLE_FILE, 'utf8')));
		const fixtures = JSON.parse(await fsp.readFile(path.join(projectRoot, 'test', 'e2e', 'workflows', 'binary', 'binary.json'), 'utf8'));
		await importWorkflow(inst.env, [example, ...fixtures]);
		await Promise.all([WF.example, WF.items, WF.callback].map((id) => n8n(inst.env, ['publish:workflow', `--id=${id}`])));
		console.log(`e2e binary: imported and published (${secs(t0)}); fake Akool ${fakeBase}; user folder ${inst.userFolder}`);
		const db = new N8nDb(inst.userFolder);

		// -- 1. `n8n execute`: three runs at once, before `n8n start` ------------------------------
		const deadPort = await freePort();
		const executeEnv = async (/** @type {Record<string, string>} */ extra) => ({
			...inst.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...extra,
		});
		const tExec = Date.now();
		const [noServer, memory, privateUrl] = await Promise.all([
			executeEnv({ WEBHOOK_URL: `http://127.0.0.1:${deadPort}/` }).then((env) => executeWorkflow(env, WF.execLocal, { timeoutMs: 120_000 })),
			executeEnv({ N8N_DEFAULT_BINARY_DATA_MODE: 'default' }).then((env) => executeWorkflow(env, WF.execLocal, { timeoutMs: 120_000 })),
			executeEnv({ WEBHOOK_URL: PRIVATE_WEBHOOK_URL }).then((env) => executeWorkflow(env, WF.execPublic, { timeoutMs: 120_000 })),
		]);
		console.log(`     three n8n execute runs took ${secs(tExec)} together`);
		/** @param {import('../../scripts/e2e/n8n.mjs').ExecuteResult} r */
		const errorOf = (r) => ({
			message: String(r.error?.message ?? ''),
			description: String(r.error?.description ?? ''),
			status: r.status,
			all: JSON.stringify(r.error ?? null),
		});

		await runCase('n8n execute, nothing listening at WEBHOOK_URL: the URL is signed, Akool cannot fetch it, the job fails (status 4) with the node’s hint', async () => {
			const e = errorOf(noServer);
			assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}`);
			const jobs = await jobsFor(/^binary e2e: n8n execute$/);
			const fetches = await fetchesOf(jobs);
			assert.equal(jobs.length, 1, `jobs of the two local runs (no server, memory mode): ${jobs.length}`);
			const dead = fetches.filter((f) => f?.url.startsWith(`http://127.0.0.1:${deadPort}/${SIGNED_PATH}`));
			assert.equal(dead.length, 1, `one fetch from the dead WEBHOOK_URL: ${JSON.stringify(fetches.map((f) => f?.url.slice(0, 60)))}`);
			const [fetched] = dead;
			assert.equal(fetched?.state, 'failed');
			assert.equal(fetched?.httpStatus, null, 'no answer came');
			assert.match(String(fetched?.error), /^unreachable: .*ECONNREFUSED|^unreachable: connect/i, `the fake's error: ${fetched?.error}`);
			const job = jobs.find((j) => j.id === fetched?.jobId);
			assert.equal(job?.status, 4, 'the job failed');
			assert.match(e.message, new RegExp(`Akool job\\(s\\) ${fetched?.jobId} failed \\(status 4\\)`), e.message);
			assert.match(e.description, new RegExp(`This n8n served it at http://127\\.0\\.0\\.1:${deadPort}`), e.description);
			assert.match(e.description, /WEBHOOK_URL/, e.description);
			assert.ok(!e.all.includes('token='), 'the error does not show the token');
			facts.push(`n8n execute (no server): signing works (URL ${fetched?.url.slice(0, fetched.url.indexOf('token=') + 6)}…); the fetch is refused (${fetched?.error}); the job fails, status 4; the node's error: "${e.message}"`);
		});

		await runCase('n8n execute in memory mode (N8N_DEFAULT_BINARY_DATA_MODE=default): refused before any create, naming the setting', async () => {
			const e = errorOf(memory);
			assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}; stderr ${memory.stderr.slice(0, 400)}`);
			assert.match(e.message, /n8n keeps binary data in memory/, e.message);
			assert.match(e.description, /N8N_DEFAULT_BINARY_DATA_MODE/, e.description);
			// the two local runs share a prompt: the no-server run made one create, this one none
			const creates = await createsFor(/^binary e2e: n8n execute$/);
			assert.equal(creates.length, 1, `creates of both local runs: ${creates.length} (the no-server run's only)`);
			const warn = /default.*(deprecat|removed)|in-memory/i.exec(memory.stdout + memory.stderr);
			facts.push(`n8n 2.41.1 accepts N8N_DEFAULT_BINARY_DATA_MODE=default (n8n execute ran, exit ${memory.exitCode}${warn ? `, logged "${warn[0]}"` : ', no warning seen'}); the node refused: "${e.message}"`);
		});

		await runCase('n8n execute, WEBHOOK_URL on a private address, credential Base URL public: refused before any create, naming WEBHOOK_URL', async () => {
			const e = errorOf(privateUrl);
			assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}`);
			assert.match(e.message, /Akool cannot download the source image from this n8n \(http:\/\/192\.168\.77\.10:5678\)/, e.message);
			assert.match(e.message, /local network/, e.message);
			assert.match(e.description, /WEBHOOK_URL/, e.description);
			assert.ok(!e.all.includes('token='), 'the error does not show the token');
			assert.equal((await createsFor(/public Base URL/)).length, 0, 'nothing reached the fake (the Base URL is elsewhere anyway)');
			facts.push(`WEBHOOK_URL=${PRIVATE_WEBHOOK_URL} with Base URL ${PUBLIC_BASE_URL}: "${e.message}"`);
		});

		// -- 2. `n8n start` with WEBHOOK_URL, n8n's default binary mode ------------------------------
		const ts = Date.now();
		server = await startN8n(inst.env);
		console.log(`e2e binary: n8n ${server.url} (WEBHOOK_URL ${webhookUrl}, default binary mode) up in ${secs(ts)}`);
		const formUrl = `${server.url}/form/${example.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.formTrigger').webhookId}`;
		// n8n answers /healthz before it has registered the published workflows' webhooks (404 until then)
		await db.until(async () => ((await http(formUrl)).status === 200 ? true : undefined), 60_000, 'the form to be served');

		const upload = encodePng(320, 240, { seed: 7 });
		const style = 'binary e2e: the photo as a charcoal drawing';
		/** @type {{ executionId: string, waitingUrl: URL, fetch: SourceFetch, jobId: string, token: string } | undefined} */
		let formRun;
		await runCase('(a) example: the form page asks for one PNG/JPEG file (field-0) and the style (field-1)', async () => {
			const page = await http(formUrl);
			assert.equal(page.status, 200);
			const fileInput = /<input[^>]*type='file'[^>]*>/.exec(page.text)?.[0] ?? '';
			assert.match(fileInput, /name='field-0'/, fileInput);
			assert.match(fileInput, /accept='\.png, \.jpg, \.jpeg'/, fileInput);
			assert.match(fileInput, /form-required/, 'required');
			assert.doesNotMatch(fileInput, /multiple/, 'one file');
			assert.match(page.text, /<input[^>]*name='field-1'/, 'the Style field');
		});

		await runCase('(a) example: the form, submitted as multipart, gets the image Akool made from the uploaded bytes (fetched from n8n’s signed URL, no API key)', async () => {
			const submitted = await http(formUrl, {
				method: 'POST',
				body: multipart({ 'field-0': { bytes: upload, name: 'photo.png', type: 'image/png' }, 'field-1': style }),
			});
			assert.equal(submitted.status, 200, `form POST: ${submitted.status} ${submitted.text.slice(0, 300)}`);
			const waitingUrl = new URL(String(JSON.parse(submitted.text).formWaitingUrl));
			const executionId = waitingUrl.pathname.split('/').pop() ?? '';
			assert.equal(`${waitingUrl.origin}${waitingUrl.pathname}`, `${webhookUrl}form-waiting/${executionId}`, 'the form waits at WEBHOOK_URL');
			// as the form page does: poll the execution's status until the ending page waits
			const statusUrl = new URL(waitingUrl);
			statusUrl.pathname += '/n8n-execution-status';
			const status = await db.until(async () => {
				const s = (await http(statusUrl.toString())).text.trim();
				return ['form-waiting', 'error', 'crashed', 'canceled', 'success'].includes(s) ? s : undefined;
			}, 60_000, 'the form ending page', 300);
			if (status !== 'form-waiting') {
				const { data } = await db.execution(executionId);
				assert.fail(`execution ${executionId} is ${status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 600)}`);
			}
			const page = await http(waitingUrl.toString());
			assert.equal(page.status, 200, `ending page: ${page.status}`);
			const encoded = /const binaries = "([^"]*)"/.exec(page.text)?.[1];
			assert.ok(encoded, 'the ending page carries the file for the browser to download');
			const [file, ...more] = JSON.parse(decodeURIComponent(encoded));
			assert.equal(more.length, 0, 'one file');
			const image = Buffer.from(file.data.data);
			assert.ok(image.subarray(0, 8).equals(PNG_SIGNATURE), 'the user gets a PNG');
			assert.equal(file.type, 'image/png');
			assert.deepEqual(readPngSize(image), imageSize('Original', '1080p'), 'the size the fake makes for Original at 1080p');

			const jobs = await jobsFor(new RegExp(`^${style}$`));
			assert.equal(jobs.length, 1, 'one job');
			const jobId = String(jobs[0].id);
			assert.equal(file.fileName, `akool-${jobId}.png`);
			const made = await http(`${fake?.cdnBaseUrl}/images/${jobId}.png`);
			assert.equal(sha256(image), sha256(made.body), 'the very image the fake made for the job');

			const [fetched] = await fetchesOf(jobs);
			assert.ok(fetched, 'the fake fetched the job’s source');
			assert.ok(fetched.url.startsWith(`${webhookUrl}${SIGNED_PATH}`), `fetched from n8n's signed URL at WEBHOOK_URL: ${fetched.url.slice(0, 80)}`);
			assert.equal(fetched.httpStatus, 200);
			assert.equal(fetched.sha256, sha256(upload), 'exactly the uploaded bytes');
			assert.equal(fetched.bytes, upload.length);
			assert.equal(fetched.headers['content-type'], 'image/png', 'n8n serves it with its MIME type');
			for (const [k, v] of Object.entries(fetched.requestHeaders)) {
				assert.ok(!['x-api-key', 'authorization'].includes(k) && !v.includes(API_KEY), `the fetch carried ${k}`);
			}
			const [create] = await createsFor(new RegExp(`^${style}$`));
			assert.deepEqual(create?.body?.source_images, [fetched.url], 'Akool got the signed URL as source_images[0]');
			formRun = { executionId, waitingUrl, fetch: fetched, jobId, token: new URL(fetched.url).searchParams.get('token') ?? '' };
			facts.push(`n8n start with WEBHOOK_URL=${webhookUrl}: the signed URL is ${fetched.url.slice(0, fetched.url.indexOf('token=') + 6)}… (content-type ${fetched.headers['content-type']}, content-disposition ${fetched.headers['content-disposition']})`);
		});

		await runCase('(b) the signed URL: tampered signature → 400; the same file with an expired token → 400; lifetime = Timeout + 300 s', async () => {
			assert.ok(formRun, 'the form run');
			const { token, fetch: fetched, executionId } = formRun;
			const base = fetched.url.slice(0, fetched.url.indexOf('token=') + 'token='.length);
			const claims = jwtPayload(token);
			assert.equal(claims.exp - claims.iat, TOKEN_LIFETIME_S, `token lifetime ${claims.exp - claims.iat} s`);
			assert.match(claims.id, /^filesystem(-v2)?:/, `a file of the filesystem mode (n8n's default): ${claims.id}`);
			// The Form Trigger stored the upload under executions/temp/ (no execution id yet); n8n moves
			// such files into the execution's folder when the execution stops running (here: it waits at
			// the form ending), so the genuine URL no longer finds the file.
			const genuine = await http(fetched.url);
			const [head, body, signature] = token.split('.');
			const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
			const tampered = await http(`${base}${head}.${body}.${flipped}`);
			assert.equal(tampered.status, 400, `tampered: ${tampered.status}`);
			assert.equal(tampered.text, 'invalid signature');
			// n8n's default signing secret: sha256("url-signing:" + encryption key), base64 (binary-data.config.js)
			const secret = createHash('sha256').update(`url-signing:${inst.env.N8N_ENCRYPTION_KEY}`).digest('base64');
			const moved = claims.id.replace('/executions/temp/', `/executions/${executionId}/`);
			const now = Math.floor(Date.now() / 1000);
			const valid = await http(`${base}${jwt({ id: moved, iat: now, exp: now + 60 }, secret)}`);
			assert.equal(valid.status, 200, `a token we signed with that secret (the control): ${valid.status} ${valid.text}`);
			assert.equal(sha256(valid.body), sha256(upload), 'the uploaded file, served without a login');
			const expired = await http(`${base}${jwt({ id: moved, iat: now - 120, exp: now - 60 }, secret)}`);
			assert.equal(expired.status, 400, `expired: ${expired.status}`);
			assert.equal(expired.text, 'jwt expired');
			const otherSecret = await http(`${base}${jwt({ id: moved, iat: now, exp: now + 60 }, 'another secret')}`);
			assert.equal(otherSecret.status, 400);
			facts.push(`signed URL: one signature character changed → 400 "${tampered.text}"; the same file with an expired token → 400 "${expired.text}"; n8n's default secret is sha256("url-signing:" + N8N_ENCRYPTION_KEY), base64 (a token we signed with it: ${valid.status})`);
			facts.push(`the Form Trigger's upload is stored under executions/temp/ and signed so (${claims.id.replace(/[0-9a-f-]{36}$/, '…')}); once the execution waits at the form ending, n8n has moved it to executions/${executionId}/ and the genuine URL answers HTTP ${genuine.status}`);
		});

		await runCase('(a) example: the ending page’s POST (as the browser sends it) ends the execution in success', async () => {
			assert.ok(formRun, 'the form run');
			const { executionId, waitingUrl } = formRun;
			const ended = await http(waitingUrl.toString(), { method: 'POST', body: '' });
			assert.equal(ended.status, 200, `ending POST: ${ended.status} ${ended.text.slice(0, 200)}`);
			const row = await db.finished(WF.example, executionId, 30_000);
			const { data } = await db.execution(executionId);
			assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 400)}`);
			const [item] = outputOf(data, 'Akool: Transform photo');
			assert.equal(item?.json?.jobId, formRun.jobId);
			assert.equal(item.json.prompt, style, 'the prompt is the form’s Style field');
			assert.ok(!JSON.stringify(data).includes(formRun.token), 'the execution data does not keep the token (akool.source_image is redacted)');
		});

		/**
		 * Case (c): three items (uploaded PNG, inline JPEG, no `data`) → 4 images each for the first two,
		 * an error item for the third. Returns the signed URL base the fake fetched from.
		 * @param {string} label @param {string} modePrefix
		 */
		const itemsRun = async (label, modePrefix) => {
			const png = encodePng(256, 192, { seed: label.length });
			const jpeg = SAMPLE_SOURCES.jpeg.bytes;
			const before = new Set((await jobsFor(ITEM_PROMPTS)).map((j) => j.id));
			const answer = await http(`${server?.url}/webhook/${ITEMS_PATH}`, {
				method: 'POST',
				body: multipart({ upload: { bytes: png, name: 'upload.png', type: 'image/png' }, jpeg: jpeg.toString('base64') }),
			});
			assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 300)}`);
			const row = (await db.executions(WF.items)).at(-1);
			assert.ok(row, 'an execution');
			const { data } = await db.execution(row.id);
			assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 400)}`);
			const items = outputOf(data, 'Akool');
			assert.equal(items.length, 9, `8 images and 1 error item: ${JSON.stringify(items.map((i) => i.json.jobId ?? i.json.error))}`);
			assert.deepEqual(items.map((i) => i.pairedItem?.item), [0, 0, 0, 0, 1, 1, 1, 1, 2], 'in input order, paired');
			const error = items[8].json;
			assert.match(String(error.error), /Item 2 has no binary property "data"/, JSON.stringify(error));
			assert.match(String(error.description), /"photo"/, `the error names the properties it has: ${error.description}`);
			const jobs = (await jobsFor(ITEM_PROMPTS)).filter((j) => !before.has(j.id));
			const creates = (await createsFor(ITEM_PROMPTS)).slice(-2);
			assert.equal(jobs.length, 8, `8 jobs (${jobs.length})`);
			assert.deepEqual(creates.map((c) => c.body.batch_quantity), [4, 4], 'two creates of 4 images (none for the item without a file)');
			const expected = new Map([[/uploaded PNG/, sha256(png)], [/inline JPEG/, sha256(jpeg)]]);
			const fetches = await fetchesOf(jobs);
			const base = String(fetches[0]?.url).slice(0, String(fetches[0]?.url).indexOf('token='));
			jobs.forEach((job, i) => {
				const f = fetches[i];
				assert.ok(f, `job ${job.id} fetched its source`);
				const want = [...expected].find(([re]) => re.test(job.prompt))?.[1];
				assert.equal(f.sha256, want, `job ${job.id} (${job.prompt}) got its item's file`);
				assert.equal(f.httpStatus, 200);
				assert.ok(f.url.startsWith(base), 'one n8n serves every file');
				assert.ok(!('x-api-key' in f.requestHeaders), 'no API key on the fetch');
			});
			// each item's four jobs got the same URL; the two items, different files
			assert.equal(new Set(fetches.map((f) => f?.url)).size, 2, 'one signed URL per item');
			const ids = new Set(fetches.map((f) => jwtPayload(new URL(String(f?.url)).searchParams.get('token') ?? '').id));
			for (const id of ids) assert.ok(id.startsWith(modePrefix), `${label}: the served file is in the ${modePrefix} mode: ${id}`);
			for (const item of items.slice(0, 8)) {
				assert.equal(item.json.status, 'completed');
				assert.equal(item.binary?.data?.mimeType, 'image/png');
				assert.ok(String(item.binary.data.id).startsWith(modePrefix), `result image stored in the ${modePrefix} mode: ${item.binary.data.id}`);
			}
			return { base, ids: [...ids] };
		};

		/**
		 * Case (d): a Webhook upload (stored by n8n before the execution has an id, under
		 * executions/temp/ in filesystem mode) as the source, with Wait Mode Callback: Akool downloads
		 * it while the execution waits. Returns what the fake fetched.
		 * @param {string} label
		 */
		const callbackRun = async (label) => {
			const png = encodePng(200, 150, { seed: 40 + label.length });
			const prompt = `binary e2e: callback, ${label}`;
			await post(`${fakeBase}/__options`, { durationMs: CALLBACK_JOB_MS });
			try {
				const before = new Set((await db.executions(WF.callback)).map((r) => r.id));
				const answer = await http(`${server?.url}/webhook/${CALLBACK_PATH}`, {
					method: 'POST',
					body: multipart({ upload: { bytes: png, name: 'upload.png', type: 'image/png' }, label }),
				});
				assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 300)}`);
				// the execution saved as waiting (or already over, if it was missed between two reads)
				const started = await db.until(async () => {
					const found = (await db.executions(WF.callback)).find((r) => !before.has(r.id));
					return found && found.status !== 'new' && found.status !== 'running' ? found : undefined;
				}, 30_000, 'the execution to wait');
				// the URL Akool got must still work while the execution waits: that is when Akool downloads
				const [create] = await createsFor(new RegExp(`^${prompt}$`));
				const signedUrl = String(create?.body?.source_images?.[0]);
				if (started.status === 'waiting') {
					const whileWaiting = await http(signedUrl);
					assert.equal(whileWaiting.status, 200, `the signed URL while the execution waits: HTTP ${whileWaiting.status} (${signedUrl.replace(/token=.*/, 'token=…')})`);
					assert.equal(sha256(whileWaiting.body), sha256(png));
				}
				const row = await db.finished(WF.callback, started.id, CALLBACK_JOB_MS + 30_000);
				const { data } = await db.execution(row.id);
				const [job] = await jobsFor(new RegExp(`^${prompt}$`));
				assert.ok(job, 'a job');
				const [fetched] = await fetchesOf([job]);
				const what = `the fake's download of the source from ${String(fetched?.url).replace(/token=.*/, 'token=…')}: ${fetched?.error ?? `HTTP ${fetched?.httpStatus}`}; execution ${row.status}; Akool output ${JSON.stringify(outputOf(data, 'Akool').map((i) => i.json.status ?? i.json.error))}`;
				assert.equal(fetched?.httpStatus, 200, what);
				assert.equal(fetched?.sha256, sha256(png), 'the uploaded bytes');
				assert.equal(row.status, 'success', what);
				const [item] = outputOf(data, 'Akool');
				assert.equal(item?.json?.status, 'completed', what);
				assert.equal(item.binary?.data?.mimeType, 'image/png');
				return what;
			} finally {
				await post(`${fakeBase}/__options`, { durationMs: [600, 1200] });
			}
		};

		await runCase('(c) three items, each with its own file (stored upload, inline JPEG from a Code node, none): 4 images each, an error item naming the properties the item has, 2 creates', async () => {
			const r = await itemsRun('filesystem', 'filesystem');
			assert.equal(r.base, `${webhookUrl}rest/binary-data/signed?`);
			// the Webhook stores its upload under executions/temp/, which n8n moves when the run is saved
			assert.ok(!r.ids.some((id) => id.includes('/temp/')), `the node serves its own copy of the upload: ${r.ids.join(', ')}`);
			facts.push(`filesystem mode (n8n's default, N8N_DEFAULT_BINARY_DATA_MODE unset): served files ${r.ids.join(', ')}`);
		});

		// n8n moves a trigger's upload out of executions/temp/ when the execution starts waiting: the
		// node signs its own copy, so that the link still works when Akool downloads the file.
		await runCase('(d) Wait Mode Callback with a Webhook upload as the source (filesystem mode): Akool downloads it while the execution waits', async () => {
			facts.push(`Wait Mode Callback, Webhook upload, filesystem mode: ${await callbackRun('filesystem')}`);
		});

		await stopServer();

		// -- 3. the same user folder, `n8n start` without WEBHOOK_URL, database binary mode ----------
		const { WEBHOOK_URL: _unused, ...withoutWebhookUrl } = inst.env;
		const tb = Date.now();
		server = await startN8n({ ...withoutWebhookUrl, N8N_DEFAULT_BINARY_DATA_MODE: 'database' });
		console.log(`e2e binary: n8n ${server.url} (no WEBHOOK_URL, binary mode database) up in ${secs(tb)}`);
		const itemsUrl = `${server.url}/webhook/${ITEMS_PATH}`;
		// a GET to a POST-only production webhook says "not registered for GET" once it is registered
		await db.until(async () => (/not registered for GET/.test((await http(itemsUrl)).text) ? true : undefined), 60_000, 'the webhook to be registered');
		await runCase('(c) again on n8n start without WEBHOOK_URL, binary mode database: the URL is built on N8N_PROTOCOL://N8N_HOST:N8N_PORT/', async () => {
			const r = await itemsRun('database', 'database');
			assert.equal(r.base, `http://127.0.0.1:${port}/rest/binary-data/signed?`);
			facts.push(`n8n start without WEBHOOK_URL (N8N_PROTOCOL=http, N8N_HOST=127.0.0.1, N8N_PORT=${port}): the signed URL is ${r.base}token=…; database mode outside queue mode works: served files ${r.ids.join(', ')}`);
		});
		await runCase('(d) again in the database mode: Wait Mode Callback with a Webhook upload as the source; Akool downloads it while the execution waits', async () => {
			facts.push(`Wait Mode Callback, Webhook upload, database mode: ${await callbackRun('database')}`);
		});
	} catch (e) {
		failed++;
		console.log(`FAIL suite: ${/** @type {Error} */ (e).stack ?? e}`);
	} finally {
		await stopServer();
		await fake?.stop();
		if (failed === 0) await tmp.remove();
		else console.log(`e2e binary: kept ${tmp.dir} for inspection`);
	}
	for (const fact of facts) console.log(`  measured: ${fact}`);
	console.log(`e2e binary wall time ${secs(t0)}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.log(`FAIL suite: ${e instanceof Error ? e.message : String(e)}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
});
