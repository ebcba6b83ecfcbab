// @ts-check
'use strict';

const { replacesAnswer, answerFault } = require('./faults');
const { routeApi, apiKind } = require('./api');
const { routeCdn, cdnKind } = require('./cdn');
const { serveSample, isSamplePath } = require('./samples');
const { readBody, parseBody, flatHeaders, queryObject } = require('./http');

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 * @typedef {import('./faults').FaultPlans} FaultPlans
 * @typedef {import('./api').State} State
 * @typedef {(method: string, url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void>} AdminRoutes
 */

/**
 * What happens to each request one fake's two servers get: the control routes and the samples
 * aside, it is counted in flight, recorded, held for `latencyMs` (`cdnLatencyMs` on the CDN), given
 * its planned fault, then routed to the API or the CDN. Its timers (latency, held answers, hung faults) are real time, cleared by clearTimers().
 */
class RequestHandler {
	/** @type {State} */
	#state;
	/** @type {FaultPlans} */
	#faults;
	/** @type {RecordedRequest[]} */
	#requests;
	/** @type {AdminRoutes} */
	#admin;
	/** @type {import('./in-flight').InFlight} */
	#inFlight;
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();

	/**
	 * @param {State} state the fake's state (its `options` change with setOptions)
	 * @param {FaultPlans} faults
	 * @param {RecordedRequest[]} requests the fake's record, appended to in arrival order
	 * @param {AdminRoutes} admin the control routes (`/__…` on the API port, when `options.admin`)
	 * @param {import('./in-flight').InFlight} inFlight counts the requests being answered
	 */
	constructor(state, faults, requests, admin, inFlight) {
		this.#state = state;
		this.#faults = faults;
		this.#requests = requests;
		this.#admin = admin;
		this.#inFlight = inFlight;
	}

	/**
	 * Record, apply a planned fault, then route. Every request is recorded before anything can fail.
	 * @param {'api' | 'cdn'} host @param {IncomingMessage} req @param {ServerResponse} res
	 */
	async handle(host, req, res) {
		try {
			const url = new URL(req.url ?? '/', 'http://fake.invalid');
			const method = req.method ?? 'GET';
			if (host === 'api' && this.#state.options.admin && url.pathname.startsWith('/__')) {
				return await this.#admin(method, url, req, res);
			}
			// A static file host beside the API, for source images: not Akool, so not recorded.
			if (host === 'api' && isSamplePath(url.pathname)) return serveSample(req, res, url.pathname);
			this.#inFlight.enter(host, res);
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
			this.#requests.push(rec);
			res.once('close', () => {
				rec.doneAt = this.#state.options.now();
			});
			const { latencyMs, cdnLatencyMs } = this.#state.options;
			const latency = host === 'api' ? latencyMs : cdnLatencyMs;
			if (latency > 0) await this.#delay(latency);
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
	 * @param {ServerResponse} res @param {number} ms
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

	/** @param {number} ms real milliseconds; the timer is cleared by clearTimers() */
	#delay(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve(undefined);
			}, ms);
			this.#timers.add(timer);
		});
	}

	/** Cancel what waits on a timer (the fake closes). */
	clearTimers() {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
	}
}

module.exports = { RequestHandler };
