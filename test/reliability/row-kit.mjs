// @ts-check
/**
 * The row kit of the reliability matrix: runs ONE row (its own fake Akool, with the shared
 * distinctive API key, its fault plan, its workflow Start → Items → Akool in n8n's real engine, with
 * the BUILT node) and checks it against the expectation the row writes down.
 *
 * Import this only after N8N_USER_FOLDER and N8N_LOG_LEVEL are set (run.mjs does): it loads n8n-core.
 *
 * Generic checks, applied to every row (a row adds its own with `check`):
 * - creates: each item's create is sent once, unless every earlier attempt was refused (1005 / 429),
 *   the number of items that sent a create equals `expect.creates`, and the jobs Akool made are
 *   exactly those of the accepted creates (refused attempts made nothing);
 * - Continue On Fail on: every input item yields output (its images, or an error item), every output
 *   item has `pairedItem: { item: i }` in input order, error items name the item's jobs that are not
 *   in the output, and the items not expected to fail are whole;
 * - Continue On Fail off: the execution error matches, names the item index, and names every job the
 *   fake made (paid for), saying they were charged and can be fetched with Get Result;
 * - sources: every job made from a source image that completed had it downloaded by the fake (as
 *   Akool does), and a sample source arrived byte for byte (rows write sources as SAMPLE_SOURCE);
 * - secrets: the API key is in no output item, binary file name, error (message, description, stack)
 *   or run data, and in no request but the API's own `x-api-key` header.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** @type {any} */
const engine = require('../harness/engine.js');
/** @type {any} */
const fakeAkool = require('../fake-akool/index.js');
const binaryData = require('../harness/binaryData.js');

/** The distinctive key of the whole run: it must never show up anywhere but in the API's x-api-key header. */
export const API_KEY = 'sk-RELIABILITY-31337-do-not-leak';
export const AKOOL_TYPE = 'n8n-nodes-akool.akool';
const ITEMS_TYPE = 'test.items';
/** The package root: two folders up from this file. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const { imageSize, readPngSize, encodePng } = fakeAkool;
/** A Transform source: the row's own fake's sample PNG (runRow puts the fake's address in), downloaded for real. */
export const SAMPLE_SOURCE = `${fakeAkool.FAKE_URL}/samples/photo.png`;

/** @typedef {Record<string, any>} Obj */

/**
 * @typedef {object} Expect
 * @property {string} text what the row expects, as printed in the matrix
 * @property {number} [creates] items that send a create (or press a button): each counted once
 * @property {number} [requests] total requests the fake must receive (0 for bad input)
 * @property {boolean} [ok] no error at all: every item whole
 * @property {number[] | 'faulted' | 'all'} [errorItems] Continue On Fail on: the input items that yield an error item
 * @property {number | Record<number, number>} [partial] images an erroring item still yields (e.g. a short array)
 * @property {number} [perItem] success outputs per whole item (default: Number of Images, or 1)
 * @property {{ name?: string, message?: RegExp, description?: RegExp, itemIndex?: number | 'faulted' | null }} [error]
 *   Continue On Fail off: the execution error (itemIndex null: a node-level error, no index to name)
 * @property {{ message?: RegExp, description?: RegExp }} [errorItem] Continue On Fail on: the text of the error items
 * @property {boolean} [skipItems] no item checks (cancelled executions)
 * @property {boolean} [jobsNamed] CoF off: every job made must be named (default true)
 */

/**
 * @typedef {object} Row
 * @property {string} id
 * @property {string} group
 * @property {Expect} expect
 * @property {Obj | ((env: Env) => Obj)} params the Akool node's parameters
 * @property {Obj[]} [items] input items (json); default one item `{ prompt: 'item 0' }`
 * @property {Files | ((env: Env) => Files)} [files] the items' files (binary data), one `{ property: TestFile }` per item
 * @property {string | ((env: Env) => string)} [instanceBaseUrl] n8n's address as the node sees it (after setup)
 * @property {'memory' | 'filesystem'} [binaryMode] n8n's binary data mode the row needs: memory (the
 *   default, the engine's own) or filesystem (run.mjs switches the process to it for its last phase)
 * @property {boolean} [cof] Continue On Fail
 * @property {number} [typeVersion] the Akool node's version (default 1, what existing workflows have)
 * @property {Obj} [fake] fake options
 * @property {Record<string, any[]> | ((env: Env) => Record<string, any[]>)} [plan] fault plans by kind
 * @property {(env: Env) => Obj} [credential] the credential data (default: the key and the fake's URL)
 * @property {boolean} [otherHost] start a recording server on another host (127.0.0.2)
 * @property {(env: Env) => Promise<Obj | void>} [setup] runs before the plan; its records are dropped
 * @property {(env: Env & { cancel: () => void, marks: Obj }) => void} [onStart]
 * @property {number} [settleMs] wait after the execution ends, before reading the records
 * @property {boolean} [quiet] timing-sensitive: run in the quiet phase, without the load row
 * @property {(o: Observation) => string[] | void} [check] row-specific checks: failures as sentences
 */

