// @ts-check
'use strict';

/**
 * Akool's webhook callbacks, played by the fake: for each job created with a `webhookurl` (create
 * body) or `webhookUrl` (button), a signed, encrypted POST when it starts processing (status 2) and
 * one when it ends (3 with its URL, or 4), each retried on any answer but HTTP 200.
 *
 * The encrypt-and-sign side is written here from Akool's description (../shared/akool-api.md,
 * "Webhook callbacks"), independently of the node's code, so that tests round-trip through two
 * implementations:
 * - `dataEncrypt`: base64 of AES-CBC with PKCS#7 padding of the JSON `{ _id, status, type, url }`;
 *   key = the API key's UTF-8 bytes (16, 24 or 32: AES-128/192/256); IV = the Client ID's UTF-8
 *   bytes, cut to 16 or padded with spaces (0x20) up to 16;
 * - `signature`: lowercase hex SHA-1 of clientId, String(timestamp), nonce and dataEncrypt, sorted
 *   lexically and joined with no separator.
 */
const crypto = require('node:crypto');
const http = require('node:http');

/**
 * The callback settings (option `callbacks`; off when absent).
 * @typedef {object} CallbackOptions
 * @property {string} clientId the Client ID: part of the signature, and the IV
 * @property {number} [retryMs] wait before retrying a delivery that did not get HTTP 200, scaled by `timeScale` (default 2000)
 * @property {number} [maxAttempts] attempts per delivery, the first included (default 6)
 * @property {boolean} [processing] also send the status 2 callback when a job starts processing (default true)
 * @property {number | null} [processingDelayMs] send the status 2 callback this long after the job's creation (scaled by `timeScale`) instead of when it starts processing, e.g. 0 to reach n8n before the execution is saved as waiting (default null)
 * @property {number} [holdAnswerMs] hold each create/button answer this many real ms after the jobs are created, so that (with processingDelayMs 0) their callbacks reach the client while it still waits for the job IDs (default 0)
 * @property {number} [requestTimeoutMs] real ms an attempt may take before it counts as failed (default 60000)
 */

/**
 * @typedef {object} ResolvedCallbackOptions
 * @property {string} clientId
 * @property {number} retryMs
 * @property {number} maxAttempts
 * @property {boolean} processing
 * @property {number | null} processingDelayMs
 * @property {number} holdAnswerMs
 * @property {number} requestTimeoutMs
 */

/**
 * What a callback says, before encryption.
 * @typedef {object} CallbackData
 * @property {string} _id
 * @property {number} status
 * @property {string} [type]
 * @property {string} [url]
 */

/**
 * The JSON body Akool POSTs.
 * @typedef {object} CallbackBody
 * @property {string} signature
 * @property {string} dataEncrypt
 * @property {number | string} timestamp
 * @property {string} nonce
 */

/**
 * One try of one delivery.
 * @typedef {object} CallbackAttempt
 * @property {number} at real ms (Date.now) when it was sent
 * @property {number | null} doneAt real ms when the answer ended (or the request failed)
 * @property {number | null} httpStatus what the receiver answered; null when there was no answer
 * @property {string} response the answer's body, cut to 500 characters
 * @property {string | null} error the network error, when there was no answer
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

const CALLBACK_DEFAULTS = Object.freeze({
	retryMs: 2000,
	maxAttempts: 6,
	processing: true,
	processingDelayMs: null,
	holdAnswerMs: 0,
	requestTimeoutMs: 60_000,
});

/** @param {string} apiKey @returns {string | undefined} */
function cipherFor(apiKey) {
	const bits = /** @type {Record<number, number>} */ ({ 16: 128, 24: 192, 32: 256 })[
		Buffer.byteLength(apiKey, 'utf8')
	];
	return bits ? `aes-${bits}-cbc` : undefined;
}

/** The IV: the Client ID's first 16 bytes, padded with spaces. @param {string} clientId */
function ivFor(clientId) {
	const iv = Buffer.alloc(16, 0x20);
	Buffer.from(clientId, 'utf8').copy(iv, 0, 0, 16);
	return iv;
}

/**
 * `dataEncrypt` for any plaintext (tests encrypt non-JSON too).
 * @param {string | Buffer} plaintext
 * @param {{ apiKey: string, clientId: string }} secrets
 */
function encryptText(plaintext, { apiKey, clientId }) {
	const cipher = cipherFor(apiKey);
	if (!cipher) throw new Error('fake-akool: callbacks need an API key of 16, 24 or 32 bytes');
	const c = crypto.createCipheriv(cipher, Buffer.from(apiKey, 'utf8'), ivFor(clientId));
	return Buffer.concat([c.update(plaintext), c.final()]).toString('base64');
}

/**
 * The inverse of encryptText (the fake's own tests use it).
 * @param {string} dataEncrypt @param {{ apiKey: string, clientId: string }} secrets
 */
function decryptText(dataEncrypt, { apiKey, clientId }) {
	const cipher = cipherFor(apiKey);
	if (!cipher) throw new Error('fake-akool: callbacks need an API key of 16, 24 or 32 bytes');
	const d = crypto.createDecipheriv(cipher, Buffer.from(apiKey, 'utf8'), ivFor(clientId));
	return Buffer.concat([d.update(Buffer.from(dataEncrypt, 'base64')), d.final()]).toString('utf8');
}

