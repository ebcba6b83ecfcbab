// @ts-check
/**
 * Queue-mode suite: the BUILT package in a REAL n8n 2.41.1 scaled out on n8n's own queue mode.
 * Redis (Debian's redis-server) and one `n8n start` main, two `n8n worker` processes and one
 * `n8n webhook` process, all on 127.0.0.1, sharing one database, one encryption key and one
 * WEBHOOK_URL (the webhook process), against the fake Akool in its own process.
 *
 *   npm run build && npm run e2e:setup && npm run test:queue
 *
 * Cases: throughput (10 executions × 5 prompts × 2 images through the production webhook), a
 * wait-by-callback execution started on a worker, resumed by the webhook process and finished on a
 * worker, a worker SIGKILLed mid-wait with n8n's default queue settings and again (workers
 * restarted) with the settings we recommend, a worker stopped with SIGTERM mid-wait (graceful
 * drain), Get Result on the already-paid jobs of the dead executions, and a binary source (Transform,
 * Source Image "Binary Data"): the file a worker stores and signs, served to the fake Akool by the
 * main process, in the database binary mode (queue mode's default) and the filesystem mode (on the
 * worker's own disk, then on a disk shared with the main).
 *
 * Read from n8n 2.41.1's code and measured here: n8n 2.x never re-runs a job whose worker died (Bull's
 * maxStalledCount is hard-wired to 0; QUEUE_WORKER_MAX_STALLED_COUNT is gone), so no Akool job is
 * created twice; the dead worker's executions end as errors once the job's lock expires, the stalled
 * check sees it and a fixed 30 s grace passes. Executions and their data are read from n8n's database
 * (N8nDb: scripts/e2e/n8n-db.cjs); which process ran what from each process's JSON log.
 *
 * Prints one line per case and, last, exactly `N passed, M failed` (exit 1 when any failed).
 * Every process is started in its own process group and stopped by it, on success, failure and
 * SIGINT/SIGTERM. Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder and logs),
 * AKOOL_QUEUE_DB=sqlite|postgres (default sqlite, see README "Scaling").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
	assertInstalled,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	n8n,
	N8nDb,
	n8nEnv,
	reportCase,
	sleep,
	startFakeAkool,
	startN8nProcess,
	startPostgres,
	startRedis,
	tempDir,
} from '../../scripts/e2e/n8n.mjs';

/** @type {{ encodePng: (w: number, h: number, o?: { seed?: number }) => Buffer }} */
const { encodePng } = createRequire(import.meta.url)('../fake-akool/png.js');

// The credential: a 24-character API key (AES-192 for the callbacks) and a Client ID.
const API_KEY = 'queueE2eKey-24chars-abcd';
const CLIENT_ID = 'queue-e2e-client-01';
const CRED = { id: 'akoolQueueCred01', name: 'Akool (queue e2e fake)' };
const ENCRYPTION_KEY = `akool-queue-${randomBytes(12).toString('hex')}`;
const WORKER_CONCURRENCY = 5;
const EXECUTIONS = 10;
const PROMPTS = 5;
const IMAGES_PER_PROMPT = 2;
const DB_KIND = process.env.AKOOL_QUEUE_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The settings this suite recommends for the Akool node on a queue-mode n8n (see the crash cases). */
const CRASH_SETTINGS = {
	// removed in n8n 2.0 and ignored (Bull's maxStalledCount is hard-wired to 0): set on purpose, to
	// prove a configuration carried over from n8n 1.x does not bring the re-run (and the double pay) back
	QUEUE_WORKER_MAX_STALLED_COUNT: '3',
	// a dead worker's jobs are found stalled within lock duration + stalled interval (defaults 60 s + 30 s)
	QUEUE_WORKER_LOCK_DURATION: '20000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	// a worker told to stop (SIGTERM: deploys, scale-in) finishes its running executions for up to this
	// long, then exits as if it crashed (default 30 s, shorter than an Akool wait): the graceful-stop case
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '90',
};

const WF = {
	load: 'akoolQueueLoad01',
	getResult: 'akoolQueueGetRes1',
	callback: 'akoolQueueCallbk1',
	binary: 'akoolQueueBinary1',
};
const PATHS = { load: 'akool-queue-load', getResult: 'akool-queue-get-result', callback: 'akool-queue-callback', binary: 'akool-queue-binary' };

// ---------------------------------------------------------------------------------------------
// bookkeeping: everything started is stopped, whatever happens

/** @type {Set<{ name: string, stop: (o?: any) => Promise<void>, pid?: number }>} */
const running = new Set();
/**
 * @template {{ name: string, stop: (o?: any) => Promise<void>, pid?: number }} T
 * @param {T} p @returns {T}
 */
function track(p) {
	running.add(p);
	if (p.pid) ourGroups.add(p.pid);
	return p;
}
async function stopAll() {
	const all = [...running].reverse();
	running.clear();
	// n8n processes first (they hold Redis and the database), then the rest
	const n8nFirst = [...all.filter((p) => p.name.startsWith('n8n')), ...all.filter((p) => !p.name.startsWith('n8n'))];
	for (const p of n8nFirst) {
		try {
			await p.stop();
		} catch (e) {
			console.log(`  note: stopping ${p.name}: ${/** @type {Error} */ (e).message}`);
		}
	}
}
/** The temp folder of this run, removed on a signal too (unless AKOOL_E2E_KEEP=1). @type {{ remove: () => Promise<void> } | undefined} */
let tmpFolder;
let interrupted = false;
for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
	process.on(sig, () => {
		if (interrupted) return;
		interrupted = true;
		console.log(`queue: ${sig}, stopping everything`);
		void stopAll()
			.then(() => tmpFolder?.remove())
			.finally(() => {
			console.log('0 passed, 1 failed');
			process.exit(1);
		});
	});
}

// ---------------------------------------------------------------------------------------------
// small helpers

/** @param {number} t */
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

/**
 * Lines "Worker started execution N (job J)", "Worker finished execution N (job J)", "Enqueued
 * execution N (job J)" of an n8n log (N8N_LOG_FORMAT=json), in order.
 * @param {string} text
 * @returns {{ kind: 'started' | 'finished' | 'enqueued', executionId: string, jobId: string, line: any }[]}
 */
function executionEvents(text) {
	const out = [];
	for (const raw of text.split('\n')) {
		if (!raw.startsWith('{')) continue;
		let line;
		try {
			line = JSON.parse(raw);
		} catch {
			continue;
		}
		const m = /^(?:Worker (started|finished) execution|(Enqueued) execution) (\d+) \(job (\d+)\)/.exec(String(line.message ?? ''));
		if (m) out.push({ kind: /** @type {any} */ ((m[1] ?? m[2]).toLowerCase()), executionId: m[3], jobId: m[4], line });
	}
	return out;
}

/** @typedef {import('../../scripts/e2e/n8n.mjs').ExecutionSummary} DbExecution */

/**
 * POSTs JSON to a production webhook; never throws: the outcome (HTTP status and body, or the
 * network error) and the time it took.
 * @param {string} url @param {any} body @param {number} timeoutMs
 */
async function postJson(url, body, timeoutMs) {
	const t0 = Date.now();
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, text, json, ms: Date.now() - t0, error: undefined };
	} catch (e) {
		return { status: 0, text: '', json: undefined, ms: Date.now() - t0, error: /** @type {Error} */ (e).message };
	}
}

