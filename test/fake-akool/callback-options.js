// @ts-check
'use strict';

const { cipherFor } = require('./callback-signing');

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

const CALLBACK_DEFAULTS = Object.freeze({
	retryMs: 2000,
	maxAttempts: 6,
	processing: true,
	processingDelayMs: null,
	holdAnswerMs: 0,
	requestTimeoutMs: 60_000,
});

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

module.exports = { CALLBACK_DEFAULTS, resolveCallbackOptions };
