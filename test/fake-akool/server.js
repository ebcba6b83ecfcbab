// @ts-check
'use strict';

const http = require('node:http');
const { resolveOptions } = require('./options');
const { JobStore } = require('./jobs');
const { FaultPlans, replacesAnswer, answerFault } = require('./faults');
const { computeStats } = require('./recorder');
const { routeApi, apiKind, RequestWindow } = require('./api');
const { routeCdn, cdnKind } = require('./cdn');
const { CallbackSender } = require('./callbacks');
const { SourceFetcher } = require('./source-fetcher');
const { SAMPLE_SOURCES, sampleSourceUrl, serveSample, isSamplePath } = require('./samples');
const { readBody, parseBody, flatHeaders, queryObject, sendJson } = require('./http');

/**
 * @typedef {import('./options').FakeAkoolOptions} FakeAkoolOptions
 * @typedef {import('./options').ResolvedOptions} ResolvedOptions
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 * @typedef {import('./recorder').RequestKind} RequestKind
 * @typedef {import('./recorder').FakeAkoolStats} FakeAkoolStats
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./faults').FaultKind} FaultKind
 * @typedef {import('./jobs').Job} Job
 * @typedef {import('./api').State} State
 * @typedef {import('./callbacks').CallbackDelivery} CallbackDelivery
 * @typedef {import('./source-fetcher').SourceFetch} SourceFetch
 * @typedef {import('./samples').SampleKind} SampleKind
 * @typedef {import('./samples').SampleSource} SampleSource
 */

// Options that name sockets or the clock: they are fixed once the servers listen.
const START_ONLY = ['port', 'cdnPort', 'cdnHost', 'admin', 'now'];

/** @param {http.Server} server @param {number} port @returns {Promise<number>} */
function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		// Loopback only: the fake must never be reachable from elsewhere.
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
		});
	});
}

/** A running fake Akool: an API server and a CDN server, both on 127.0.0.1. */
class FakeAkool {
	/** API base URL, `http://127.0.0.1:<port>` (put it in the credential's base URL) */
	baseUrl = '';
	/** CDN base URL, `http://localhost:<port>`: another host name than the API */
	cdnBaseUrl = '';
	/** @type {RecordedRequest[]} every request, in arrival order (cleared in place by reset()) */
	requests = [];
	/** @type {State} */
	#state;
	#faults = new FaultPlans();
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();
	/** @type {Set<import('node:net').Socket>} */
	#sockets = new Set();
	/** @type {CallbackSender} */
	#callbacks;
	/** @type {SourceFetcher} */
	#sources;
	#api = http.createServer((req, res) => this.#onRequest('api', req, res));
	#cdn = http.createServer((req, res) => this.#onRequest('cdn', req, res));