/** @typedef {Array<Record<string, import('../harness/engine.js').TestFile> | undefined>} Files */

/**
 * @typedef {object} Env
 * @property {any} fake
 * @property {OtherHost | undefined} other
 * @property {Obj} state what setup returned
 */

/**
 * @typedef {object} Observation
 * @property {Row} row
 * @property {any} fake
 * @property {OtherHost | undefined} other
 * @property {Obj} state
 * @property {Obj} marks set by onStart (e.g. cancelledAt)
 * @property {Obj[]} items
 * @property {Files} files
 * @property {Obj} params
 * @property {any} run
 * @property {any[]} output the Akool node's output items
 * @property {any} error the execution's error
 * @property {any} taskError the Akool node's task error
 * @property {any[]} requests the fake's records of this row (setup excluded)
 * @property {any[]} jobs jobs made in this row (setup excluded)
 * @property {Set<number>} faulted input items that any planned fault hit
 * @property {number} ms wall time of the execution
 * @property {string[]} leaks where the key was found
 * @property {Obj} counts creates received/refused/items, for the table
 */

// ---------- parameters ----------

/** @param {Obj} [o] */
export function generate(o = {}) {
	return {
		resource: 'image',
		operation: 'generate',
		prompt: '={{ $json.prompt }}',
		aspectRatio: '1:1',
		resolution: '1080p',
		numberOfImages: 1,
		waitForCompletion: true,
		downloadImage: true,
		...o,
		options: { pollInterval: 1, timeout: 30, ...(o.options ?? {}) },
	};
}

/** @param {Obj} [o] */
export function transform(o = {}) {
	return generate({
		operation: 'transform',
		sourceImageUrl: SAMPLE_SOURCE,
		similarity: 0.5,
		aspectRatio: 'Original',
		...o,
	});
}

/** @param {Obj} [o] */
export function getResult(o = {}) {
	const params = /** @type {Obj} */ (generate({ operation: 'getResult', ...o }));
	for (const createOnly of ['prompt', 'aspectRatio', 'resolution', 'numberOfImages']) delete params[createOnly];
	return params;
}

/** @param {Obj} [o] */
export function upscaleOrVary(o = {}) {
	return getResult({ operation: 'upscaleOrVary', jobId: '', button: 'U1', ...o });
}

/** @param {Obj} [o] */
export function getCredits(o = {}) {
	return { resource: 'account', operation: 'getCredits', ...o };
}

/** `n` items `{ prompt: 'item i' }`. @param {number} n @param {(i: number) => Obj} [extra] */
export function prompts(n, extra = () => ({})) {
	return Array.from({ length: n }, (_, i) => ({ prompt: `item ${i}`, ...extra(i) }));
}

// ---------- helpers for rows ----------

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The item a prompt belongs to ('item 3 …' → 3). @param {unknown} prompt */
export function itemOfPrompt(prompt) {
	const match = /item (\d+)/.exec(String(prompt ?? ''));
	return match ? Number(match[1]) : undefined;
}

/** @param {any} job */
const itemOfJob = (job) => (job ? itemOfPrompt(job.prompt) : undefined);

/** The job a request is about (result, download, button), if any. @param {any} fake @param {any} rec */
export function jobOfRequest(fake, rec) {
	if (rec.kind === 'result') return fake.jobs.get(rec.query.image_model_id);
	if (rec.kind === 'download') return fake.jobs.get(/\/images\/([0-9a-f]{24})\.png/.exec(rec.path)?.[1] ?? '');
	if (rec.kind === 'button') return fake.jobs.get(rec.body?._id);
	return undefined;
}

/** The input item a request is for. @param {any} fake @param {any} rec */
export function itemOfRequest(fake, rec) {
	if (rec.kind === 'create') return itemOfPrompt(rec.body?.prompt);
	return itemOfJob(jobOfRequest(fake, rec));
}

/** A fault that replaces Akool's answer (then nothing was created). @param {any} fault */
const replacesAnswer = (fault) =>
	Boolean(fault) &&
	(Boolean(fault.reset) ||
		fault.hangMs !== undefined ||
		fault.redirect !== undefined ||
		'json' in fault ||
		fault.raw !== undefined ||
		fault.status !== undefined);

/** A refusal Akool answers before making a job: 1005 or HTTP 429. @param {any} rec */
const isRefusal = (rec) => rec.code === 1005 || rec.status === 429;

/** All the text of an error: message, description, context. @param {any} error */
export function errorText(error) {
	if (!error) return '';
	return [error.message, error.description, JSON.stringify(error.context ?? {})].join(' \n ');
}

/** @param {string} text @param {number} max */
export const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Success outputs (images, credits) of the node. @param {any} item */
const isErrorItem = (item) => typeof item?.json?.error === 'string';

// ---------- a server on another host ----------

