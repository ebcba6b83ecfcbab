// @ts-check
/**
 * The binary source of Transform in the reliability matrix (rows/binary.mjs): n8n's binary data mode,
 * the n8n that serves the signed URLs, the files, and the checks of what n8n served to the fake.
 *
 * n8n's binary data mode is process-global (n8n-core's BinaryDataService, one per process): a row in
 * memory mode cannot run beside a row in filesystem mode. The matrix runs every memory row first (the
 * engine's own state: all rows but the binary ones, and the binary row that proves the memory-mode
 * refusal), then switches the process to filesystem mode ONCE (`useFilesystemMode`, one way, as n8n
 * does at start-up) and runs the filesystem rows as a last phase, concurrently with each other only.
 * Each row's setup checks that the process is in the mode the row needs, so a row run in the wrong
 * phase fails instead of proving nothing.
 *
 * The signed URL's token is a secret of the same kind as the API key (whoever holds it gets the
 * file): every binary row checks that it is in no output item, error or run data, and run.mjs checks
 * the log lines and the printed lines (`tokenLeaks`). Tokens the node made but never sent (a refused
 * run) are caught by their shape: an unredacted `signed?token=` or a JWT.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { createRequire } from 'node:module';

import { fakeAkool } from './kit/fake.mjs';
import { transform } from './kit/params.mjs';
import { itemOfPrompt, recordsOf } from './kit/records.mjs';
import { findKey, leaksByCategory, secretStats } from './kit/secrets.mjs';

const require = createRequire(import.meta.url);
const binaryData = require('../harness/binaryData.js');

/** @typedef {import('./kit/types.mjs').Row} Row @typedef {import('./kit/types.mjs').Observation} Observation */
/** @typedef {import('../harness/engine.js').TestFile} TestFile */

