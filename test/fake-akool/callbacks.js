// @ts-check
'use strict';

/**
 * Akool's webhook callbacks, played by the fake: for each job created with a `webhookurl` (create
 * body) or `webhookUrl` (button), a signed, encrypted POST when it starts processing (status 2) and
 * one when it ends (3 with its URL, or 4), each retried on any answer but HTTP 200.
 *
 * This file schedules and retries them; how a body is signed and encrypted is callback-signing.js
 * (re-exported here, for the tests that build their own bodies), the `callbacks` option is
 * callback-options.js, and the POST itself callback-post.js.
 */
const { callbackBody, encryptText, decryptText, signatureOf, ivFor, cipherFor } = require('./callback-signing');
const { postCallback } = require('./callback-post');
const { CALLBACK_DEFAULTS } = require('./callback-options');

/**
 * @typedef {import('./callback-signing').CallbackData} CallbackData
 * @typedef {import('./callback-signing').CallbackBody} CallbackBody
 * @typedef {import('./callback-options').ResolvedCallbackOptions} ResolvedCallbackOptions
 */

/**
 * One try of one delivery.
 * @typedef {object} CallbackAttempt
 * @property {number} at real ms (Date.now) when it was sent
 * @property {number | null} doneAt real ms when the answer ended (or the request failed)
 * @property {number | null} httpStatus what the receiver answered; null when there was no answer
 * @property {string} response the answer's body, cut to 500 characters
 * @property {string | null} error the network error, when there was no answer
 * @property {boolean} [resent] sent by `resend` (a test's replay), not by the retry schedule
 */

/**
 * One callback (one job, one status), with all its attempts.
 * @typedef {object} CallbackDelivery
 * @property {number} id 1-based, in scheduling order
 * @property {string} jobId
 * @property {number} status the job status it reports: 2, 3 or 4
 * @property {string} url where it is POSTed (the job's webhook URL)
 * @property {CallbackBody} body what is POSTed (the same on every attempt)
 * @property {number} dueAt real ms when the first attempt is due
 * @property {CallbackAttempt[]} attempts
 * @property {'scheduled' | 'sending' | 'retrying' | 'delivered' | 'gave up' | 'cancelled'} state
 */

/**
 * @typedef {object} CallbackStats
 * @property {number} deliveries callbacks scheduled
 * @property {number} attempts POSTs made
 * @property {number} delivered callbacks answered 200
 * @property {number} gaveUp callbacks that got no 200 in maxAttempts
 * @property {number} pending callbacks not yet delivered nor given up
 * @property {Record<string, number>} byHttpStatus answers to the attempts; 'error' when there was none
 * @property {number | null} firstFinalAt real ms when the first final (3/4) callback was first sent
 * @property {number | null} lastFinalDeliveredAt real ms when the last delivered final callback got its 200
 */

/**
 * Schedules and sends the callbacks of one fake. Timers use real time: a job's callback is due
 * `job.processingAt - now()` / `job.urlAt - now()` after its creation (the fake's clock); a job with a
 * source has its final callback planned when the download ends.
 */
class CallbackSender {
	/** @type {CallbackDelivery[]} every delivery, in scheduling order (cleared by clear()) */
	deliveries = [];
	#getOptions;
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();
	/** @type {Set<import('node:http').ClientRequest>} */
	#inflight = new Set();
	/** @type {Map<string, () => void>} job id → plans its final callback once its source is fetched */
	#afterSource = new Map();
	#closed = false;

	/**
	 * @param {() => { apiKey: string, timeScale: number, now: () => number, callbacks: ResolvedCallbackOptions | null }} getOptions
	 * @param {(jobId: string) => string} imageUrl the CDN URL a completed job reports
	 */
	constructor(getOptions, imageUrl) {
		this.#getOptions = getOptions;
		this.imageUrl = imageUrl;
	}