/**
 * @typedef {object} OtherHost a server on 127.0.0.2 (another host than the fake's 127.0.0.1 and
 *   localhost) that records every request and answers a PNG: a redirect target
 * @property {string} baseUrl
 * @property {any[]} requests
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<OtherHost>} */
async function startOtherHost() {
	/** @type {any[]} */
	const requests = [];
	const png = encodePng(1080, 1080, { seed: 7, kind: 'gradient' });
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const parts = /** @type {Buffer[]} */ ([]);
		req.on('data', (part) => parts.push(part));
		req.on('end', () => {
			requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, body: Buffer.concat(parts).toString() });
			res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
			res.end(png);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const host = await new Promise((resolve, reject) => {
		const tryListen = (/** @type {string} */ address, /** @type {string | undefined} */ fallback) => {
			server.once('error', (error) => (fallback ? tryListen(fallback, undefined) : reject(error)));
			server.listen(0, address, () => resolve(address));
		};
		tryListen('127.0.0.2', '::1');
	});
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	return {
		baseUrl: host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`,
		requests,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

// ---------- secrets ----------

/** Every log call of n8n (its Logger and LoggerProxy), kept in memory and scanned for the key. */
export const logLines = /** @type {string[]} */ ([]);

/** @param {string} level @param {((message: unknown, meta?: unknown) => void) | undefined} [forward] */
const capture = (level, forward) => (/** @type {unknown} */ message, /** @type {unknown} */ meta) => {
	logLines.push(`${level} ${String(message)} ${safeJson(meta)}`);
	forward?.(message, meta);
};

/**
 * n8n logs through its DI Logger (which takes over n8n-workflow's LoggerProxy when created): create
 * it now, wrap its methods (and those of its scoped children) so that every line is recorded too,
 * then point LoggerProxy at the recording.
 */
function captureLogs() {
	const fromCore = createRequire(require.resolve('n8n-core'));
	/** @type {any} */
	const { Container } = fromCore('@n8n/di');
	/** @type {any} */
	const { Logger } = fromCore('@n8n/backend-common');
	/** @param {any} logger */
	const wrap = (logger) => {
		for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = capture(level, logger[level].bind(logger));
		const scoped = logger.scoped.bind(logger);
		logger.scoped = (/** @type {unknown} */ scopes) => wrap(scoped(scopes));
		return logger;
	};
	const root = wrap(Container.get(Logger));
	/** @type {any} */
	const { LoggerProxy } = require('n8n-workflow');
	LoggerProxy.init(root);
}

/** @param {unknown} value */
function safeJson(value) {
	const seen = new WeakSet();
	try {
		return JSON.stringify(value, (_, v) => {
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
			}
			return v;
		}) ?? '';
	} catch {
		return String(value);
	}
}

/**
 * Where `key` (default the API key; or a pattern) occurs in `value` (deep: arrays, objects, and the
 * own non-enumerable properties of errors such as `stack`, `description`, `cause`).
 * @param {unknown} value @param {string} where @param {string[]} found @param {WeakSet<object>} [seen] @param {number} [depth]
 * @param {string | RegExp} [key]
 */
export function findKey(value, where, found, seen = new WeakSet(), depth = 0, key = API_KEY) {
	const holds = (/** @type {string} */ text) => (typeof key === 'string' ? text.includes(key) : key.test(text));
	if (found.length > 20 || depth > 40) return found;
	if (typeof value === 'string') {
		if (holds(value)) found.push(where);
		return found;
	}
	if (!value || typeof value !== 'object') return found;
	if (seen.has(value)) return found;
	seen.add(value);
	if (Buffer.isBuffer(value)) {
		if (holds(value.toString('latin1'))) found.push(where);
		return found;
	}
	const names = new Set(Object.keys(value));
	if (value instanceof Error) for (const name of Object.getOwnPropertyNames(value)) names.add(name);
	for (const name of names) {
		if (holds(name)) found.push(`${where} (a property name)`);
		/** @type {unknown} */
		let child;
		try {
			child = /** @type {any} */ (value)[name];
		} catch {
			continue;
		}
		findKey(child, `${where}.${name}`, found, seen, depth + 1, key);
	}
	return found;
}

/** Where the key went, by category, over the whole run (the summary rows read it). */
export const leaksByCategory = /** @type {Record<string, string[]>} */ ({
	output: [],
	fileName: [],
	error: [],
	runData: [],
	requests: [],
});

/** What the secrets scan looked at, over the whole run. */
export const secretStats = { apiRequestsWithKey: 0, cdnRequests: 0, otherHostRequests: 0, rows: 0 };

/** @param {Observation} o @returns {string[]} */
function scanSecrets(o) {
	secretStats.rows++;
	/** @type {Record<string, string[]>} */
	const found = { output: [], fileName: [], error: [], runData: [], requests: [] };
	o.output.forEach((item, index) => {
		const { binary, ...rest } = item ?? {};
		findKey(rest, `output[${index}]`, found.output);
		for (const [name, data] of Object.entries(binary ?? {})) {
			const { data: bytes, ...meta } = /** @type {Obj} */ (data ?? {});
			findKey(String(meta.fileName ?? ''), `output[${index}].binary.${name}.fileName`, found.fileName);
			findKey(meta, `output[${index}].binary.${name}`, found.output);
			findKey(bytes, `output[${index}].binary.${name}.data`, found.output);
		}
		if (isErrorItem(item)) findKey(item.json, `error item ${index}`, found.error);
	});
	findKey(o.error, 'execution error', found.error);
	findKey(o.taskError, 'node task error', found.error);
	findKey(o.run, 'run data', found.runData);
	for (const rec of o.requests) {
		const label = `${rec.host} ${rec.kind} ${rec.method} ${rec.path}`;
		if (rec.host === 'api' && rec.headers['x-api-key'] === API_KEY) secretStats.apiRequestsWithKey++;
		if (rec.host === 'cdn') secretStats.cdnRequests++;
		const { headers, ...rest } = rec;
		findKey(rest, label, found.requests);
		for (const [name, value] of Object.entries(headers ?? {})) {
			const allowed = rec.host === 'api' && name === 'x-api-key';
			if (!allowed && String(value).includes(API_KEY)) found.requests.push(`${label} header ${name}`);
		}
		if (rec.host !== 'api' && (headers['x-api-key'] !== undefined || headers.authorization !== undefined)) {
			found.requests.push(`${label} carries a credential header`);
		}
	}
	for (const rec of o.other?.requests ?? []) {
		secretStats.otherHostRequests++;
		findKey(rec, `other host ${rec.method} ${rec.url}`, found.requests);
		if (rec.headers['x-api-key'] !== undefined || rec.headers.authorization !== undefined) {
			found.requests.push(`other host ${rec.url} carries a credential header`);
		}
	}
	/** @type {string[]} */
	const leaks = [];
	for (const [category, places] of Object.entries(found)) {
		leaksByCategory[category].push(...places.map((place) => `${o.row.id}: ${place}`));
		leaks.push(...places.map((place) => `${category}: ${place}`));
	}
	return leaks;
}

// ---------- running a row ----------

/** @type {{ nodeType: any, credentialType: any } | undefined} */
let built;

/** Loads the BUILT package (dist/) once, as n8n loads an installed community package. */
export async function loadNode() {
	if (!built) {
		captureLogs();
		const loader = await engine.loadBuiltPackage(PACKAGE_ROOT);
		built = { nodeType: loader.getNode('akool').type, credentialType: loader.getCredential('akoolApi').type };
	}
	return built;
}

/** @param {string} name @param {string} type @param {Obj} parameters @param {number} x @param {Obj} [extra] */
function node(name, type, parameters, x, extra = {}) {
	return { id: name, name, type, typeVersion: 1, position: [x * 200, 0], parameters, ...extra };
}

/**
 * Creates a finished job through the fake's API directly (for Get Result and Upscale or Vary rows).
 * @param {any} fake @param {Obj} [body]
 * @returns {Promise<string>} the job ID
 */
export async function finishedJob(fake, body = {}) {
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	const created = await fetch(`${fake.baseUrl}${fakeAkool.PATHS.create}`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ prompt: 'item 0', scale: '1:1', resolution: '1080p', batch_quantity: 1, ...body }),
	}).then((res) => res.json());
	const id = created?.data?._id;
	if (typeof id !== 'string') throw new Error(`setup: the fake did not create a job: ${JSON.stringify(created)}`);
	for (let tries = 0; tries < 200; tries++) {
		if (fake.jobs.get(id)?.urlReady) return id;
		await sleep(50);
	}
	throw new Error('setup: the job did not finish');
}

/**
 * @typedef {object} RowResult
 * @property {Row} row
 * @property {boolean} passed
 * @property {string[]} failures
 * @property {string} observed
 * @property {string} creates
 * @property {string} itemsInOut
 * @property {number} ms
 * @property {string} [note] what the row measured (load time, time after a cancel...)
 */

/** Runs one row and checks it. @param {Row} row @returns {Promise<RowResult>} */
export async function runRow(row) {
	const started = Date.now();
	const { nodeType, credentialType } = await loadNode();
	const fake = await fakeAkool.startFakeAkool({ apiKey: API_KEY, durationMs: [150, 300], ...(row.fake ?? {}) });
	const other = row.otherHost ? await startOtherHost() : undefined;
	/** @type {Env} */
	const env = { fake, other, state: {} };
	try {
		if (row.setup) env.state = (await row.setup(env)) ?? {};
		const baselineJobs = new Set(fake.jobs.keys());
		fake.requests.length = 0;
		const plan = typeof row.plan === 'function' ? row.plan(env) : row.plan ?? {};
		for (const [kind, faults] of Object.entries(plan)) fake.plan(kind, faults);
		// sources written as <fake-akool>/samples/… become this row's fake's own sample URLs
		const params = fakeAkool.placeFakeUrl(typeof row.params === 'function' ? row.params(env) : row.params, fake.baseUrl);
		const items = fakeAkool.placeFakeUrl(row.items ?? [{ prompt: 'item 0' }], fake.baseUrl);
		const files = (typeof row.files === 'function' ? row.files(env) : row.files) ?? [];
		const instanceBaseUrl = typeof row.instanceBaseUrl === 'function' ? row.instanceBaseUrl(env) : row.instanceBaseUrl;
		const credential = row.credential ? row.credential(env) : { apiKey: API_KEY, baseUrl: fake.baseUrl, clientId: '' };
		const akool = node('Akool', AKOOL_TYPE, params, 2, {
			credentials: { akoolApi: { id: 'cred-reliability', name: 'Akool account' } },
			...(row.cof ? { onError: 'continueRegularOutput' } : {}),
			...(row.typeVersion ? { typeVersion: row.typeVersion } : {}),
		});
		const runStarted = Date.now();
		/** @type {{ promise: Promise<any>, cancel: () => void }} */
		const { promise, cancel } = startOrThrow({
			nodeTypes: { [AKOOL_TYPE]: nodeType, [ITEMS_TYPE]: new engine.ItemsSource() },
			nodes: [
				node('Start', engine.TRIGGER_TYPE, {}, 0),
				node('Items', ITEMS_TYPE, { items: JSON.stringify(items), files: JSON.stringify(files) }, 1),
				akool,
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Akool', type: 'main', index: 0 }]] },
			},
			credentialTypes: { akoolApi: credentialType },
			credentials: { akoolApi: credential },
			instanceBaseUrl,
		});
		/** @type {Obj} */
		const marks = {};
		row.onStart?.({ ...env, cancel, marks });
		/** @type {any} */
		let run;
		/** @type {any} */
		let thrown;
		try {
			run = await promise;
		} catch (error) {
			thrown = error;
		}
		const ms = Date.now() - runStarted;
		if (row.settleMs) await sleep(row.settleMs);
		const requests = [...fake.requests];
		const jobs = [...fake.jobs.values()].filter((job) => !baselineJobs.has(job.id));
		/** @type {Set<number>} */
		const faulted = new Set();
		for (const rec of requests) {
			if (!rec.fault) continue;
			const item = itemOfRequest(fake, rec);
			if (item !== undefined) faulted.add(item);
		}
		/** @type {Observation} */
		const o = {
			row,
			fake,
			other,
			state: env.state,
			marks,
			items,
			files,
			params,
			run,
			output: run ? await withStoredBytes(engine.outputOf(run, 'Akool')) : [],
			error: run ? run.data.resultData.error : thrown,
			taskError: run?.data.resultData.runData.Akool?.[0]?.error,
			requests,
			jobs,
			faulted,
			ms,
			leaks: [],
			counts: {},
		};
		/** @type {string[]} */
		const failures = [];
		if (thrown && !row.expect.skipItems && row.expect.error?.name !== thrown?.name) {
			failures.push(`the execution threw: ${String(thrown?.message ?? thrown)}`);
		}
		o.leaks = scanSecrets(o);
		failures.push(...o.leaks.map((leak) => `the API key leaked: ${leak}`));
		failures.push(...checkCreates(o));
		failures.push(...checkSources(o));
		if (row.expect.requests !== undefined && requests.length !== row.expect.requests) {
			failures.push(
				`expected ${row.expect.requests} requests to the fake, got ${requests.length} (${requests.map((r) => r.kind).join(', ')})`,
			);
		}
		if (!row.expect.skipItems) failures.push(...(row.cof ? checkContinueOnFail(o) : checkStopOnFail(o)));
		try {
			failures.push(...(row.check?.(o) ?? []));
		} catch (error) {
			failures.push(`the row's check threw: ${error instanceof Error ? error.stack : String(error)}`);
		}
		return {
			row,
			passed: failures.length === 0,
			failures,
			observed: describe(o),
			creates: o.counts.creates ?? '',
			itemsInOut: `${items.length}/${o.output.length}`,
			ms: Date.now() - started,
			note: o.counts.note,
		};
	} catch (error) {
		return {
			row,
			passed: false,
			failures: [`the row could not run: ${error instanceof Error ? error.stack : String(error)}`],
			observed: 'row crashed',
			creates: '',
			itemsInOut: '',
			ms: Date.now() - started,
		};
	} finally {
		await fake.close();
		await other?.close();
	}
}