export const SIGNED_PATH = '/rest/binary-data/signed?token=';
/** A signed URL whose token is still in (the node's output shows `token=redacted`). */
const UNREDACTED = /signed\?(?:[^#\s"']*&)?token=(?!redacted)/;
/** n8n's tokens are JWTs: header.payload.signature, each base64url of JSON starting `{"`. */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/;

// ---------- the mode, and the n8n that serves signed URLs ----------

/** @type {'memory' | 'filesystem'} */
let mode = 'memory';
/** @type {Awaited<ReturnType<typeof binaryData.startSignedUrlServer>> | undefined} */
let server;

/** Switches the process to n8n's filesystem mode (for good) and starts the n8n of the filesystem rows. */
export async function useFilesystemMode() {
	await binaryData.useFilesystemMode();
	server = await binaryData.startSignedUrlServer();
	mode = 'filesystem';
}

/** Stops the n8n of the filesystem rows. */
export async function closeN8n() {
	await server?.close();
	server = undefined;
}

/** The n8n that serves the signed URLs (GET /rest/binary-data/signed), for every filesystem row. */
export function n8n() {
	if (!server) throw new Error('the binary rows need filesystem mode: run them through run.mjs (its last phase)');
	return server;
}

/** @param {'memory' | 'filesystem'} wanted */
function assertMode(wanted) {
	if (mode !== wanted) throw new Error(`this row needs n8n's ${wanted} binary data mode, the process is in ${mode} mode`);
}

/** A loopback origin nothing listens on: a port just freed on 127.0.0.3, where no server of the matrix listens. */
export async function closedOrigin() {
	for (const host of ['127.0.0.3', '127.0.0.1']) {
		const port = await new Promise((resolve) => {
			const probe = net.createServer();
			probe.once('error', () => resolve(0));
			probe.listen(0, host, () => {
				const { port: free } = /** @type {import('node:net').AddressInfo} */ (probe.address());
				probe.close(() => resolve(free));
			});
		});
		if (port) return `http://${host}:${port}`;
	}
	throw new Error('no loopback address to take a closed port from');
}

// ---------- files and parameters ----------

/** @param {Buffer} bytes @param {string} mimeType @param {string} fileName @param {boolean} [inline] @returns {TestFile} */
export function fileOf(bytes, mimeType, fileName, inline = false) {
	return { base64: bytes.toString('base64'), mimeType, fileName, inline };
}

/** @param {Buffer} bytes */
export const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** The fake's sample sources: a 640×480 PNG, a 64×48 JPEG, and text that says image/png. */
export const SAMPLES = /** @type {Record<'png' | 'jpeg' | 'mislabelled', { bytes: Buffer }>} */ (fakeAkool.SAMPLE_SOURCES);
/** A 1×1 GIF: an image Akool does not take. */
export const GIF = Buffer.from('474946383961010001008000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
/** A PNG (by its signature) of 20 MiB and 1 byte or more: over the node's bound. */
export const oversizedPng = () => Buffer.concat([fakeAkool.encodePng(64, 48, { seed: 5 }), Buffer.alloc(20 * 1024 * 1024)]);

/** Transform with Source Image "Binary Data". @param {Record<string, any>} [o] */
export function binaryTransform(o = {}) {
	const params = /** @type {Record<string, any>} */ (transform({ sourceImage: 'binaryData', sourceBinaryProperty: 'data', ...o }));
	delete params.sourceImageUrl;
	return params;
}

// ---------- rows ----------

/**
 * A binary row: group 'binary', filesystem mode and the matrix's n8n unless it says otherwise, a
 * setup that checks the mode, and the secrecy checks before its own.
 * @param {Omit<Row, 'group'> & { group?: string }} row @returns {Row}
 */
export function binaryRow(row) {
	const wanted = row.binaryMode ?? 'filesystem';
	return {
		group: 'binary',
		binaryMode: wanted,
		...(wanted === 'filesystem' ? { instanceBaseUrl: () => n8n().baseUrl } : {}),
		...row,
		setup: async (env) => {
			assertMode(wanted);
			return (await row.setup?.(env)) ?? {};
		},
		check: (o) => [...checkSecrecy(o), ...(row.check?.(o) ?? [])],
	};
}

/** The signed URL each create gave Akool, by the create's input item. @param {Observation} o */
function sourcesByItem(o) {
	return recordsOf(o, 'create').map((rec) => ({ item: itemOfPrompt(rec.body?.prompt), url: String(rec.body?.source_images?.[0] ?? '') }));
}

/** @param {string} url */
const tokenOf = (url) => {
	try {
		return new URL(url).searchParams.get('token') ?? undefined;
	} catch {
		return undefined;
	}
};

/** Every token the node handed to Akool in this run (all rows): the summary row's canary is that there are some. */
export const signedTokens = /** @type {Set<string>} */ (new Set());
/** Where a token (or an unredacted signed URL) showed, by row, over the whole run. */
const tokenLeakList = /** @type {string[]} */ ([]);

/**
 * The secrets of a binary row: the signed URL's token (the ones sent, and any unredacted signed URL
 * or JWT) in no output item, error or run data; no API key or credential header on what Akool (the
 * fake) fetched from n8n, nor in n8n's records of those requests.
 * @param {Observation} o @returns {string[]}
 */
function checkSecrecy(o) {
	const tokens = [...new Set(sourcesByItem(o).map(({ url }) => tokenOf(url)).filter((token) => token !== undefined))];
	for (const token of tokens) signedTokens.add(token);
	/** @type {string[]} */
	const found = [];
	const places = /** @type {Array<[string, unknown]>} */ ([
		['output', o.output.map(({ json, binary }) => ({ json, binary: Object.fromEntries(Object.entries(binary ?? {}).map(([name, { data, ...meta }]) => [name, meta])) }))],
		['execution error', o.error],
		['node task error', o.taskError],
		['run data', o.run],
	]);
	for (const [where, value] of places) {
		for (const secret of [...tokens, UNREDACTED, JWT]) findKey(value, where, found, undefined, 0, secret);
	}
	const leaks = [...new Set(found)].map((place) => `the signed URL's token is in the ${place}`);
	tokenLeakList.push(...leaks.map((leak) => `${o.row.id}: ${leak}`));

	/** @type {string[]} */
	const keyLeaks = [];
	const fetches = o.fake.sourceFetches.filter((/** @type {any} */ f) => o.jobs.some((job) => job.id === f.jobId));
	for (const fetch of fetches) {
		findKey({ url: fetch.url, headers: fetch.requestHeaders }, `Akool's fetch of ${fetch.jobId}'s source`, keyLeaks);
		if (fetch.requestHeaders?.['x-api-key'] !== undefined || fetch.requestHeaders?.authorization !== undefined) {
			keyLeaks.push(`Akool's fetch of ${fetch.jobId}'s source carries a credential header`);
		}
	}
	const served = server && o.row.binaryMode === 'filesystem' ? server.requests.filter((rec) => tokens.some((token) => rec.url.includes(token))) : [];
	secretStats.otherHostRequests += served.length;
	for (const rec of served) {
		findKey(rec, `n8n GET ${SIGNED_PATH}…`, keyLeaks);
		if (rec.headers['x-api-key'] !== undefined || rec.headers.authorization !== undefined) keyLeaks.push(`n8n GET ${SIGNED_PATH}… carries a credential header`);
	}
	leaksByCategory.requests.push(...keyLeaks.map((leak) => `${o.row.id}: ${leak}`));
	return [...leaks, ...keyLeaks.map((leak) => `the API key leaked: ${leak}`)];
}

/**
 * Where a token showed over the whole run: the rows' finds and n8n's log lines.
 * @param {string[]} logLines
 */
export function tokenLeaks(logLines) {
	const leaks = [...tokenLeakList];
	for (const line of logLines) {
		if ([...signedTokens].some((token) => line.includes(token)) || UNREDACTED.test(line) || JWT.test(line)) {
			leaks.push(`a log line: ${line.slice(0, 80).replace(JWT, '[TOKEN]')}…`);
		}
	}
	return leaks;
}

/**
 * A binary source served: each create gave Akool n8n's signed URL (on the matrix's n8n), the fake
 * fetched it once per job (HTTP 200) and got exactly the item's file (SHA-256), n8n got as many
 * requests for it, and the output items show the URL with its token redacted.
 * @param {Observation} o @returns {string[]}
 */
export function checkServed(o) {
	/** @type {string[]} */
	const failures = [];
	const property = String(o.params.sourceBinaryProperty ?? 'data');
	const prefix = `${n8n().baseUrl}${SIGNED_PATH}`;
	const sources = sourcesByItem(o);
	if (sources.length === 0) failures.push('no create gave Akool a source');
	for (const { item, url } of sources) {
		const file = item === undefined ? undefined : o.files[item]?.[property];
		if (!file) {
			failures.push(`item ${item} sent a create though it has no file "${property}"`);
			continue;
		}
		if (!url.startsWith(prefix)) {
			failures.push(`item ${item}: Akool got the source ${url.replace(/token=.*/, 'token=…')}, not a signed URL on ${n8n().baseUrl}`);
			continue;
		}
		const want = sha256(Buffer.from(file.base64, 'base64'));
		const jobs = o.jobs.filter((job) => job.sourceImages?.[0] === url);
		if (jobs.length === 0) failures.push(`item ${item}: no job was made from its signed URL`);
		for (const job of jobs) {
			const fetched = o.fake.sourceFetches.filter((/** @type {any} */ f) => f.jobId === job.id);
			if (fetched.length !== 1 || fetched[0].state !== 'ok' || fetched[0].httpStatus !== 200) {
				failures.push(`job ${job.id} (item ${item}): ${fetched.length} fetch(es) of its source, ${fetched.map((/** @type {any} */ f) => f.error ?? f.state).join(', ')}`);
			} else if (fetched[0].sha256 !== want) {
				failures.push(`job ${job.id} (item ${item}): the fake got ${fetched[0].bytes} bytes that are not the item's file`);
			}
		}
		// n8n's records count the requests; their status can stay 0 when the fetch hung up as the last
		// byte came (before the server's 'finish'), so the answer's status is the fake's (200 above).
		const token = tokenOf(url) ?? '';
		const served = n8n().requests.filter((rec) => rec.url.includes(token));
		if (served.length !== jobs.length) failures.push(`item ${item}: n8n got ${served.length} request(s) for its signed URL, for ${jobs.length} job(s)`);
		for (const out of o.output.filter((entry) => entry.pairedItem?.item === item && entry.json?.jobId)) {
			const shown = out.json.akool?.source_image;
			if (shown !== `${prefix}redacted`) failures.push(`item ${item}: the output shows the source as ${String(shown).replace(/token=.*/, 'token=…')}`);
		}
	}
	return failures;
}

/**
 * Akool could not fetch the source from n8n (`origin`): each job failed (status 4) after a fetch that
 * got no answer, and the error(s) name the job and the origin (never the URL's token).
 * @param {Observation} o @param {string} origin @returns {string[]}
 */
export function checkUnreachable(o, origin) {
	/** @type {string[]} */
	const failures = [];
	for (const job of o.jobs) {
		if (job.status !== 4) failures.push(`job ${job.id} is in status ${job.status}, not failed (4)`);
		const fetched = o.fake.sourceFetches.filter((/** @type {any} */ f) => f.jobId === job.id);
		if (fetched.length !== 1 || fetched[0].httpStatus !== null || !/^unreachable:/.test(fetched[0].error ?? '')) {
			failures.push(`job ${job.id}: expected one fetch that got no answer, got ${JSON.stringify(fetched.map((/** @type {any} */ f) => f.error))}`);
		} else if (!fetched[0].url.startsWith(`${origin}${SIGNED_PATH}`)) {
			failures.push(`job ${job.id}: the fake fetched from ${new URL(fetched[0].url).origin}, not ${origin}`);
		}
	}
	const errors = o.row.cof ? o.output.filter((item) => typeof item.json?.error === 'string').map((item) => item.json) : [o.error];
	for (const error of errors) {
		const text = `${error?.message ?? error?.error} ${error?.description ?? ''}`;
		if (!text.includes(`This n8n served it at ${origin}`)) failures.push(`the error does not name n8n's origin ${origin}: ${text.slice(0, 200)}`);
	}
	return failures;
}
