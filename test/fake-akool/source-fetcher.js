// @ts-check
'use strict';

/**
 * Akool downloads `source_images[0]` itself; so does the fake. When a job created with a source
 * starts processing (status 1 → 2, the end of its queueing tenth), the fake GETs the source
 * (source-fetch.js) and judges the answer: no answer, a non-2xx status or bytes that are not a PNG,
 * JPEG or WebP fail the job (status 4) at once; until the download succeeded the job cannot
 * complete. Every download is recorded (`fake.sourceFetches`, `GET /__source-fetches`).
 */
const crypto = require('node:crypto');
const { getSource, imageTypeOf } = require('./source-fetch');
const { statusText } = require('./http');
const { imageSizeOf } = require('./image-size');
const { MODEL_MEITU } = require('./constants');
const { meituSourceRejection } = require('./meitu');

/**
 * One download of a job's source.
 * @typedef {object} SourceFetch
 * @property {number} id 1-based, in start order
 * @property {string} jobId
 * @property {string} url the job's `source_images[0]`
 * @property {number} at when the download started (the fake's clock)
 * @property {number | null} doneAt when it ended (the fake's clock); null while under way
 * @property {'fetching' | 'ok' | 'failed'} state
 * @property {number | null} httpStatus of the (last) answer; null when none came
 * @property {string | null} error why the job failed: 'unreachable: …', 'HTTP <status> …',
 *   'not an image: …', 'too large: …', 'too many redirects: …', 'aborted: …' or (Meitu jobs: a WebP,
 *   no size in the header, a side over 15000 px) 'unsupported source: …'; null when ok
 * @property {number} bytes body bytes received
 * @property {string | null} sha256 hex SHA-256 of the body received; null when no answer came
 * @property {import('./source-fetch').ImageType | null} imageType by the body's magic bytes
 * @property {number | null} width from the PNG or JPEG header; null for WebP, no image or a broken header
 * @property {number | null} height
 * @property {Record<string, string>} headers the answer's headers, names lower-cased
 * @property {Record<string, string>} requestHeaders what the fake sent, names lower-cased
 * @property {string[]} redirects Location URLs followed (loopback only, at most 3)
 */

/**
 * @typedef {object} SourceFetchStats
 * @property {number} count downloads started
 * @property {number} ok
 * @property {number} failed
 * @property {number} inFlight
 */

/**
 * @typedef {object} SourceSettings what the fetcher reads of the fake's options
 * @property {() => number} now
 * @property {number} sourceTimeoutMs
 * @property {number} sourceMaxBytes
 */

/** @param {Buffer} bytes */
const sha256Of = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/**
 * Why an answer that came does not give Akool a source image, or null when it does.
 * @param {import('./source-fetch').SourceAnswer} answer
 */
function rejectionOf(answer) {
	if (answer.error) return answer.error;
	const status = /** @type {number} */ (answer.httpStatus);
	if (status < 200 || status > 299) return `HTTP ${status} ${statusText(status)}`;
	if (imageTypeOf(answer.body) === null) {
		const head = answer.body.subarray(0, 8).toString('hex') || 'nothing';
		return `not an image: the body (${answer.body.length} bytes) starts with ${head}, not a PNG, JPEG or WebP signature`;
	}
	return null;
}

/** Downloads the sources of one fake's jobs, on time, and keeps the records. */
class SourceFetcher {
	/** @type {SourceFetch[]} every download, in start order (emptied by clear()) */
	fetches = [];
	#getSettings;
	#onSettled;
	/** @type {Set<NodeJS.Timeout>} */
	#timers = new Set();
	/** @type {Set<AbortController>} */
	#inflight = new Set();
	/** @type {Set<Promise<void>>} downloads under way, so close() can wait for their records */
	#running = new Set();
	#closed = false;

	/**
	 * @param {() => SourceSettings} getSettings the fake's options in force
	 * @param {(job: import('./jobs').Job) => void} onSettled told when a job's download has ended
	 */
	constructor(getSettings, onSettled) {
		this.#getSettings = getSettings;
		this.#onSettled = onSettled;
	}