/**
 * Akool's signature. @param {string} clientId @param {number | string} timestamp
 * @param {string} nonce @param {string} dataEncrypt
 */
function signatureOf(clientId, timestamp, nonce, dataEncrypt) {
	const parts = [clientId, String(timestamp), nonce, dataEncrypt].sort();
	return crypto.createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

/**
 * A complete signed, encrypted callback body.
 * @param {CallbackData | string} data an object (sent as JSON) or raw plaintext
 * @param {{ apiKey: string, clientId: string }} secrets
 * @param {{ timestamp?: number | string, nonce?: string }} [at] default: now in ms, 8 random hex digits
 * @returns {CallbackBody}
 */
function callbackBody(data, secrets, { timestamp = Date.now(), nonce = crypto.randomBytes(4).toString('hex') } = {}) {
	const dataEncrypt = encryptText(typeof data === 'string' ? data : JSON.stringify(data), secrets);
	return { signature: signatureOf(secrets.clientId, timestamp, nonce, dataEncrypt), dataEncrypt, timestamp, nonce };
}

/** @param {unknown} value @param {string} name */
function nonNegative(value, name) {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		throw new Error(`fake-akool: callbacks.${name} must be a number >= 0`);
	return value;
}

/**
 * Checks the `callbacks` option; undefined, null or false turn callbacks off.
 * @param {unknown} value @param {string} apiKey
 * @returns {ResolvedCallbackOptions | null}
 */
function resolveCallbackOptions(value, apiKey) {
	if (value === undefined || value === null || value === false) return null;
	if (typeof value !== 'object' || Array.isArray(value))
		throw new Error('fake-akool: callbacks must be { clientId, retryMs?, maxAttempts?, processing? }');
	const given = /** @type {Record<string, unknown>} */ (value);
	for (const key of Object.keys(given)) {
		if (!['clientId', ...Object.keys(CALLBACK_DEFAULTS)].includes(key))
			throw new Error(`fake-akool: unknown callbacks option ${key}`);
	}
	/** @type {Record<string, unknown>} */
	const merged = { ...CALLBACK_DEFAULTS, ...given };
	if (typeof merged.clientId !== 'string' || merged.clientId === '')
		throw new Error('fake-akool: callbacks.clientId must be a non-empty string');
	if (!cipherFor(apiKey))
		throw new Error(
			`fake-akool: callbacks need an apiKey of 16, 24 or 32 bytes (AES key), got ${Buffer.byteLength(apiKey, 'utf8')}`,
		);
	const maxAttempts = nonNegative(merged.maxAttempts, 'maxAttempts');
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
		throw new Error('fake-akool: callbacks.maxAttempts must be an integer >= 1');
	if (typeof merged.processing !== 'boolean') throw new Error('fake-akool: callbacks.processing must be a boolean');
	return {
		clientId: merged.clientId,
		retryMs: nonNegative(merged.retryMs, 'retryMs'),
		maxAttempts,
		processing: merged.processing,
		processingDelayMs:
			merged.processingDelayMs === null ? null : nonNegative(merged.processingDelayMs, 'processingDelayMs'),
		holdAnswerMs: nonNegative(merged.holdAnswerMs, 'holdAnswerMs'),
		requestTimeoutMs: nonNegative(merged.requestTimeoutMs, 'requestTimeoutMs'),
	};
}

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
	/** @type {Set<http.ClientRequest>} */
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
		this.#post(delivery.url, delivery.body, settings.requestTimeoutMs).then(({ status, text, error }) => {
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
	 * POST JSON; never rejects.
	 * @param {string} url @param {CallbackBody} body @param {number} timeoutMs
	 * @returns {Promise<{ status: number | null, text: string, error: string | null }>}
	 */
	#post(url, body, timeoutMs) {
		return new Promise((resolve) => {
			let target;
			try {
				target = new URL(url);
			} catch {
				resolve({ status: null, text: '', error: 'invalid URL' });
				return;
			}
			if (target.protocol !== 'http:') {
				// The fake only ever calls loopback http servers (n8n under test, a test's receiver).
				resolve({ status: null, text: '', error: `fake-akool sends callbacks over http only, not ${target.protocol}` });
				return;
			}
			const payload = JSON.stringify(body);
			const req = http.request(
				target,
				{
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
					timeout: timeoutMs,
				},
				(res) => {
					/** @type {Buffer[]} */
					const parts = [];
					res.on('data', (part) => parts.push(part));
					res.on('end', () => {
						this.#inflight.delete(req);
						resolve({ status: res.statusCode ?? null, text: Buffer.concat(parts).toString('utf8'), error: null });
					});
					res.on('error', (error) => {
						this.#inflight.delete(req);
						resolve({ status: res.statusCode ?? null, text: '', error: String(error.message) });
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
			req.on('error', (error) => {
				this.#inflight.delete(req);
				resolve({ status: null, text: '', error: String(error.message) });
			});
			this.#inflight.add(req);
			req.end(payload);
		});
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
	CALLBACK_DEFAULTS,
	CallbackSender,
	resolveCallbackOptions,
	callbackBody,
	encryptText,
	decryptText,
	signatureOf,
	ivFor,
	cipherFor,
};