	/** @param {FakeAkoolOptions} [options] */
	constructor(options = {}) {
		const resolved = resolveOptions(options);
		this.#state = {
			options: resolved,
			store: new JobStore(resolved.now, resolved.seed),
			credits: resolved.credits,
			window: new RequestWindow(),
			cdnBaseUrl: '',
			onJobCreated: (job) => this.#onJobCreated(job),
		};
		this.#callbacks = new CallbackSender(
			() => this.#state.options,
			(id) => this.imageUrl(id),
		);
		this.#sources = new SourceFetcher(
			() => this.#state.options,
			(job) => this.#callbacks.sourceSettled(job),
		);
		for (const server of [this.#api, this.#cdn]) {
			server.on('connection', (socket) => {
				this.#sockets.add(socket);
				socket.on('close', () => this.#sockets.delete(socket));
			});
		}
	}

	/** Start both servers. Called by startFakeAkool. */
	async listen() {
		const { port, cdnPort, cdnHost } = this.#state.options;
		this.baseUrl = `http://127.0.0.1:${await listen(this.#api, port)}`;
		this.cdnBaseUrl = `http://${cdnHost}:${await listen(this.#cdn, cdnPort)}`;
		this.#state.cdnBaseUrl = this.cdnBaseUrl;
		return this;
	}

	/** @returns {Readonly<ResolvedOptions>} the options in force */
	get options() {
		return this.#state.options;
	}

	/** The jobs by `_id`; each Job computes its `status` from the clock. */
	get jobs() {
		return this.#state.store.jobs;
	}

	/** The credit balance now. */
	get credits() {
		return this.#state.credits;
	}

	/** The CDN URL of a job's image (what the result call reports once it is ready). @param {string} id */
	imageUrl(id) {
		return `${this.cdnBaseUrl}/images/${id}.png`;
	}

	/**
	 * The URL of a sample source this fake serves (no auth, not recorded): a real image to give as
	 * `source_images` / Source Image URL, or a text to see a source fail.
	 * @param {SampleKind} [kind] 'png' (640×480, the default), 'jpeg' (64×48), 'text', 'mislabelled' (text sent as image/png)
	 */
	sampleSourceUrl(kind = 'png') {
		return sampleSourceUrl(this.baseUrl, kind);
	}

	/**
	 * A sample source with its URL, bytes and SHA-256, to compare with what the fake fetched.
	 * @param {SampleKind} [kind] @returns {SampleSource & { url: string }}
	 */
	sampleSource(kind = 'png') {
		return { ...SAMPLE_SOURCES[kind], url: this.sampleSourceUrl(kind) };
	}

	/** How many requests of `kind` were recorded (all kinds when omitted). @param {RequestKind} [kind] */
	count(kind) {
		return kind === undefined
			? this.requests.length
			: this.requests.filter((r) => r.kind === kind).length;
	}

	/**
	 * The webhook callbacks sent (option `callbacks`), each with its attempts and the answers.
	 * @returns {readonly CallbackDelivery[]}
	 */
	get callbacks() {
		return this.#callbacks.deliveries;
	}

	/**
	 * The downloads of the jobs' sources (Akool fetches `source_images[0]` when a job starts
	 * processing; so does the fake): URL, answer, bytes, SHA-256, image type, headers both ways.
	 * @returns {readonly SourceFetch[]}
	 */
	get sourceFetches() {
		return this.#sources.fetches;
	}

	/**
	 * @returns {FakeAkoolStats & { sourceFetches: import('./source-fetcher').SourceFetchStats, callbacks?: import('./callbacks').CallbackStats }}
	 *   `callbacks` when they are on or were sent
	 */
	stats() {
		const stats = {
			...computeStats(this.requests, this.jobs.values(), this.#state.credits),
			sourceFetches: this.#sources.stats(),
		};
		return this.#callbacks.deliveries.length > 0 || this.#state.options.callbacks
			? { ...stats, callbacks: this.#callbacks.stats() }
			: stats;
	}

	/**
	 * Forget jobs, records, faults and counters (source downloads under way are aborted); the balance
	 * returns to `options.credits`.
	 */
	reset() {
		const { store, options } = this.#state;
		store.jobs.clear();
		store.reseed(options.seed);
		this.requests.length = 0;
		this.#faults.clear();
		this.#state.window.clear();
		this.#state.credits = options.credits;
		this.#callbacks.clear();
		this.#sources.clear();
	}

	/**
	 * Change options live. New jobs use the new timing; existing jobs keep theirs. `credits` sets the
	 * balance, `seed` restarts the duration sequence.
	 * @param {Omit<FakeAkoolOptions, 'port' | 'cdnPort' | 'cdnHost' | 'admin' | 'now'>} partial
	 */
	setOptions(partial) {
		const fixed = Object.keys(partial).filter((key) => START_ONLY.includes(key));
		if (fixed.length > 0)
			throw new Error(`fake-akool: ${fixed.join(', ')} can only be set at start`);
		this.#state.options = resolveOptions(partial, this.#state.options);
		if (partial.credits !== undefined) this.#state.credits = partial.credits;
		if (partial.seed !== undefined) this.#state.store.reseed(partial.seed);
	}

	/**
	 * Plan faults for the next requests of one kind (replaces that kind's plan; [] removes it).
	 * See the Fault type for the fields.
	 * @param {FaultKind} kind
	 * @param {Fault[]} faults
	 */
	plan(kind, faults) {
		this.#faults.set(kind, faults);
	}

	/** Close both servers, ending open and hung connections (and source downloads) so test runners can exit. */
	async close() {
		this.#callbacks.close();
		await this.#sources.close();
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		const closed = [this.#api, this.#cdn].map(
			(server) =>
				new Promise((resolve) =>
					server.listening ? server.close(() => resolve(undefined)) : resolve(undefined),
				),
		);
		for (const socket of this.#sockets) socket.destroy();
		await Promise.all(closed);
	}

	/**
	 * Schedules the signed status 2/3/4 callbacks to `job.webhookUrl` when `options.callbacks` is on,
	 * and the download of the job's source (the final callback waits for it).
	 * @param {Job} job
	 */
	#onJobCreated(job) {
		this.#callbacks.schedule(job);
		this.#sources.schedule(job);
	}

	/**
	 * Record, apply a planned fault, then route. Every request is recorded before anything can fail.
	 * @param {'api' | 'cdn'} host @param {http.IncomingMessage} req @param {http.ServerResponse} res
	 */
	async #onRequest(host, req, res) {
		try {
			const url = new URL(req.url ?? '/', 'http://fake.invalid');
			const method = req.method ?? 'GET';
			if (host === 'api' && this.#state.options.admin && url.pathname.startsWith('/__')) {
				return await this.#onAdmin(method, url, req, res);
			}
			// A static file host beside the API, for source images: not Akool, so not recorded.
			if (host === 'api' && isSamplePath(url.pathname)) return serveSample(req, res, url.pathname);
			const text = await readBody(req);
			const kind = host === 'api' ? apiKind(method, url.pathname) : cdnKind(method, url.pathname);
			/** @type {RecordedRequest} */
			const rec = {
				kind,
				method,
				path: url.pathname,
				query: queryObject(url),
				headers: flatHeaders(req.headers),
				body: parseBody(text),
				host,
				at: this.#state.options.now(),
				doneAt: null,
				fault: null,
				status: null,
				code: null,
				bytes: 0,
			};
			this.requests.push(rec);
			res.once('close', () => {
				rec.doneAt = this.#state.options.now();
			});
			if (host === 'api' && this.#state.options.latencyMs > 0) await this.#delay(this.#state.options.latencyMs);
			const fault = kind === 'other' ? null : this.#faults.take(kind);
			rec.fault = fault;
			for (const [name, value] of Object.entries(fault?.headers ?? {})) res.setHeader(name, value);
			if (fault && replacesAnswer(fault)) return answerFault(res, rec, fault, this.#timers);
			const isJson = /\bjson\b/i.test(req.headers['content-type'] ?? '');
			const hold = this.#state.options.callbacks?.holdAnswerMs ?? 0;
			if (hold > 0 && (kind === 'create' || kind === 'button')) this.#holdAnswer(res, hold);
			const ctx = { req, res, url, rec, fault, json: isJson ? rec.body : undefined };
			return host === 'api' ? routeApi(ctx, this.#state) : routeCdn(ctx, this.#state);
		} catch (error) {
			// A bug in the fake must show up as a failed request, not as a hung test.
			if (res.headersSent) return res.destroy();
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 500,
					msg: `fake-akool internal error: ${String(error)}`,
					data: null,
				}),
			);
		}
	}

	/**
	 * Sends the answer `ms` real milliseconds after the handler wrote it: the jobs exist (and their
	 * callbacks go) while the client still waits for their IDs (option callbacks.holdAnswerMs).
	 * @param {http.ServerResponse} res @param {number} ms
	 */
	#holdAnswer(res, ms) {
		const end = res.end.bind(res);
		res.end = /** @type {any} */ (
			(/** @type {any[]} */ ...args) => {
				void this.#delay(ms).then(() => end(...args));
				return res;
			}
		);
	}

	/** @param {number} ms real milliseconds; the timer is cleared by close() */
	#delay(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve(undefined);
			}, ms);
			this.#timers.add(timer);
		});
	}

	/**
	 * Control routes for other processes (CLI, e2e, benchmarks): not recorded, not authenticated.
	 * @param {string} method @param {URL} url @param {http.IncomingMessage} req @param {http.ServerResponse} res
	 */
	async #onAdmin(method, url, req, res) {
		/** @param {number} status @param {unknown} payload */
		const send = (status, payload) => {
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(payload));
		};
		const body = parseBody(await readBody(req)) ?? {};
		const route = `${method} ${url.pathname}`;
		try {
			if (route === 'GET /__stats') return send(200, this.stats());
			if (route === 'GET /__requests') {
				const kind = url.searchParams.get('kind');
				return send(200, kind ? this.requests.filter((r) => r.kind === kind) : this.requests);
			}
			if (route === 'GET /__jobs') return send(200, [...this.jobs.values()]);
			if (route === 'GET /__callbacks') return send(200, this.callbacks);
			if (route === 'GET /__source-fetches') return send(200, this.sourceFetches);
			if (route === 'POST /__reset') return send(200, (this.reset(), { ok: true }));
			if (route === 'POST /__plan')
				return send(200, (this.plan(body.kind, body.faults ?? []), { ok: true }));
			if (route === 'POST /__options') return send(200, (this.setOptions(body), { ok: true }));
			return send(404, { error: `no admin route ${route}` });
		} catch (error) {
			return send(400, { error: String(error instanceof Error ? error.message : error) });
		}
	}
}

module.exports = { FakeAkool };
