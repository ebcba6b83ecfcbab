// @ts-check
'use strict';

const http = require('node:http');
const { resolveOptions } = require('./options');
const { JobStore } = require('./jobs');
const { FaultPlans } = require('./faults');
const { computeStats } = require('./recorder');
const { RequestWindow } = require('./api');
const { CallbackSender } = require('./callbacks');
const { SourceFetcher } = require('./source-fetcher');
const { SAMPLE_SOURCES, sampleSourceUrl } = require('./samples');
const { listenOnLoopback } = require('./http');
const { RequestHandler } = require('./requests');
const { routeAdmin } = require('./admin');
const { InFlight } = require('./in-flight');

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
	#inFlight = new InFlight();
	/** @type {Set<import('node:net').Socket>} */
	#sockets = new Set();
	/** @type {CallbackSender} */
	#callbacks;
	/** @type {SourceFetcher} */
	#sources;
	/** @type {RequestHandler} */
	#handler;
	#api = http.createServer((req, res) => this.#handler.handle('api', req, res));
	#cdn = http.createServer((req, res) => this.#handler.handle('cdn', req, res));

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
		this.#handler = new RequestHandler(
			this.#state,
			this.#faults,
			this.requests,
			(method, url, req, res) => routeAdmin(this, method, url, req, res),
			this.#inFlight,
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
		this.baseUrl = `http://127.0.0.1:${await listenOnLoopback(this.#api, port)}`;
		this.cdnBaseUrl = `http://${cdnHost}:${await listenOnLoopback(this.#cdn, cdnPort)}`;
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
	 * The requests being handled now and the most at the same moment (since the start or the last
	 * reset), in all and per host: what a client keeps in flight, as the fake sees it.
	 * @returns {import('./in-flight').InFlightCounts}
	 */
	inFlight() {
		return this.#inFlight.counts();
	}

	/**
	 * The webhook callbacks sent (option `callbacks`), each with its attempts and the answers.
	 * @returns {readonly CallbackDelivery[]}
	 */
	get callbacks() {
		return this.#callbacks.deliveries;
	}

	/**
	 * Test-only: a delivered callback's very body POSTed again (Akool's retry, a replay). See CallbackSender.resend.
	 * @param {{ jobId: string, status: number, copies?: number }} which
	 */
	resendCallback(which) {
		return this.#callbacks.resend(which);
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
	 * Forget jobs, records, faults and counters (source downloads under way are aborted; the peaks in
	 * flight start again from the requests still open); the balance returns to `options.credits`.
	 */
	reset() {
		const { store, options } = this.#state;
		store.jobs.clear();
		store.reseed(options.seed);
		this.requests.length = 0;
		this.#faults.clear();
		this.#state.window.clear();
		this.#inFlight.resetPeaks();
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
		this.#handler.clearTimers();
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
}

module.exports = { FakeAkool };