/**
 * Starts the workflow; n8n's own checks (e.g. a required parameter left empty) throw before any node
 * runs: that becomes the execution's outcome.
 * @param {Obj} options
 */
function startOrThrow(options) {
	try {
		return engine.startWorkflow(options);
	} catch (error) {
		return { promise: Promise.reject(error), cancel: () => {} };
	}
}

/** @param {Observation} o */
function describe(o) {
	const leak = o.leaks.length ? ' [KEY LEAKED]' : '';
	if (o.error && !o.row.cof) return `${o.error.name ?? 'Error'}: ${o.error.message}${leak}`;
	const errors = o.output.filter(isErrorItem);
	const success = o.output.filter((item) => !isErrorItem(item) && (item.json?.jobId || item.json?.credit !== undefined));
	const other = o.output.length - errors.length - success.length;
	const parts = [`${success.length} ok`];
	if (errors.length) parts.push(`${errors.length} error item(s): ${errors[0].json.error}`);
	if (other) parts.push(`${other} input item(s) passed through`);
	if (o.taskError && o.row.cof) parts.push(`node error "${o.taskError.message}"`);
	return parts.join(', ') + leak;
}

/**
 * The output items with each file n8n stored (filesystem mode: an `id`, no bytes) read back into
 * `data` as in memory mode, so that every check sees the bytes; copies, the run data stays as it is.
 * @param {any[]} output
 */
