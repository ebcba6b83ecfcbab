// @ts-check
'use strict';

const { STATUS_CODES } = require('node:http');

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 */

/**
 * The whole request body as text (bodies here are small JSON documents).
 * @param {IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * What the recorder keeps of a body: parsed JSON when it parses, else the text; undefined when empty.
 * @param {string} text
 * @returns {any}
 */
function parseBody(text) {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * Node already lower-cases header names; repeated headers are joined like a proxy would.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {Record<string, string>}
 */
function flatHeaders(headers) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

/** @param {URL} url @returns {Record<string, string>} */
function queryObject(url) {
	return Object.fromEntries(url.searchParams);
}

/**
 * Answer verbatim, and note the status in the request's record.
 * @param {ServerResponse} res
 * @param {RecordedRequest} rec
 * @param {number} status
 * @param {string | Buffer} body
 * @param {string} contentType
 * @param {Record<string, string>} [headers]
 */
function sendRaw(res, rec, status, body, contentType, headers = {}) {
	rec.status = status;
	res.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': Buffer.byteLength(body),
		...headers,
	});
	res.end(body);
}

/**
 * Answer JSON; the record keeps the status and the envelope's `code` for the stats.
 * @param {ServerResponse} res
 * @param {RecordedRequest} rec
 * @param {number} status
 * @param {unknown} payload
 */
function sendJson(res, rec, status, payload) {
	const code = /** @type {{ code?: unknown } | null} */ (payload)?.code;
	rec.code = typeof code === 'number' ? code : null;
	sendRaw(res, rec, status, JSON.stringify(payload), 'application/json; charset=utf-8');
}

/** @param {import('node:http').Server} server @param {number} port @returns {Promise<number>} */
function listenOnLoopback(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		// Loopback only: the fake must never be reachable from elsewhere.
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
		});
	});
}

/** @param {number} status */
const statusText = (status) => STATUS_CODES[status] ?? `HTTP ${status}`;

module.exports = { listenOnLoopback, readBody, parseBody, flatHeaders, queryObject, sendRaw, sendJson, statusText };
