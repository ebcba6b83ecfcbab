// @ts-check
'use strict';

/**
 * One download of a source image, as Akool's downloader would make it: a deadline on the whole
 * answer, a cap on its size, at most MAX_REDIRECTS redirects, and loopback hosts only (loopback.js):
 * any other host is refused before a socket is opened.
 */
const http = require('node:http');
const https = require('node:https');
const { isLoopbackHost, loopbackLookup } = require('./loopback');
const { flatHeaders } = require('./http');
const { SIGNATURE: PNG_SIGNATURE } = require('./png');

/** Redirects followed (each to a loopback host): a few, like common HTTP clients. */
const MAX_REDIRECTS = 3;
// Akool's real User-Agent is not documented: this one says who fetched, for the test's server logs.
const REQUEST_HEADERS = Object.freeze({
	'User-Agent': 'fake-akool-source-fetcher/1.0',
	Accept: 'image/png,image/jpeg,image/webp,image/*;q=0.8',
});
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** @typedef {'png' | 'jpeg' | 'webp'} ImageType */

/**
 * What a download got.
 * @typedef {object} SourceAnswer
 * @property {number | null} httpStatus of the last answer; null when none came
 * @property {Record<string, string>} headers the last answer's headers, names lower-cased
 * @property {Record<string, string>} requestHeaders what the fake sent, names lower-cased
 * @property {Buffer} body what arrived of the last answer's body (part of it when the download failed)
 * @property {string[]} redirects the Location URLs followed, in order
 * @property {string | null} error why the download did not complete: 'unreachable: …' (not loopback,
 *   refused, timeout), 'too large: …', 'too many redirects: …' or 'aborted: …'
 */

/**
 * The image format by its magic bytes (the Content-Type is not trusted).
 * @param {Buffer} bytes
 * @returns {ImageType | null}
 */
function imageTypeOf(bytes) {
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
	const riff = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF';
	if (riff && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
	return null;
}

/** @param {string} url @returns {string | null} why the fake will not contact it */
function refusalOf(url) {
	let target;
	try {
		target = new URL(url);
	} catch {
		return `unreachable: not a URL: ${url}`;
	}
	if (target.protocol !== 'http:' && target.protocol !== 'https:')
		return `unreachable: ${target.protocol} is not http or https`;
	if (!isLoopbackHost(target.hostname))
		return `unreachable: ${target.hostname} is not a loopback host (fake-akool fetches only 127.0.0.0/8, localhost and [::1]); not contacted`;
	return null;
}

/** @param {number} maxBytes */
const tooLarge = (maxBytes) => Object.assign(new Error(`too large: more than ${maxBytes} bytes`), { code: 'ETOOLARGE' });

/**
 * One GET, without following redirects. Never rejects.
 * @param {URL} target @param {number} maxBytes @param {AbortSignal} signal
 * @returns {Promise<Omit<SourceAnswer, 'redirects' | 'error'> & { failure: Error | null }>}
 */
function getOnce(target, maxBytes, signal) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const parts = [];
		let size = 0;
		/** @type {import('node:http').IncomingMessage | undefined} */
		let answer;
		let settled = false;
		/** @param {Error | null} failure */
		const finish = (failure) => {
			if (settled) return;
			settled = true;
			resolve({
				httpStatus: answer?.statusCode ?? null,
				headers: answer ? flatHeaders(answer.headers) : {},
				requestHeaders,
				body: Buffer.concat(parts),
				failure,
			});
		};
		const client = target.protocol === 'https:' ? https : http;
		// agent false: a connection of its own, closed after the answer, so no idle socket outlives a test.
		const options = { headers: REQUEST_HEADERS, signal, lookup: loopbackLookup, agent: false };
		const req = client.request(target, options, (res) => {
			answer = res;
			if (Number(res.headers['content-length']) > maxBytes) {
				req.destroy(tooLarge(maxBytes));
				return;
			}
			res.on('data', (/** @type {Buffer} */ part) => {
				size += part.length;
				if (size > maxBytes) req.destroy(tooLarge(maxBytes));
				else parts.push(part);
			});
			res.on('end', () => finish(null));
			res.on('error', finish);
		});
		const requestHeaders = flatHeaders(
			/** @type {import('node:http').IncomingHttpHeaders} */ (
				Object.fromEntries(Object.entries(req.getHeaders()).map(([name, value]) => [name, String(value)]))
			),
		);
		req.on('error', finish);
		req.on('close', () => finish(new Error('the connection closed before the answer ended')));
		req.end();
	});
}

/**
 * @param {Error} failure @param {AbortSignal} aborter @param {AbortSignal} deadline @param {number} timeoutMs
 * @returns {string}
 */
function describeFailure(failure, aborter, deadline, timeoutMs) {
	if (aborter.aborted) return `aborted: ${aborter.reason instanceof Error ? aborter.reason.message : String(aborter.reason)}`;
	if (deadline.aborted) return `unreachable: no complete answer within ${timeoutMs} ms (timeout)`;
	if (/** @type {NodeJS.ErrnoException} */ (failure).code === 'ETOOLARGE') return failure.message;
	// Node reports a refused 'localhost' (tried on ::1 and 127.0.0.1) as an AggregateError without a message.
	return `unreachable: ${failure.message || /** @type {NodeJS.ErrnoException} */ (failure).code || String(failure)}`;
}

/** @param {{ httpStatus: number | null, headers: Record<string, string> }} answer @param {string} base */
function redirectTarget(answer, base) {
	if (answer.httpStatus === null || !REDIRECT_STATUSES.includes(answer.httpStatus)) return null;
	const location = answer.headers.location;
	if (!location) return null;
	try {
		return new URL(location, base).href;
	} catch {
		return null;
	}
}

/**
 * Download `url` (following at most MAX_REDIRECTS redirects, each checked like the first URL).
 * Never rejects: every failure is in `error`.
 * @param {string} url
 * @param {{ timeoutMs: number, maxBytes: number, signal: AbortSignal }} settings `signal` aborts it (reset, close)
 * @returns {Promise<SourceAnswer>}
 */
async function getSource(url, { timeoutMs, maxBytes, signal }) {
	const deadline = AbortSignal.timeout(timeoutMs);
	const either = AbortSignal.any([signal, deadline]);
	/** @type {string[]} */
	const redirects = [];
	let current = url;
	for (;;) {
		const refusal = refusalOf(current);
		if (refusal)
			return { httpStatus: null, headers: {}, requestHeaders: {}, body: Buffer.alloc(0), redirects, error: refusal };
		const { failure, ...answer } = await getOnce(new URL(current), maxBytes, either);
		if (failure) return { ...answer, redirects, error: describeFailure(failure, signal, deadline, timeoutMs) };
		const next = redirectTarget(answer, current);
		if (next === null) return { ...answer, redirects, error: null };
		if (redirects.length >= MAX_REDIRECTS)
			return { ...answer, redirects, error: `too many redirects: more than ${MAX_REDIRECTS}` };
		redirects.push(next);
		current = next;
	}
}

module.exports = { getSource, imageTypeOf, refusalOf, MAX_REDIRECTS, REQUEST_HEADERS };