async function withStoredBytes(output) {
	const read = async (/** @type {any} */ file) => (file?.id ? { ...file, data: (await binaryData.binaryDataService().getAsBuffer(file)).toString('base64') } : file);
	return await Promise.all(
		output.map(async (item) =>
			item.binary ? { ...item, binary: Object.fromEntries(await Promise.all(Object.entries(item.binary).map(async ([name, file]) => [name, await read(file)]))) } : item,
		),
	);
}

/** @param {Obj} params */
function numberOfImages(params) {
	return typeof params.numberOfImages === 'number' ? params.numberOfImages : 1;
}

/**
 * The sources rule: Akool downloads the source of each job made from one, and so does the fake; a
 * job that completed had its source downloaded whole, and a sample arrived byte for byte.
 * @param {Observation} o @returns {string[]}
 */
function checkSources(o) {
	/** @type {string[]} */
	const failures = [];
	for (const job of o.jobs) {
		if (job.status !== 3 || job.sourceState === 'none') continue;
		const fetched = o.fake.sourceFetches.find((/** @type {any} */ f) => f.jobId === job.id);
		if (fetched?.state !== 'ok') {
			failures.push(`job ${job.id} completed without its source downloaded (${fetched?.error ?? 'no download'})`);
			continue;
		}
		const sample = fakeAkool.sampleAt(o.fake.baseUrl, fetched.url);
		if (sample && fetched.sha256 !== sample.sha256)
			failures.push(`job ${job.id}: the fake got ${fetched.bytes} bytes from ${fetched.url}, not the sample's ${sample.bytes.length}`);
	}
	return failures;
}