	/**
	 * Called for every job the fake creates: schedules its callbacks under the options in force. The
	 * final one waits for the job's source download when it has one (see sourceSettled).
	 * @param {import('./jobs').Job} job
	 */
	schedule(job) {
		const options = this.#getOptions();
		const settings = options.callbacks;
		if (!settings || !job.webhookUrl || this.#closed) return;
		const secrets = { apiKey: options.apiKey, clientId: settings.clientId };
		/** @param {number} status @param {number} at the fake's clock */
		const plan = (status, at) => {
			/** @type {CallbackData} */
			const data = { _id: job.id, status, type: 'image' };
			if (status === 3) data.url = this.imageUrl(job.id);
			const delay = Math.max(0, at - options.now());
			/** @type {CallbackDelivery} */
			const delivery = {
				id: this.deliveries.length + 1,
				jobId: job.id,
				status,
				url: job.webhookUrl,
				body: callbackBody(data, secrets),
				dueAt: Date.now() + delay,
				attempts: [],
				state: 'scheduled',
			};
			this.deliveries.push(delivery);
			this.#later(delay, () => this.#attempt(delivery, settings, options.timeScale));
		};
		if (settings.processing) {
			const at =
				settings.processingDelayMs === null
					? job.processingAt
					: job.createdAt + settings.processingDelayMs * options.timeScale;
			plan(2, at);
		}
		// The final callback carries the URL: it goes when the result would show it.
		const planFinal = () => {
			const final = job.finalState;
			if (final) plan(final.status, final.at);
		};
		if (job.awaitsSource) this.#afterSource.set(job.id, planFinal);
		else planFinal();
	}

	/**
	 * A job's source download ended: plan its final callback (4 at once when the download failed).
	 * @param {import('./jobs').Job} job
	 */
	sourceSettled(job) {
		const planFinal = this.#afterSource.get(job.id);
		this.#afterSource.delete(job.id);
		if (!this.#closed) planFinal?.();
	}

	/** @param {number} ms @param {() => void} fn */
	#later(ms, fn) {
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			fn();
		}, ms);
		this.#timers.add(timer);
	}

	/**
	 * @param {CallbackDelivery} delivery @param {ResolvedCallbackOptions} settings @param {number} timeScale
	 */
	#attempt(delivery, settings, timeScale) {
		if (this.#closed || delivery.state === 'cancelled') return;
		delivery.state = 'sending';
		/** @type {CallbackAttempt} */
		const attempt = { at: Date.now(), doneAt: null, httpStatus: null, response: '', error: null };
		delivery.attempts.push(attempt);
		postCallback(delivery.url, delivery.body, settings.requestTimeoutMs, this.#inflight).then(({ status, text, error }) => {
			attempt.doneAt = Date.now();
			attempt.httpStatus = status;
			attempt.response = text.slice(0, 500);
			attempt.error = error;
			if (delivery.state === 'cancelled') return;
			if (status === 200) {
				delivery.state = 'delivered';
			} else if (delivery.attempts.length >= settings.maxAttempts) {
				delivery.state = 'gave up';
			} else {
				delivery.state = 'retrying';
				this.#later(settings.retryMs * timeScale, () => this.#attempt(delivery, settings, timeScale));
			}
		});
	}

	/**
	 * Test-only: POSTs a callback's body again, `copies` times at once, as it comes when Akool retries
	 * a delivery whose 200 it did not get, or when someone replays a captured callback: the very same
	 * body (signature, timestamp, nonce). Each is recorded as an attempt marked `resent`; the delivery's
	 * state does not change.
	 * @param {{ jobId: string, status: number, copies?: number }} which
	 * @returns {Promise<CallbackAttempt[]>}
	 */
	async resend({ jobId, status, copies = 1 }) {
		const delivery = this.deliveries.find((d) => d.jobId === jobId && d.status === status);
		if (!delivery) throw new Error(`fake-akool: no callback of job ${jobId} with status ${status}`);
		if (!Number.isInteger(copies) || copies < 1) throw new Error('fake-akool: copies must be an integer >= 1');
		const timeoutMs = this.#getOptions().callbacks?.requestTimeoutMs ?? CALLBACK_DEFAULTS.requestTimeoutMs;
		const one = async () => {
			/** @type {CallbackAttempt} */
			const attempt = { at: Date.now(), doneAt: null, httpStatus: null, response: '', error: null, resent: true };
			delivery.attempts.push(attempt);
			const { status: httpStatus, text, error } = await postCallback(delivery.url, delivery.body, timeoutMs, this.#inflight);
			Object.assign(attempt, { doneAt: Date.now(), httpStatus, response: text.slice(0, 500), error });
			return attempt;
		};
		return await Promise.all(Array.from({ length: copies }, one));
	}

	/** @returns {CallbackStats} */
	stats() {
		/** @type {Record<string, number>} */
		const byHttpStatus = {};
		let attempts = 0;
		let firstFinalAt = null;
		let lastFinalDeliveredAt = null;
		for (const delivery of this.deliveries) {
			for (const attempt of delivery.attempts) {
				attempts += 1;
				const key = attempt.httpStatus === null ? 'error' : String(attempt.httpStatus);
				byHttpStatus[key] = (byHttpStatus[key] ?? 0) + 1;
			}
			if (delivery.status !== 2 && delivery.attempts.length > 0) {
				const first = delivery.attempts[0].at;
				firstFinalAt = firstFinalAt === null ? first : Math.min(firstFinalAt, first);
				const ok = delivery.attempts.find((attempt) => attempt.httpStatus === 200);
				if (ok?.doneAt) lastFinalDeliveredAt = Math.max(lastFinalDeliveredAt ?? 0, ok.doneAt);
			}
		}
		const count = (/** @type {CallbackDelivery['state'][]} */ ...states) =>
			this.deliveries.filter((delivery) => states.includes(delivery.state)).length;
		return {
			deliveries: this.deliveries.length,
			attempts,
			delivered: count('delivered'),
			gaveUp: count('gave up'),
			pending: count('scheduled', 'sending', 'retrying'),
			byHttpStatus,
			firstFinalAt,
			lastFinalDeliveredAt,
		};
	}

	/** Cancel what is scheduled or under way and forget every delivery. */
	clear() {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		for (const req of this.#inflight) req.destroy();
		this.#inflight.clear();
		this.#afterSource.clear();
		for (const delivery of this.deliveries) {
			if (delivery.state !== 'delivered' && delivery.state !== 'gave up') delivery.state = 'cancelled';
		}
		this.deliveries = [];
	}

	/** Stop for good (the fake closes). */
	close() {
		this.#closed = true;
		this.clear();
	}
}

module.exports = {
	CallbackSender,
	callbackBody,
	encryptText,
	decryptText,
	signatureOf,
	ivFor,
	cipherFor,
};
