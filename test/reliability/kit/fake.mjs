// @ts-check
/**
 * The fake Akool of a row: the run's one distinctive API key, the fake's start with the row's options,
 * the row's setup and fault plan, the recording server on another host some rows redirect to, the
 * jobs a setup makes through the fake's API, and the closing of it all.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
/** @type {any} */
export const fakeAkool = require('../../fake-akool/index.js');

/** @typedef {import('./types.mjs').Row} Row @typedef {import('./types.mjs').Env} Env @typedef {import('./types.mjs').Obj} Obj */
/** @typedef {import('./types.mjs').OtherHost} OtherHost */

/** The distinctive key of the whole run: it must never show up anywhere but in the API's x-api-key header. */
export const API_KEY = 'sk-RELIABILITY-31337-do-not-leak';
export const { imageSize, readPngSize, encodePng } = fakeAkool;
/** A Transform source: the row's own fake's sample PNG (runRow puts the fake's address in), downloaded for real. */
export const SAMPLE_SOURCE = `${fakeAkool.FAKE_URL}/samples/photo.png`;

/** A row's value as it stands, or as its function of the row's env makes it. @param {unknown} value @param {Env} env @returns {any} */
export const forEnv = (value, env) => (typeof value === 'function' ? value(env) : value);

/** Starts the row's fake (each row its own, so fault plans and records never mix) and its other host. @param {Row} row @returns {Promise<Env>} */
export async function startFakes(row) {
	const fake = await fakeAkool.startFakeAkool({ apiKey: API_KEY, durationMs: [150, 300], ...(row.fake ?? {}) });
	const other = row.otherHost ? await startOtherHost() : undefined;
	return { fake, other, state: {} };
}

/**
 * Runs the row's setup, then drops the setup's records and places the row's fault plan: what the row
 * observes afterwards is its own run only.
 * @param {Row} row @param {Env} env @returns {Promise<Set<string>>} the jobs the setup made
 */
export async function prepareFake(row, env) {
	const { fake } = env;
	if (row.setup) env.state = (await row.setup(env)) ?? {};
	const baselineJobs = new Set(/** @type {Iterable<string>} */ (fake.jobs.keys()));
	fake.requests.length = 0;
	const plan = forEnv(row.plan, env) ?? {};
	for (const [kind, faults] of Object.entries(plan)) fake.plan(kind, faults);
	return baselineJobs;
}

/** @param {Env} env */
export async function closeFakes(env) {
	await env.fake.close();
	await env.other?.close();
}

/**
 * Creates a finished job through the fake's API directly (for Get Result and Upscale or Vary rows).
 * @param {any} fake @param {Obj} [body]
 * @returns {Promise<string>} the job ID
 */
export async function finishedJob(fake, body = {}) {
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	/** @type {any} */
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