/** @param {() => Promise<boolean>} cond @param {number} timeoutMs @param {string} what @param {number} [everyMs] */
async function waitFor(cond, timeoutMs, what, everyMs = 500) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await cond()) return;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** @param {any} item */
const pairedIndex = (item) => {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof p === 'number' ? p : p?.item;
};

// ---------------------------------------------------------------------------------------------
// workflows

const akoolCred = { akoolApi: { id: CRED.id, name: CRED.name } };

/** @param {string} id @param {string} name @param {string} webhookPath @param {'lastNode' | 'onReceived'} responseMode @param {any[]} rest @param {any} connections */
function webhookWorkflow(id, name, webhookPath, responseMode, rest, connections) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{
				id: `${id}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode,
					...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
					options: {},
				},
			},
			...rest,
		],
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const workflows = [
	// Webhook (body.prompts: 5 objects) → Split Out → Akool Generate (2 images each, 1080p) → respond (last node)
	webhookWorkflow(
		WF.load,
		'queue e2e: 5 prompts × 2 images',
		PATHS.load,
		'lastNode',
		[
			{
				id: `${WF.load}-split`,
				name: 'Prompts',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.prompts', options: {} },
			},
			{
				id: `${WF.load}-akool`,
				name: 'Akool Generate',
				type: 'CUSTOM.akool',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					prompt: '={{ $json.prompt }}',
					aspectRatio: '1:1',
					resolution: '1080p',
					numberOfImages: IMAGES_PER_PROMPT,
					options: { pollInterval: 1 },
				},
				credentials: akoolCred,
			},
		],
		{
			Webhook: { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
			Prompts: { main: [[{ node: 'Akool Generate', type: 'main', index: 0 }]] },
		},
	),
	// Webhook (body.jobIds: "id, id, ...") → Akool Get Result (waits, downloads) → respond
	webhookWorkflow(
		WF.getResult,
		'queue e2e: get result of paid jobs',
		PATHS.getResult,
		'lastNode',
		[
			{
				id: `${WF.getResult}-akool`,
				name: 'Akool Get Result',
				type: 'CUSTOM.akool',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'getResult', jobIds: '={{ $json.body.jobIds }}', options: { pollInterval: 1 } },
				credentials: akoolCred,
			},
		],
		{ Webhook: { main: [[{ node: 'Akool Get Result', type: 'main', index: 0 }]] } },
	),
	// Webhook (answers at once) → Akool Generate, Wait Mode Callback → After
	webhookWorkflow(
		WF.callback,
		'queue e2e: wait by callback',
		PATHS.callback,
		'onReceived',
		[
			{
				id: `${WF.callback}-akool`,
				name: 'Akool Callback',
				type: 'CUSTOM.akool',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					prompt: '={{ $json.body.prompt }}',
					aspectRatio: '1:1',
					resolution: '1080p',
					numberOfImages: IMAGES_PER_PROMPT,
					waitMode: 'callback',
					options: { pollInterval: 1 },
				},
				credentials: akoolCred,
			},
			{
				id: `${WF.callback}-after`,
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 0],
				parameters: {},
			},
		],
		{
			Webhook: { main: [[{ node: 'Akool Callback', type: 'main', index: 0 }]] },
			'Akool Callback': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	),
	// Webhook (body.png: base64, body.prompt) → Code (the PNG as an inline binary, made on the worker)
	// → Akool Transform from that binary (the node stores it on the worker, n8n signs it) → respond
	webhookWorkflow(
		WF.binary,
		'queue e2e: binary source',
		PATHS.binary,
		'lastNode',
		[
			{
				id: `${WF.binary}-code`,
				name: 'Inline PNG',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: "const { png, prompt } = $input.first().json.body;\nreturn [{ json: { prompt }, binary: { data: { data: png, mimeType: 'image/png', fileName: 'source.png', fileExtension: 'png' } } }];",
				},
			},
			{
				id: `${WF.binary}-akool`,
				name: 'Akool Transform',
				type: 'CUSTOM.akool',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'transform',
					sourceImage: 'binaryData',
					sourceBinaryProperty: 'data',
					prompt: '={{ $json.prompt }}',
					aspectRatio: '1:1',
					resolution: '1080p',
					numberOfImages: 1,
					options: { pollInterval: 1 },
				},
				credentials: akoolCred,
			},
		],
		{
			Webhook: { main: [[{ node: 'Inline PNG', type: 'main', index: 0 }]] },
			'Inline PNG': { main: [[{ node: 'Akool Transform', type: 'main', index: 0 }]] },
		},
	),
];

// ---------------------------------------------------------------------------------------------
// the cluster

/**
 * @typedef {import('../../scripts/e2e/n8n.mjs').Spawned} Spawned
 * @typedef {{ label: string, main: Spawned, workers: Spawned[], webhook: Spawned, webhookUrl: string, mainUrl: string,
 *   db: N8nDb, env: Record<string, string>, stop: () => Promise<void>, startMs: number,
 *   restartWorkers: (settings: Record<string, string>) => Promise<number>,
 *   replaceWorker: (index: number, settings: Record<string, string>) => Promise<number> }} Cluster
 */

/**
 * Starts main, then (in parallel) two workers and the webhook process, each with its own
 * task-runner broker port; the webhook process on its own N8N_PORT, and WEBHOOK_URL pointing at it
 * on every process.
 * @param {{ root: string, label: string, redisPort: number, baseEnv: Record<string, string>, db: N8nDb, extra?: Record<string, string> }} o
 * @returns {Promise<Cluster>}
 */
async function startCluster({ root, label, redisPort, baseEnv, db, extra = {} }) {
	const t0 = Date.now();
	const logs = path.join(root, 'logs');
	await fsp.mkdir(logs, { recursive: true });
	// Each process has its own user folder (config, crash journal, event log) and its own copy of the
	// package, as on separate machines; they share the database, Redis, the key and WEBHOOK_URL.
	/** @param {string} name */
	const own = async (name) => {
		const userFolder = path.join(root, 'procs', `${label}-${name}`);
		const extDir = path.join(userFolder, 'ext');
		await fsp.mkdir(extDir, { recursive: true });
		await installPackage(extDir);
		return { N8N_USER_FOLDER: userFolder, N8N_CUSTOM_EXTENSIONS: extDir };
	};
	const [mainOwn, w1Own, w2Own, hookOwn] = await Promise.all(['main', 'worker1', 'worker2', 'webhook'].map(own));
	const ports = new Set();
	const port = async () => {
		let p = await freePort();
		while (ports.has(p)) p = await freePort();
		ports.add(p);
		return p;
	};
	const [mainPort, mainBroker, webhookPort, webhookBroker, w1Broker, w2Broker, w1Health, w2Health] = await Promise.all(
		Array.from({ length: 8 }, () => port()),
	);
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const common = {
		...baseEnv,
		...extra,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		WEBHOOK_URL: webhookUrl,
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		// no outbound lookups of n8n's MCP server registry (api.n8n.io) from a loopback-only test
		N8N_DISABLED_MODULES: 'mcp-registry',
	};
	const mainEnv = { ...common, ...mainOwn, N8N_PORT: String(mainPort), N8N_RUNNERS_BROKER_PORT: String(mainBroker) };
	const workerEnv = (/** @type {Record<string, string>} */ o, /** @type {number} */ broker, /** @type {number} */ health) => ({
		...common,
		...o,
		N8N_RUNNERS_BROKER_PORT: String(broker),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(health),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	const hookEnv = { ...common, ...hookOwn, N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(webhookBroker) };

	/** @type {Spawned[]} */
	const started = [];
	const stop = async () => {
		for (const p of [...started].reverse()) {
			running.delete(p);
			await p.stop();
		}
	};
	const start = async (/** @type {string} */ name, /** @type {Record<string,string>} */ env, /** @type {string[]} */ args, /** @type {string} */ healthUrl) => {
		const proc = await startN8nProcess(`n8n ${label} ${name}`, env, args, { logFile: path.join(logs, `${label}-${name}.log`), healthUrl });
		started.push(proc);
		track(proc);
		return proc;
	};
	try {
		const main = await start('main', mainEnv, ['start'], `http://127.0.0.1:${mainPort}/healthz/readiness`);
		const [w1, w2, webhook] = await Promise.all([
			start('worker1', workerEnv(w1Own, w1Broker, w1Health), ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${w1Health}/healthz/readiness`),
			start('worker2', workerEnv(w2Own, w2Broker, w2Health), ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${w2Health}/healthz/readiness`),
			start('webhook', hookEnv, ['webhook'], `http://127.0.0.1:${webhookPort}/healthz/readiness`),
		]);
		// the webhook process serves the published workflow's production webhook once it has loaded it
		// (a GET to a POST-only production webhook answers "not registered for GET requests" once it is loaded)
		await waitFor(
			async () => {
				const res = await fetch(`${webhookUrl}webhook/${PATHS.load}`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
				return /not registered for GET/.test((await res?.text()) ?? '');
			},
			30_000,
			'the webhook process to serve the production webhooks',
		);
		/** @type {Cluster} */
		const cluster = { label, main, workers: [w1, w2], webhook, webhookUrl, mainUrl: `http://127.0.0.1:${mainPort}`, db, env: mainEnv, stop, startMs: Date.now() - t0, restartWorkers: async () => 0, replaceWorker: async () => 0 };
		// Stops both workers (whatever is left of them) and starts two new ones with `settings` added:
		// Bull's job lock and stalled-job check run in the workers.
		cluster.restartWorkers = async (/** @type {Record<string, string>} */ settings) => {
			const t1 = Date.now();
			for (const w of cluster.workers) {
				running.delete(w);
				await w.stop();
			}
			const gen = `${label}${Date.now().toString(36)}`;
			const [o1, o2] = await Promise.all(['worker1', 'worker2'].map((n) => own(`${n}-${gen}`)));
			const [b1, b2, h1, h2] = await Promise.all(Array.from({ length: 4 }, () => port()));
			cluster.workers = await Promise.all([
				start(`worker1-${gen}`, { ...workerEnv(o1, b1, h1), ...settings }, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${h1}/healthz/readiness`),
				start(`worker2-${gen}`, { ...workerEnv(o2, b2, h2), ...settings }, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${h2}/healthz/readiness`),
			]);
			return Date.now() - t1;
		};
		// Stops worker `index` (whatever is left of it) and starts a new one in its place.
		cluster.replaceWorker = async (/** @type {number} */ index, /** @type {Record<string, string>} */ settings) => {
			const t1 = Date.now();
			const old = cluster.workers[index];
			running.delete(old);
			await old.stop();
			const gen = `${label}${Date.now().toString(36)}`;
			const o = await own(`worker${index + 1}-${gen}`);
			const [b, h] = await Promise.all([port(), port()]);
			cluster.workers[index] = await start(`worker${index + 1}-${gen}`, { ...workerEnv(o, b, h), ...settings }, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${h}/healthz/readiness`);
			return Date.now() - t1;
		};
		return cluster;
	} catch (e) {
		await stop();
		throw e;
	}
}

// ---------------------------------------------------------------------------------------------
// one load run: EXECUTIONS executions at once through the production webhook

/**
 * @param {Cluster} c @param {string} marker @param {number} timeoutMs
 */
function startLoad(c, marker, timeoutMs) {
	const requests = Array.from({ length: EXECUTIONS }, (_, e) => ({
		prompts: Array.from({ length: PROMPTS }, (_, p) => ({ prompt: `${marker} e${e} p${p}` })),
	}));
	const t0 = Date.now();
	const url = `${c.webhookUrl}webhook/${PATHS.load}`;
	const answers = requests.map((body) => postJson(url, body, timeoutMs));
	return { requests, t0, answers: Promise.all(answers) };
}

/**
 * The executions of a load run (found by the prompts in their data), keyed by request index.
 * @param {DbExecution[]} all @param {string} marker
 */
function byRequest(all, marker) {
	/** @type {Map<number, DbExecution>} */
	const map = new Map();
	for (const ex of all) {
		const hook = ex.nodes?.Webhook?.[0]?.items?.[0]?.json;
		const first = hook?.body?.prompts?.[0]?.prompt;
		const m = typeof first === 'string' ? new RegExp(`^${marker} e(\\d+) p0$`).exec(first) : null;
		if (m) map.set(Number(m[1]), ex);
	}
	return map;
}

/**
 * Checks one execution's output: 10 completed images, in input order (prompt p0..p4, 2 each,
 * batchIndex 0,1, paired to item p), each with its PNG.
 * @param {DbExecution} ex @param {{ prompts: { prompt: string }[] }} request
 */
function expectCompleteOutput(ex, request) {
	assert.equal(ex.status, 'success', `execution ${ex.id} status ${ex.status} (${JSON.stringify(ex.error ?? null)})`);
	const runs = ex.nodes?.['Akool Generate'];
	assert.ok(runs?.length, `execution ${ex.id}: Akool Generate ran`);
	const items = runs[runs.length - 1].items;
	assert.equal(items.length, PROMPTS * IMAGES_PER_PROMPT, `execution ${ex.id}: ${items.length} items`);
	items.forEach((it, i) => {
		const p = Math.floor(i / IMAGES_PER_PROMPT);
		assert.equal(it.json.prompt, request.prompts[p].prompt, `execution ${ex.id} item ${i}: prompt in input order`);
		assert.equal(it.json.batchIndex, i % IMAGES_PER_PROMPT, `execution ${ex.id} item ${i}: batchIndex`);
		assert.equal(pairedIndex(it), p, `execution ${ex.id} item ${i}: paired to input item ${p}`);
		assert.equal(it.json.status, 'completed', `execution ${ex.id} item ${i}: status ${it.json.status}`);
		assert.match(String(it.json.imageUrl), /^https?:\/\//);
		assert.equal(it.binary?.data?.mimeType, 'image/png', `execution ${ex.id} item ${i}: PNG in binary.data`);
	});
	assert.equal(new Set(items.map((it) => it.json.jobId)).size, items.length, `execution ${ex.id}: distinct job IDs`);
}

/** @param {Cluster} c */
async function workerRuns(c) {
	const per = await Promise.all(c.workers.map(async (w) => executionEvents(await w.logs())));
	return per;
}

/** POST /__options to the fake. @param {any} fake @param {Record<string, unknown>} options */
async function fakeOptions(fake, options) {
	const res = await fetch(`${fake.baseUrl}/__options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
	assert.equal(res.status, 200, `fake /__options: HTTP ${res.status} ${await res.text()}`);
}

/** @param {any[]} creates @param {string} marker */
const createsOf = (creates, marker) => creates.filter((r) => String(r.body?.prompt ?? '').startsWith(`${marker} `));

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const tmp = await tempDir('akool-queue-');
	tmpFolder = tmp;
	let passed = 0;
	let failed = 0;
	/** @type {string[]} */
	const summary = [];
	/** @param {string} name @param {() => Promise<void>} fn */
	const check = async (name, fn) => {
		if (await reportCase(name, fn, { stackLines: 6 })) passed++;
		else failed++;
	};
	try {
		const root = tmp.dir;
		const userFolder = path.join(root, 'setup');
		const extDir = path.join(userFolder, 'ext');
		await fsp.mkdir(extDir, { recursive: true });
		await installPackage(extDir);

		const redis = track(await startRedis({ dir: path.join(root, 'redis') }));
		console.log(`queue: redis-server on 127.0.0.1:${redis.port} (pid ${redis.pid}, no persistence)`);

		/** @type {N8nDb} */
		let db;
		/** @type {Record<string, string>} */
		let dbEnv = {};
		if (DB_KIND === 'postgres') {
			const pg = track(await startPostgres({ dir: path.join(root, 'pg') }));
			dbEnv = pg.env;
			db = new N8nDb(userFolder, { type: 'postgresdb', host: '127.0.0.1', port: pg.port, user: pg.user, database: pg.database });
			console.log(`queue: PostgreSQL on 127.0.0.1:${pg.port} (pid ${pg.pid})`);
		} else {
			const file = path.join(root, 'db', 'database.sqlite');
			await fsp.mkdir(path.dirname(file), { recursive: true });
			dbEnv = { DB_TYPE: 'sqlite', DB_SQLITE_DATABASE: file, DB_SQLITE_POOL_SIZE: '4' };
			db = new N8nDb(userFolder, { type: 'sqlite', file });
		}

		const fake = await startFakeAkool({
			apiKey: API_KEY,
			args: ['--duration-ms', '2000-5000', '--callbacks', CLIENT_ID, '--callback-retry-ms', '1000'],
		});
		track({ name: 'fake-akool', stop: fake.stop, pid: fake.pid });
		console.log(`queue: fake Akool ${fake.baseUrl} (pid ${fake.pid})`);

		const baseEnv = n8nEnv({ userFolder, port: 0, brokerPort: 0, extDir, encryptionKey: ENCRYPTION_KEY, logLevel: 'info', extra: dbEnv });
		const setupEnv = { ...baseEnv, EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		await importCredentials(setupEnv, [{ ...CRED, type: 'akoolApi', data: { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: fake.baseUrl } }]);
		await importWorkflow(setupEnv, workflows);
		// published (activated) before any process starts; the webhook process serves them from the DB
		await Promise.all(workflows.map((wf) => n8n(setupEnv, ['publish:workflow', `--id=${wf.id}`])));
		console.log(`queue: ${DB_KIND} database, credential and ${workflows.length} workflows imported and published (${secs(t0)})`);

		// ---- cluster A: n8n's defaults ---------------------------------------------------------
		const cluster = await startCluster({ root, label: 'a', redisPort: redis.port, baseEnv, db });
		console.log(
			`queue: cluster A up in ${(cluster.startMs / 1000).toFixed(1)} s: main ${cluster.main.pid} (${cluster.mainUrl}), workers ${cluster.workers.map((w) => w.pid).join(', ')}, webhook ${cluster.webhook.pid} (WEBHOOK_URL ${cluster.webhookUrl})`,
		);

		// 1. throughput
		await check(`Throughput: ${EXECUTIONS} executions × ${PROMPTS} prompts × ${IMAGES_PER_PROMPT} images at once through the production webhook`, async () => {
			const marker = 'load';
			const before = createsOf(await fake.requests(), marker).length;
			const run = startLoad(cluster, marker, 180_000);
			const answers = await run.answers;
			const wall = Date.now() - run.t0;
			answers.forEach((a, i) => assert.equal(a.status, 200, `request ${i}: HTTP ${a.status} ${a.error ?? a.text.slice(0, 300)}`));
			answers.forEach((a, i) => {
				assert.ok(Array.isArray(a.json), `request ${i}: the answer is the Akool node's items`);
				assert.equal(a.json.length, PROMPTS * IMAGES_PER_PROMPT, `request ${i}: ${a.json.length} items answered`);
				assert.deepEqual(
					a.json.map((/** @type {any} */ j) => j.prompt),
					run.requests[i].prompts.flatMap((p) => Array(IMAGES_PER_PROMPT).fill(p.prompt)),
					`request ${i}: answered items in input order`,
				);
			});
			const execs = byRequest(await db.find({ workflowIds: [WF.load], withData: true }), marker);
			assert.equal(execs.size, EXECUTIONS, `${execs.size} executions found in the database`);
			for (const [i, ex] of execs) expectCompleteOutput(ex, run.requests[i]);
			const images = [...execs.values()].reduce((n, ex) => n + (ex.nodes?.['Akool Generate']?.at(-1)?.items.length ?? 0), 0);
			assert.equal(images, EXECUTIONS * PROMPTS * IMAGES_PER_PROMPT);
			const creates = createsOf(await fake.requests(), marker).length - before;
			assert.equal(creates, EXECUTIONS * PROMPTS, `creates at the fake: ${creates}`);
			const ids = new Set([...execs.values()].map((e) => e.id));
			const runs = await workerRuns(cluster);
			const split = runs.map((ev) => new Set(ev.filter((x) => x.kind === 'started' && ids.has(x.executionId)).map((x) => x.executionId)));
			const both = [...split[0]].filter((id) => split[1].has(id));
			assert.deepEqual(both, [], 'no execution ran on both workers');
			assert.equal(split[0].size + split[1].size, EXECUTIONS, `every execution started on a worker (${split[0].size} + ${split[1].size})`);
			assert.ok(split[0].size > 0 && split[1].size > 0, `spread over both workers: ${split[0].size} / ${split[1].size}`);
			const mainRuns = executionEvents(await cluster.main.logs()).filter((x) => x.kind === 'started');
			assert.equal(mainRuns.length, 0, 'the main ran no execution');
			const line = `throughput: ${execs.size} executions, ${images} images, ${creates} creates, worker1 ${split[0].size} / worker2 ${split[1].size} executions, ${(wall / 1000).toFixed(1)} s wall (fake jobs 2-5 s, ${WORKER_CONCURRENCY} per worker)`;
			summary.push(line);
			console.log(`  ${line}`);
		});

		// 3. callbacks across processes (on cluster A, before any worker is killed)
		await check('Callback: started on a worker, resumed by the webhook process (signed callback at WEBHOOK_URL), finished on a worker', async () => {
			const answer = await postJson(`${cluster.webhookUrl}webhook/${PATHS.callback}`, { prompt: 'callback across processes' }, 30_000);
			assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
			const started = await db.until(async () => (await db.executions(WF.callback)).at(-1), 90_000, 'the callback execution', 1000);
			await db.finished(WF.callback, started.id, 90_000, { what: 'the callback execution to finish', everyMs: 1000 });
			const [ex] = await db.find({ executionIds: [started.id], withData: true });
			assert.ok(ex);
			assert.equal(ex.status, 'success', `status ${ex.status} ${JSON.stringify(ex.error ?? null)}`);
			const items = ex.nodes?.After?.at(-1)?.items ?? [];
			assert.equal(items.length, IMAGES_PER_PROMPT, `${items.length} items after the resume`);
			items.forEach((it) => {
				assert.equal(it.json.status, 'completed');
				assert.equal(it.binary?.data?.mimeType, 'image/png');
			});
			const id = ex.id;
			const [w1, w2] = await workerRuns(cluster);
			const ran = [...w1.map((x) => ({ ...x, worker: 'worker1' })), ...w2.map((x) => ({ ...x, worker: 'worker2' }))].filter((x) => x.executionId === id && x.kind === 'started');
			assert.equal(ran.length, 2, `two worker jobs for execution ${id} (before and after the wait): ${JSON.stringify(ran.map((r) => [r.worker, r.jobId]))}`);
			const hookEnq = executionEvents(await cluster.webhook.logs()).filter((x) => x.executionId === id && x.kind === 'enqueued');
			const mainEnq = executionEvents(await cluster.main.logs()).filter((x) => x.executionId === id && x.kind === 'enqueued');
			assert.equal(hookEnq.length, 2, `the webhook process enqueued both jobs (trigger and resume): ${JSON.stringify(hookEnq.map((x) => x.jobId))}`);
			assert.equal(mainEnq.length, 0, 'the main enqueued nothing for it');
			const resumeJob = hookEnq[1].jobId;
			assert.ok(ran.some((r) => r.jobId === resumeJob), 'the resume job ran on a worker');
			const cbs = await (await fetch(`${fake.baseUrl}/__callbacks`)).json();
			const jobIds = items.map((it) => it.json.jobId);
			const mine = cbs.filter((/** @type {any} */ d) => jobIds.includes(d.jobId));
			assert.ok(mine.length >= IMAGES_PER_PROMPT, `${mine.length} callbacks for the execution's jobs`);
			for (const d of mine) {
				assert.ok(d.url.startsWith(`${cluster.webhookUrl}webhook-waiting/${id}/`), `callback URL ${d.url} is the WEBHOOK_URL (webhook process)`);
			}
			const resumed = mine.flatMap((/** @type {any} */ d) => d.attempts).filter((/** @type {any} */ a) => a.httpStatus === 200 && /resumed/.test(a.response));
			assert.equal(resumed.length, 1, `exactly one callback resumed the execution (${resumed.length})`);
			const line = `callback: execution ${id}: trigger job ${hookEnq[0].jobId} on ${ran.find((r) => r.jobId === hookEnq[0].jobId)?.worker}, resumed by the webhook process (pid ${cluster.webhook.pid}) from a signed callback to ${new URL(mine[0].url).origin}, resume job ${resumeJob} on ${ran.find((r) => r.jobId === resumeJob)?.worker}; ${mine.length} callbacks, ${mine.reduce((/** @type {number} */ n, /** @type {any} */ d) => n + d.attempts.length, 0)} attempts`;
			summary.push(line);
			console.log(`  ${line}`);
		});

		// 2a. crash with n8n's defaults
		/** @type {{ jobIds: string[], executions: string[] }} */
		const paid = { jobIds: [], executions: [] };
		await check('Crash (n8n defaults): a worker SIGKILLed mid-wait; the others finish untouched; no partial success; no re-run', async () => {
			const r = await crashRun(cluster, fake, 'crashA', 300_000);
			paid.jobIds.push(...r.deadJobIds);
			paid.executions.push(...r.dead);
			summary.push(`crash, n8n defaults: ${r.line}`);
			console.log(`  ${r.line}`);
		});

		// ---- the same cluster, workers restarted with the recommended settings -------------------
		// (inside the next case, while no worker is alive; after it, when it failed before that point)
		let restarted = false;
		const restart = async () => {
			restarted = true;
			const restartMs = await cluster.restartWorkers(CRASH_SETTINGS);
			console.log(
				`  (workers restarted with ${Object.entries(CRASH_SETTINGS).map(([k, v]) => `${k}=${v}`).join(' ')} in ${(restartMs / 1000).toFixed(1)} s, pids ${cluster.workers.map((w) => w.pid).join(', ')})`,
			);
		};

		await check('Callback survives the workers: the worker that started it is SIGKILLed during the wait, no worker is alive when Akool calls back, a worker started later finishes it', async () => {
			await fakeOptions(fake, { durationMs: [8_000, 10_000] });
			try {
				const alive = cluster.workers.filter((w) => w.alive());
				assert.ok(alive.length > 0, 'a worker is alive');
				const before = Math.max(0, ...(await db.find({ workflowIds: [WF.callback] })).map((e) => Number(e.id)));
				const prompt = 'callback survives the workers';
				const answer = await postJson(`${cluster.webhookUrl}webhook/${PATHS.callback}`, { prompt }, 30_000);
				assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
				/** @type {DbExecution | undefined} */
				let ex;
				await waitFor(
					async () => {
						ex = (await db.find({ workflowIds: [WF.callback] })).find((e) => Number(e.id) > before);
						return ex?.status === 'waiting';
					},
					30_000,
					'the execution to wait for the callbacks',
				);
				const id = /** @type {DbExecution} */ (ex).id;
				const ranOn = [];
				for (const w of alive) if (executionEvents(await w.logs()).some((x) => x.kind === 'started' && x.executionId === id)) ranOn.push(w);
				assert.equal(ranOn.length, 1, 'one worker ran the part before the wait');
				for (const w of alive) {
					process.kill(w.pid, 'SIGKILL');
					await w.exited;
				}
				const killedAt = Date.now();
				assert.ok(cluster.workers.every((w) => !w.alive()), 'no worker alive');
				// the final callbacks come and are taken by the webhook process, with no worker alive
				const jobIds = (await fake.jobs()).filter((/** @type {any} */ j) => j.prompt === prompt).map((/** @type {any} */ j) => j.id);
				assert.equal(jobIds.length, IMAGES_PER_PROMPT, `${jobIds.length} jobs created`);
				/** @type {any[]} */
				let mine = [];
				await waitFor(
					async () => {
						mine = (await (await fetch(`${fake.baseUrl}/__callbacks`)).json()).filter((/** @type {any} */ d) => jobIds.includes(d.jobId));
						return mine.some((d) => d.attempts.some((/** @type {any} */ a) => a.httpStatus === 200 && /resumed/.test(a.response)));
					},
					40_000,
					'a callback to resume the execution',
				);
				const statusWhileNoWorker = (await db.find({ executionIds: [id] }))[0]?.status;
				assert.notEqual(statusWhileNoWorker, 'success', 'not finished while no worker is alive');
				await restart();
				await db.finished(WF.callback, id, 60_000, { what: 'the resumed execution to finish on a new worker', everyMs: 1000 });
				const [done] = await db.find({ executionIds: [id], withData: true });
				assert.ok(done);
				assert.equal(done.status, 'success', `status ${done.status} ${JSON.stringify(done.error ?? null)}`);
				const items = done.nodes?.After?.at(-1)?.items ?? [];
				assert.deepEqual(items.map((it) => it.json.jobId).sort(), [...jobIds].sort(), 'the created jobs are the output');
				items.forEach((it) => {
					assert.equal(it.json.status, 'completed');
					assert.equal(it.binary?.data?.mimeType, 'image/png');
				});
				const hookEnq = executionEvents(await cluster.webhook.logs()).filter((x) => x.executionId === id && x.kind === 'enqueued');
				assert.equal(hookEnq.length, 2, 'the webhook process enqueued the trigger and the resume');
				const newRuns = [];
				for (const w of cluster.workers) if (executionEvents(await w.logs()).some((x) => x.kind === 'started' && x.executionId === id && x.jobId === hookEnq[1].jobId)) newRuns.push(w.pid);
				assert.equal(newRuns.length, 1, 'a worker started after the kill ran the resume job');
				const creates = (await fake.requests()).filter((/** @type {any} */ r) => r.kind === 'create' && r.body?.prompt === prompt).length;
				assert.equal(creates, 1, `one create (${creates})`);
				const resumedAt = mine.flatMap((d) => d.attempts).find((/** @type {any} */ a) => a.httpStatus === 200 && /resumed/.test(a.response))?.at;
				const line = `callback with no worker alive: execution ${id} started on pid ${ranOn[0].pid} and waited; every worker SIGKILLed; ${((resumedAt - killedAt) / 1000).toFixed(1)} s later the webhook process answered the final callback "resumed" (execution status then: ${statusWhileNoWorker}); a worker started afterwards (pid ${newRuns[0]}) finished it: ${items.length} images, 1 create`;
				summary.push(line);
				console.log(`  ${line}`);
			} finally {
				await fakeOptions(fake, { durationMs: [2000, 5000] });
			}
		});
		if (!restarted) await restart();

		await check('Crash (recommended settings): the same kill; dead executions fail sooner; still no re-run', async () => {
			const r = await crashRun(cluster, fake, 'crashB', 180_000);
			paid.jobIds.push(...r.deadJobIds);
			paid.executions.push(...r.dead);
			summary.push(`crash, ${Object.entries(CRASH_SETTINGS).map(([k, v]) => `${k}=${v}`).join(' ')}: ${r.line}`);
			console.log(`  ${r.line}`);
		});

		await check('Graceful stop (N8N_GRACEFUL_SHUTDOWN_TIMEOUT above the wait): a worker SIGTERMed mid-wait finishes its executions, then exits', async () => {
			const replaceMs = await cluster.replaceWorker(0, CRASH_SETTINGS); // the worker killed above
			console.log(`  (worker1 replaced in ${(replaceMs / 1000).toFixed(1)} s, pid ${cluster.workers[0].pid})`);
			const r = await gracefulRun(cluster, fake, 'graceful');
			summary.push(`graceful stop, N8N_GRACEFUL_SHUTDOWN_TIMEOUT=${CRASH_SETTINGS.N8N_GRACEFUL_SHUTDOWN_TIMEOUT}: ${r}`);
			console.log(`  ${r}`);
		});

		await check('Get Result with the job IDs of the dead executions returns their (already paid) images, creating nothing', async () => {
			assert.ok(paid.jobIds.length > 0, 'the crash cases left paid jobs behind');
			const creates0 = (await fake.requests()).filter((/** @type {any} */ r) => r.kind === 'create').length;
			const ans = await postJson(`${cluster.webhookUrl}webhook/${PATHS.getResult}`, { jobIds: paid.jobIds.join(', ') }, 120_000);
			assert.equal(ans.status, 200, `HTTP ${ans.status} ${ans.error ?? ans.text.slice(0, 300)}`);
			assert.ok(Array.isArray(ans.json), 'items answered');
			assert.equal(ans.json.length, paid.jobIds.length, `${ans.json.length} items for ${paid.jobIds.length} job IDs`);
			assert.deepEqual(ans.json.map((/** @type {any} */ j) => j.jobId), paid.jobIds, 'one item per job ID, in order');
			ans.json.forEach((/** @type {any} */ j) => assert.equal(j.status, 'completed', `${j.jobId}: ${j.status}`));
			const ex = (await db.find({ workflowIds: [WF.getResult], withData: true })).at(-1);
			const items = ex?.nodes?.['Akool Get Result']?.at(-1)?.items ?? [];
			assert.equal(items.filter((it) => it.binary?.data?.mimeType === 'image/png').length, paid.jobIds.length, 'every image downloaded');
			const creates1 = (await fake.requests()).filter((/** @type {any} */ r) => r.kind === 'create').length;
			assert.equal(creates1, creates0, 'Get Result created nothing');
			const line = `get result: ${paid.jobIds.length} paid jobs of the ${paid.executions.length} dead executions fetched with Get Result: ${items.length} images, 0 creates`;
			summary.push(line);
			console.log(`  ${line}`);
		});

		await binarySourceCases(cluster, fake, check, summary);
		await cluster.stop();
	} catch (e) {
		failed++;
		console.log(`FAIL suite: ${/** @type {Error} */ (e).stack ?? e}`);
	} finally {
		await stopAll();
		let left = leftovers();
		for (let i = 0; i < 10 && left.length; i++) {
			await sleep(500);
			left = leftovers();
		}
		if (left.length) {
			failed++;
			console.log(`FAIL processes left behind:\n     ${left.join('\n     ')}`);
		} else {
			console.log('queue: no process left behind (ps)');
		}
		if (failed === 0) await tmp.remove();
		else console.log(`queue: kept ${tmp.dir} for inspection (logs/ has every process's log)`);
	}
	if (summary.length) console.log(`summary:\n  ${summary.join('\n  ')}`);
	console.log(`queue wall time ${secs(t0)}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

/** Process groups of everything this run started (each process leads its own group). */
const ourGroups = new Set();

/**
 * Processes still alive in a process group this run started, from `ps` (n8n's task runners and
 * any other child included).
 */
function leftovers() {
	let out = '';
	try {
		out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
	} catch {
		return [];
	}
	// zombies (stat Z) have ended: only their exit status waits to be collected by their parent
	return out
		.split('\n')
		.map((l) => l.trim().split(/\s+/))
		.filter((f) => f.length >= 4 && ourGroups.has(Number(f[1])) && !f[2].startsWith('Z'))
		.map((f) => `pid ${f[0]} (group ${f[1]}): ${f.slice(3).join(' ').slice(0, 160)}`);
}

/**
 * The graceful-stop run: EXECUTIONS executions with 35-40 s fake jobs (longer than n8n's default
 * 30 s shutdown timeout); once both workers hold executions, worker 2 gets SIGTERM. It must finish
 * what it holds and exit by itself (code 0); every execution succeeds complete; nothing is created twice.
 * @param {Cluster} c @param {any} fake @param {string} marker
 */
async function gracefulRun(c, fake, marker) {
	await fakeOptions(fake, { durationMs: [35_000, 40_000] });
	try {
		const lastBefore = Math.max(0, ...(await c.db.find({ workflowIds: [WF.load] })).map((e) => Number(e.id)));
		const run = startLoad(c, marker, 120_000);
		const [other, stopped] = c.workers;
		/** @type {string[]} */ let held = [];
		await waitFor(
			async () => {
				const creates = createsOf(await fake.requests(), marker).length;
				const [o, s] = await Promise.all([other.logs(), stopped.logs()]).then((l) => l.map(openExecutions));
				held = s;
				return creates === EXECUTIONS * PROMPTS && o.length > 0 && s.length > 0;
			},
			60_000,
			'all creates and executions on both workers',
		);
		const termAt = Date.now();
		process.kill(stopped.pid, 'SIGTERM');
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		const code = await Promise.race([stopped.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 150_000)))]);
		clearTimeout(timer);
		const exitMs = Date.now() - termAt;
		running.delete(stopped);
		await stopped.stop();
		const answers = await run.answers;
		assert.equal(code, 0, `the SIGTERMed worker exited by itself with code 0 (got ${code})`);
		const ev = executionEvents(await stopped.logs());
		for (const id of held) assert.ok(ev.some((x) => x.kind === 'finished' && x.executionId === id), `the stopped worker finished execution ${id} before exiting`);
		answers.forEach((a, i) => assert.equal(a.status, 200, `request ${i}: HTTP ${a.status} ${a.error ?? a.text.slice(0, 200)}`));
		const rows = (await c.db.find({ workflowIds: [WF.load], withData: true })).filter((e) => Number(e.id) > lastBefore);
		const execs = byRequest(rows, marker);
		assert.equal(execs.size, EXECUTIONS, `${execs.size} executions found`);
		for (const [i, ex] of execs) expectCompleteOutput(ex, run.requests[i]);
		const otherEv = executionEvents(await other.logs());
		const rerun = held.filter((id) => otherEv.some((x) => x.kind === 'started' && x.executionId === id));
		assert.deepEqual(rerun, [], 'no execution of the stopped worker ran again elsewhere');
		const creates = createsOf(await fake.requests(), marker).length;
		assert.equal(creates, EXECUTIONS * PROMPTS, `creates ${creates}`);
		return `worker2 (pid ${stopped.pid}) got SIGTERM holding ${held.length} executions (${held.join(', ')}), finished them and exited 0 after ${(exitMs / 1000).toFixed(1)} s; ${execs.size} executions succeeded complete (${execs.size * PROMPTS * IMAGES_PER_PROMPT} images); creates ${creates} (extra 0)`;
	} finally {
		await fakeOptions(fake, { durationMs: [2000, 5000] });
	}
}

/**
 * Executions a worker's log shows started and not finished.
 * @param {string} text
 */
function openExecutions(text) {
	const ev = executionEvents(text);
	const started = new Set(ev.filter((x) => x.kind === 'started').map((x) => x.executionId));
	for (const x of ev) if (x.kind === 'finished') started.delete(x.executionId);
	return [...started];
}

/**
 * The crash run: EXECUTIONS executions with long fake jobs; once every execution has created its
 * jobs and both workers hold executions, worker 1 is SIGKILLed by its PID. Then: every execution of
 * worker 2 succeeds complete, no execution succeeds with images missing, what n8n did with worker 1's
 * executions (status, error, whether any worker started them again), the creates the fake counted.
 * @param {Cluster} c @param {any} fake @param {string} marker @param {number} settleMs
 */
async function crashRun(c, fake, marker, settleMs) {
	await fakeOptions(fake, { durationMs: [15_000, 20_000] });
	try {
		const lastBefore = Math.max(0, ...(await c.db.find({ workflowIds: [WF.load] })).map((e) => Number(e.id)));
		const run = startLoad(c, marker, settleMs);
		const [victim, survivor] = c.workers;
		// both workers hold executions and all jobs are created (the executions are mid-wait)
		/** @type {string[]} */ let held = [];
		await waitFor(
			async () => {
				const creates = createsOf(await fake.requests(), marker).length;
				const [v, s] = await Promise.all([victim.logs(), survivor.logs()]).then((l) => l.map(openExecutions));
				held = v;
				return creates === EXECUTIONS * PROMPTS && held.length > 0 && s.length > 0;
			},
			60_000,
			'all creates and executions on both workers',
		);
		const killedAt = Date.now();
		process.kill(victim.pid, 'SIGKILL');
		await victim.exited;
		running.delete(victim);
		await victim.stop(); // the rest of its process group (task runner), if any
		const answers = await run.answers;
		const answeredAt = Date.now();
		// give n8n time to do whatever it does next (a re-run would create again)
		await sleep(5_000);
		const rows = (await c.db.find({ workflowIds: [WF.load], withData: true })).filter((e) => Number(e.id) > lastBefore);
		assert.equal(rows.length, EXECUTIONS, `${rows.length} executions of this run in the database`);
		const dead = held;
		for (const id of dead) assert.ok(rows.some((e) => e.id === id), `dead execution ${id} is one of this run`);
		// a dead execution keeps no run data (not even the Webhook's): the survivors are found by their prompts
		const survivors = byRequest(rows.filter((e) => !dead.includes(e.id)), marker);
		assert.equal(survivors.size, EXECUTIONS - dead.length, `${survivors.size} surviving executions found by their prompts`);
		const deadRequests = run.requests.map((_, i) => i).filter((i) => !survivors.has(i));
		const survivorEv = executionEvents(await survivor.logs());
		const rerun = dead.filter((id) => survivorEv.some((x) => x.kind === 'started' && x.executionId === id));
		const creates = createsOf(await fake.requests(), marker);
		const extra = creates.length - EXECUTIONS * PROMPTS;
		const partial = rows.filter((ex) => ex.status === 'success' && (ex.nodes?.['Akool Generate']?.at(-1)?.items.length ?? 0) !== PROMPTS * IMAGES_PER_PROMPT);
		assert.deepEqual(partial.map((e) => e.id), [], 'no execution reports success with images missing');
		for (const [i, ex] of survivors) {
			expectCompleteOutput(ex, run.requests[i]);
			assert.equal(answers[i].status, 200, `surviving execution ${ex.id}: HTTP ${answers[i].status}`);
		}
		const deadStates = dead.map((id) => {
			const ex = /** @type {DbExecution} */ (rows.find((e) => e.id === id));
			return { id, status: ex.status, error: ex.error?.message };
		});
		const deadAnswers = deadRequests.map((i) => answers[i]);
		for (const d of deadStates) assert.notEqual(d.status, 'success', `dead execution ${d.id} does not report success`);
		for (const a of deadAnswers) assert.notEqual(a.status, 200, `a dead execution's caller got HTTP 200: ${a.text.slice(0, 200)}`);
		assert.deepEqual(rerun, [], 'no dead execution was started again by the other worker');
		assert.equal(extra, 0, `extra creates at the fake: ${extra}`);
		const deadPrompts = new Set(deadRequests.flatMap((i) => run.requests[i].prompts.map((p) => p.prompt)));
		const jobs = await fake.jobs();
		const deadJobIds = jobs.filter((/** @type {any} */ j) => deadPrompts.has(j.prompt)).sort((/** @type {any} */ a, /** @type {any} */ b) => a.createdAt - b.createdAt).map((/** @type {any} */ j) => j.id);
		assert.equal(deadJobIds.length, dead.length * PROMPTS * IMAGES_PER_PROMPT, 'the fake names the dead executions\' paid jobs');
		const statuses = [...new Set(deadStates.map((d) => `${d.status}${d.error ? ` "${d.error.slice(0, 90)}"` : ''}`))].join('; ');
		const https = [...new Set(deadAnswers.map((a) => `HTTP ${a.status} ${a.error ?? a.text.slice(0, 80)}`))].join('; ');
		const detect = Math.max(...deadAnswers.map((a) => a.ms)) - (killedAt - run.t0);
		const line = `worker1 (pid ${victim.pid}) killed holding ${dead.length} executions (${dead.join(', ')}); ${EXECUTIONS - dead.length} on worker2 succeeded complete; dead ones: ${statuses}; their callers got ${https} up to ${(detect / 1000).toFixed(0)} s after the kill; re-run by worker2: ${rerun.length}; creates ${creates.length} (extra ${extra}); paid jobs left at Akool: ${deadJobIds.length}; all answered ${((answeredAt - run.t0) / 1000).toFixed(0)} s after the start`;
		return { line, dead, deadJobIds };
	} finally {
		await fakeOptions(fake, { durationMs: [2000, 5000] });
	}
}

/**
 * A binary source in queue mode: the Code node makes an inline PNG on a worker, the Akool node stores
 * it there (n8n's binary data service) and signs it; the URL is built on the worker's WEBHOOK_URL,
 * here the main process (in production: the public address, whose load balancer sends /rest/ to the
 * main and /webhook/ to the webhook processes). Each case runs on one new worker (the others are
 * stopped), so that it is that worker's binary mode which is measured. Last in the suite: it leaves
 * one worker.
 * @param {Cluster} c @param {any} fake @param {(name: string, fn: () => Promise<void>) => Promise<void>} check @param {string[]} summary
 */
async function binarySourceCases(c, fake, check, summary) {
	const mainStorage = path.join(c.env.N8N_USER_FOLDER, '.n8n', 'storage');
	/** One worker, with WEBHOOK_URL on the main and `settings`; returns its start time. @param {Record<string, string>} settings */
	const binaryWorker = async (settings) => {
		for (const w of c.workers.slice(1)) {
			running.delete(w);
			await w.stop();
		}
		return await c.replaceWorker(0, { WEBHOOK_URL: `${c.mainUrl}/`, ...settings });
	};
	/** @param {string} label */
	const transform = async (label) => {
		const png = encodePng(160, 120, { seed: label.length });
		const prompt = `queue binary source, ${label}`;
		const answer = await postJson(`${c.webhookUrl}webhook/${PATHS.binary}`, { png: png.toString('base64'), prompt }, 90_000);
		const job = (await fake.jobs()).find((/** @type {any} */ j) => j.prompt === prompt);
		assert.ok(job, `a job for "${prompt}" (webhook answer ${answer.status} ${answer.text.slice(0, 200)})`);
		const fetched = (await (await fetch(`${fake.baseUrl}/__source-fetches`)).json()).find((/** @type {any} */ f) => f.jobId === job.id);
		assert.ok(fetched, 'the fake fetched the source');
		const url = new URL(fetched.url);
		assert.equal(`${url.origin}${url.pathname}`, `${c.mainUrl}/rest/binary-data/signed`, 'the URL is on the worker’s WEBHOOK_URL (the main)');
		const token = String(url.searchParams.get('token'));
		const { id: fileId } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
		const ex = (await c.db.find({ workflowIds: [WF.binary], withData: true })).at(-1);
		assert.ok(ex, 'an execution');
		const ranOn = executionEvents(await c.workers[0].logs()).some((x) => x.kind === 'started' && x.executionId === ex.id);
		assert.ok(ranOn, `execution ${ex.id} ran on the new worker`);
		const viaWebhookProcess = await fetch(`${c.webhookUrl}rest/binary-data/signed?token=${token}`);
		await viaWebhookProcess.arrayBuffer();
		const sha = createHash('sha256').update(png).digest('hex');
		return { answer, job, fetched, fileId, ex, sha, webhookProcessStatus: viaWebhookProcess.status };
	};
	/** @param {string} mode @param {Awaited<ReturnType<typeof transform>>} r @param {number} startMs */
	const served = (mode, r, startMs) => {
		assert.equal(r.fetched.httpStatus, 200, `the main answered ${r.fetched.httpStatus} ${r.fetched.error ?? ''}`);
		assert.equal(r.fetched.sha256, r.sha, 'the bytes the Code node made');
		assert.ok(!('x-api-key' in r.fetched.requestHeaders), 'no API key on the fetch');
		assert.equal(r.answer.status, 200, `webhook answer ${r.answer.status} ${r.answer.text.slice(0, 300)}`);
		assert.equal(r.ex.status, 'success', `execution ${r.ex.id}: ${JSON.stringify(r.ex.error ?? null)}`);
		const [item] = r.ex.nodes?.['Akool Transform']?.at(-1)?.items ?? [];
		assert.equal(item?.json?.status, 'completed');
		assert.equal(item.binary?.data?.mimeType, 'image/png');
		return `binary source, ${mode}: worker (started in ${(startMs / 1000).toFixed(1)} s) stored ${r.fileId.replace(/[0-9a-f-]{36}$/, '…')} and signed it; the main served it (HTTP 200, ${r.fetched.bytes} bytes, the same SHA-256) and the job completed; the webhook process answers that URL with HTTP ${r.webhookProcessStatus}`;
	};

	await check('Binary source, database mode (queue mode’s default): a worker stores and signs the file, the main process serves it, the job completes', async () => {
		const startMs = await binaryWorker({});
		const r = await transform('database');
		assert.match(r.fileId, /^database:/, `stored in the database: ${r.fileId}`);
		const line = served('database mode', r, startMs);
		summary.push(line);
		console.log(`  ${line}`);
	});

	await check('Binary source, filesystem mode on the worker’s own disk: the main cannot read the worker’s file, Akool’s download fails, the job fails (nothing served)', async () => {
		const startMs = await binaryWorker({ N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' });
		const r = await transform('filesystem, own disk');
		assert.match(r.fileId, /^filesystem(-v2)?:/, `stored on the worker's disk: ${r.fileId}`);
		assert.notEqual(r.fetched.httpStatus, 200, 'the main did not serve it');
		assert.equal(r.job.status, 4, 'the job failed');
		assert.notEqual(r.ex.status, 'success', `execution ${r.ex.id} ${r.ex.status}`);
		const line = `binary source, filesystem mode, worker's own disk: worker (started in ${(startMs / 1000).toFixed(1)} s) stored ${r.fileId.replace(/[0-9a-f-]{36}$/, '…')}; the main answered Akool's download with HTTP ${r.fetched.httpStatus}; job status ${r.job.status}; execution ${r.ex.status} (${JSON.stringify(r.ex.error?.message ?? null)}); webhook answer HTTP ${r.answer.status}`;
		summary.push(line);
		console.log(`  ${line}`);
	});

	await check('Binary source, filesystem mode on a disk shared with the main (N8N_BINARY_DATA_STORAGE_PATH): the main serves the worker’s file, the job completes', async () => {
		const startMs = await binaryWorker({ N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_BINARY_DATA_STORAGE_PATH: mainStorage });
		const r = await transform('filesystem, shared disk');
		assert.match(r.fileId, /^filesystem(-v2)?:/, `stored on the shared disk: ${r.fileId}`);
		const line = served('filesystem mode, storage shared with the main', r, startMs);
		summary.push(line);
		console.log(`  ${line}`);
	});
}

main()
	// leftover timers or keep-alive sockets must not hold the process once everything is stopped
	.then(() => process.exit(process.exitCode ?? 0))
	.catch(async (e) => {
		console.log(`FAIL suite: ${e instanceof Error ? e.stack : String(e)}`);
		await stopAll();
		console.log('0 passed, 1 failed');
		process.exit(1);
	});