/** The creates (and buttons) rule. @param {Observation} o @returns {string[]} */
function checkCreates(o) {
	/** @type {string[]} */
	const failures = [];
	const paid = o.requests.filter((rec) => rec.kind === 'create' || rec.kind === 'button');
	/** @type {Map<string, any[]>} */
	const attempts = new Map();
	for (const rec of paid) {
		const key = rec.kind === 'create' ? `create ${JSON.stringify(rec.body)}` : `button ${rec.body?._id} ${rec.body?.button}`;
		attempts.set(key, [...(attempts.get(key) ?? []), rec]);
	}
	for (const [key, list] of attempts) {
		const resentAfter = list.slice(0, -1).filter((rec) => !isRefusal(rec));
		if (resentAfter.length) {
			failures.push(
				`a paid call was sent ${list.length} times though Akool did not refuse it before (${clip(key, 90)}; answers: ${list
					.map((rec) => rec.code ?? rec.status ?? 'none')
					.join(', ')})`,
			);
		}
	}
	const refused = paid.filter(isRefusal).length;
	o.counts.creates = `${o.row.expect.creates ?? 0}/${paid.length}${refused ? ` (${refused} refused)` : ''}`;
	if (o.row.expect.creates !== undefined && attempts.size !== o.row.expect.creates) {
		failures.push(`expected ${o.row.expect.creates} paid call(s) asked, the fake received ${attempts.size} distinct (${paid.length} requests)`);
	}
	const accepted = paid.filter((rec) => rec.code === 1000 && !replacesAnswer(rec.fault));
	const expectedJobs = accepted.reduce((sum, rec) => {
		if (rec.kind === 'button') return sum + 1;
		const quantity = Number(rec.body?.batch_quantity ?? 1);
		const short = rec.fault?.shortArray;
		return sum + (!short ? quantity : short === true ? quantity - 1 : Math.min(short, quantity));
	}, 0);
	if (o.jobs.length !== expectedJobs) {
		failures.push(`the fake made ${o.jobs.length} job(s), but its accepted paid calls account for ${expectedJobs}`);
	}
	return failures;
}

