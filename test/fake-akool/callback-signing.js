// @ts-check
'use strict';

/**
 * How Akool signs and encrypts a webhook callback, written here from Akool's description
 * (../shared/akool-api.md, "Webhook callbacks"), independently of the node's code, so that tests
 * round-trip through two implementations:
 * - `dataEncrypt`: base64 of AES-CBC with PKCS#7 padding of the JSON `{ _id, status, type, url }`;
 *   key = the API key's UTF-8 bytes (16, 24 or 32: AES-128/192/256); IV = the Client ID's UTF-8
 *   bytes, cut to 16 or padded with spaces (0x20) up to 16;
 * - `signature`: lowercase hex SHA-1 of clientId, String(timestamp), nonce and dataEncrypt, sorted
 *   lexically and joined with no separator.
 */
const crypto = require('node:crypto');

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

module.exports = { callbackBody, encryptText, decryptText, signatureOf, ivFor, cipherFor };