	/**
	 * Called for every job the fake creates: a job with a source gets its download when it starts
	 * processing, under the options in force now. The timer runs on the real clock, like callbacks.
	 * @param {import('./jobs').Job} job
	 */
	schedule(job) {
		if (job.sourceState !== 'waiting' || this.#closed) return;
		const settings = { ...this.#getSettings() };
		const delay = Math.max(0, job.processingAt - settings.now());
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			const running = this.#fetch(job, settings);
			this.#running.add(running);
			void running.finally(() => this.#running.delete(running));
		}, delay);
		this.#timers.add(timer);
	}

	/** @param {import('./jobs').Job} job @param {SourceSettings} settings */
	async #fetch(job, settings) {
		const record = this.#start(job, settings.now());
		const controller = new AbortController();
		this.#inflight.add(controller);
		const answer = await getSource(record.url, {
			timeoutMs: settings.sourceTimeoutMs,
			maxBytes: settings.sourceMaxBytes,
			signal: controller.signal,
		});
		this.#inflight.delete(controller);
		// reset() forgot the job and its record: nothing is left to tell.
		if (!this.fetches.includes(record)) return;
		this.#finish(record, answer, settings.now(), job.model === MODEL_MEITU);
		job.sourceState = record.state === 'ok' ? 'fetched' : 'failed';
		job.sourceDoneAt = record.doneAt;
		job.sourceError = record.error;
		this.#onSettled(job);
	}

	/** @param {import('./jobs').Job} job @param {number} at @returns {SourceFetch} */
	#start(job, at) {
		job.sourceState = 'fetching';
		/** @type {SourceFetch} */
		const record = {
			id: this.fetches.length + 1,
			jobId: job.id,
			url: job.sourceImages[0],
			at,
			doneAt: null,
			state: 'fetching',
			httpStatus: null,
			error: null,
			bytes: 0,
			sha256: null,
			imageType: null,
			width: null,
			height: null,
			headers: {},
			requestHeaders: {},
			redirects: [],
		};
		this.fetches.push(record);
		return record;
	}

	/**
	 * @param {SourceFetch} record @param {import('./source-fetch').SourceAnswer} answer @param {number} at
	 * @param {boolean} meitu the job's model is Meitu Yunxiu Pro, which has source rules of its own
	 */
	#finish(record, answer, at, meitu) {
		const imageType = imageTypeOf(answer.body);
		const size = imageSizeOf(answer.body, imageType);
		const error = rejectionOf(answer) ?? (meitu ? meituSourceRejection(imageType, size) : null);
		Object.assign(record, {
			doneAt: at,
			state: error ? 'failed' : 'ok',
			httpStatus: answer.httpStatus,
			error,
			bytes: answer.body.length,
			sha256: answer.httpStatus === null ? null : sha256Of(answer.body),
			imageType,
			width: size?.width ?? null,
			height: size?.height ?? null,
			headers: answer.headers,
			requestHeaders: answer.requestHeaders,
			redirects: answer.redirects,
		});
	}

	/** @returns {SourceFetchStats} */
	stats() {
		const count = (/** @type {SourceFetch['state']} */ state) => this.fetches.filter((f) => f.state === state).length;
		return { count: this.fetches.length, ok: count('ok'), failed: count('failed'), inFlight: count('fetching') };
	}

	/** @param {string} why */
	#abortAll(why) {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		for (const controller of this.#inflight) controller.abort(new Error(why));
		this.#inflight.clear();
	}

	/** Cancel what is scheduled, abort what is under way and forget every record (reset()). */
	clear() {
		this.#abortAll('reset() of the fake');
		this.fetches = [];
	}

	/**
	 * Stop for good (the fake closes): downloads under way are aborted and end as failed
	 * ('aborted: the fake closed'); resolves once their records say so, and the records stay readable.
	 */
	async close() {
		this.#closed = true;
		this.#abortAll('the fake closed');
		await Promise.all(this.#running);
	}
}

module.exports = { SourceFetcher, rejectionOf };