/** Continue On Fail on. @param {Observation} o @returns {string[]} */
function checkContinueOnFail(o) {
	const { row, output, items } = o;
	/** @type {string[]} */
	const failures = [];
	if (o.taskError) {
		failures.push(
			`the node failed as a whole under Continue On Fail ("${o.taskError.message}"): n8n passed the input items through instead of one error item per item`,
		);
	}
	let last = -1;
	output.forEach((item, index) => {
		const paired = item.pairedItem;
		const ok = paired && typeof paired === 'object' && !Array.isArray(paired) && Number.isInteger(paired.item);
		if (!ok || paired.item < 0 || paired.item >= items.length || Object.keys(paired).some((k) => k !== 'item' && k !== 'input')) {
			failures.push(`output ${index} has pairedItem ${JSON.stringify(paired)}`);
			return;
		}
		if (paired.item < last) failures.push(`output ${index} (item ${paired.item}) comes after item ${last}: not in input order`);
		last = Math.max(last, paired.item);
	});
	const expected = expectedErrorItems(o);
	const perItem = row.expect.perItem ?? numberOfImages(o.params);
	for (let i = 0; i < items.length; i++) {
		const mine = output.filter((item) => item.pairedItem?.item === i);
		const errors = mine.filter(isErrorItem);
		const success = mine.filter((item) => !isErrorItem(item) && (item.json?.jobId || item.json?.credit !== undefined));
		const stray = mine.length - errors.length - success.length;
		if (stray) failures.push(`item ${i}: ${stray} output item(s) that are neither a result nor an error item`);
		if (expected.has(i)) {
			if (errors.length !== 1) failures.push(`item ${i}: expected one error item, got ${errors.length}`);
			const partial = typeof row.expect.partial === 'number' ? row.expect.partial : row.expect.partial?.[i] ?? 0;
			if (success.length !== partial) failures.push(`item ${i}: expected ${partial} result(s) beside its error, got ${success.length}`);
			for (const error of errors) {
				const { message, description } = row.expect.errorItem ?? {};
				if (message && !message.test(String(error.json.error))) failures.push(`item ${i}: error "${error.json.error}" does not match ${message}`);
				if (description && !description.test(String(error.json.description ?? ''))) {
					failures.push(`item ${i}: description "${clip(String(error.json.description ?? ''), 200)}" does not match ${description}`);
				}
				const inOutput = new Set(success.map((item) => item.json.jobId));
				const text = JSON.stringify(error.json);
				for (const job of o.jobs.filter((job) => itemOfJob(job) === i && !inOutput.has(job.id))) {
					if (!text.includes(job.id)) failures.push(`item ${i}: its error item does not name its job ${job.id}`);
				}
			}
		} else {
			if (errors.length) failures.push(`item ${i}: unexpected error item "${errors[0].json.error}"`);
			if (success.length !== perItem) failures.push(`item ${i}: expected ${perItem} result(s), got ${success.length}`);
		}
		failures.push(...checkImages(o, i, success));
	}
	return failures;
}

/** @param {Observation} o @returns {Set<number>} */
function expectedErrorItems(o) {
	const spec = o.row.expect.errorItems;
	if (spec === 'all') return new Set(o.items.map((_, i) => i));
	if (spec === 'faulted') {
		if (o.faulted.size === 0) return new Set([-1]); // a planned fault that hit nothing: fails the row below
		return o.faulted;
	}
	return new Set(spec ?? []);
}

/** Each image item: its job, its batch index, and its file when downloading. @param {Observation} o @param {number} i @param {any[]} success */
function checkImages(o, i, success) {
	/** @type {string[]} */
	const failures = [];
	const download = o.params.downloadImage !== false && o.params.waitForCompletion !== false;
	const op = o.params.operation;
	if (o.params.resource !== 'image') return failures;
	for (const item of success) {
		const jobId = String(item.json.jobId);
		const job = o.fake.jobs.get(jobId);
		if (!job) {
			failures.push(`item ${i}: output names job ${jobId}, which the fake never made`);
			continue;
		}
		if ((op === 'generate' || op === 'transform') && itemOfJob(job) !== i) {
			failures.push(`item ${i}: output carries job ${jobId} of item ${itemOfJob(job)}`);
		}
		if (!download || o.params.waitForCompletion === false) continue;
		const binary = item.binary?.[o.params.options?.binaryPropertyName ?? 'data'];
		if (!binary) {
			failures.push(`item ${i}: image ${jobId} has no binary data`);
			continue;
		}
		if (binary.mimeType !== 'image/png' || binary.fileName !== `akool-${jobId}.png`) {
			failures.push(`item ${i}: binary ${binary.fileName} ${binary.mimeType}`);
		}
		if (!o.row.otherHost && typeof binary.data === 'string') {
			try {
				const size = readPngSize(Buffer.from(binary.data, 'base64'));
				const want = imageSize(job.ratio, job.resolution);
				if (size.width !== want.width || size.height !== want.height) {
					failures.push(`item ${i}: image ${jobId} is ${size.width}x${size.height}, not ${want.width}x${want.height}`);
				}
			} catch (error) {
				failures.push(`item ${i}: image ${jobId} is not a PNG (${String(error)})`);
			}
		}
	}
	return failures;
}

/** Continue On Fail off. @param {Observation} o @returns {string[]} */
function checkStopOnFail(o) {
	const { row, error } = o;
	/** @type {string[]} */
	const failures = [];
	const want = row.expect.error;
	if (!want) {
		if (error) return [`unexpected execution error: ${error.message} / ${error.description ?? ''}`];
		const perItem = row.expect.perItem ?? numberOfImages(o.params);
		for (let i = 0; i < o.items.length; i++) {
			const mine = o.output.filter((item) => item.pairedItem?.item === i);
			if (mine.length !== perItem) failures.push(`item ${i}: expected ${perItem} result(s), got ${mine.length}`);
			if (mine.some((item) => JSON.stringify(item.pairedItem) !== JSON.stringify({ item: i }))) {
				failures.push(`item ${i}: pairedItem wrong`);
			}
			failures.push(...checkImages(o, i, mine));
		}
		return failures;
	}
	if (!error) return [`expected the execution to fail (${want.message ?? ''}), it did not (${o.output.length} items out)`];
	if (o.output.length) failures.push(`the failed node still output ${o.output.length} item(s)`);
	if (want.name && error.name !== want.name) failures.push(`error is a ${error.name}, expected ${want.name}`);
	if (want.message && !want.message.test(String(error.message))) failures.push(`message "${error.message}" does not match ${want.message}`);
	if (want.description && !want.description.test(String(error.description ?? ''))) {
		failures.push(`description "${clip(String(error.description ?? ''), 300)}" does not match ${want.description}`);
	}
	const text = errorText(error);
	if (want.itemIndex !== null && want.itemIndex !== undefined) {
		const candidates = want.itemIndex === 'faulted' ? [...o.faulted] : [want.itemIndex];
		const index = error.context?.itemIndex;
		const named = candidates.some((i) => index === i || new RegExp(`\\bitem (index )?${i}\\b`, 'i').test(text));
		if (!named) failures.push(`the error does not name the item index ${candidates.join(' or ')} (context.itemIndex ${index})`);
	}
	if (row.expect.jobsNamed !== false) {
		const missing = o.jobs.filter((job) => !text.includes(job.id));
		if (missing.length) failures.push(`the error does not name the job(s) this run paid for: ${missing.map((job) => job.id).join(', ')}`);
		// A job Akool reported failed (really, or through a jobStatus fault) has nothing to fetch.
		const reportedFailed = new Set(
			recordsOf(o, 'result')
				.filter((rec) => rec.fault?.jobStatus === 4)
				.map((rec) => rec.query.image_model_id),
		);
		const fetchable = o.jobs.filter((job) => job.status !== 4 && !reportedFailed.has(job.id));
		if (fetchable.length) {
			if (!/Get Result/.test(text)) failures.push('jobs were paid for, but the error does not point to Get Result');
			if (!/charged|pay again/i.test(text)) failures.push('jobs were paid for, but the error does not say they were charged');
		}
	}
	return failures;
}

// ---------- helpers for row checks ----------

/** The fake's records of `kind`. @param {Observation} o @param {string} kind */
export const recordsOf = (o, kind) => o.requests.filter((rec) => rec.kind === kind);

/**
 * Attempts at the same job or item: at most `max`, and when `minGapMs` is given, consecutive ones at
 * least that far apart (a back-off).
 * @param {Observation} o @param {string} kind @param {{ max?: number, min?: number, minGapMs?: number }} bounds
 */
export function attemptsPerSubject(o, kind, { max, min, minGapMs }) {
	/** @type {string[]} */
	const failures = [];
	/** @type {Map<string, any[]>} */
	const bySubject = new Map();
	for (const rec of recordsOf(o, kind)) {
		const subject = kind === 'create' ? JSON.stringify(rec.body) : kind === 'credits' ? 'credits' : jobOfRequest(o.fake, rec)?.id ?? rec.path;
		bySubject.set(subject, [...(bySubject.get(subject) ?? []), rec]);
	}
	for (const [subject, list] of bySubject) {
		if (max !== undefined && list.length > max) failures.push(`${kind} of ${clip(subject, 40)}: ${list.length} attempts, more than ${max}`);
		if (min !== undefined && list.some((rec) => rec.fault) && list.length < min) {
			failures.push(`${kind} of ${clip(subject, 40)}: ${list.length} attempts, fewer than ${min}`);
		}
		if (minGapMs !== undefined) {
			for (let i = 1; i < list.length; i++) {
				if (list[i - 1].fault && list[i].at - list[i - 1].at < minGapMs) {
					failures.push(`${kind} of ${clip(subject, 40)}: retried ${list[i].at - list[i - 1].at} ms after a failure, expected a back-off of ${minGapMs} ms or more`);
				}
			}
		}
	}
	return failures;
}
