// @ts-check
'use strict';

const http = require('node:http');

/** @typedef {import('./callback-signing').CallbackBody} CallbackBody */

/**
 * POST a callback body as JSON; never rejects. The request sits in `inflight` until it ends, so that
 * the sender can destroy it when the fake resets or closes.
 * @param {string} url @param {CallbackBody} body @param {number} timeoutMs
 * @param {Set<http.ClientRequest>} inflight
 * @returns {Promise<{ status: number | null, text: string, error: string | null }>}
 */
function postCallback(url, body, timeoutMs, inflight) {
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
					inflight.delete(req);
					resolve({ status: res.statusCode ?? null, text: Buffer.concat(parts).toString('utf8'), error: null });
				});
				res.on('error', (error) => {
					inflight.delete(req);
					resolve({ status: res.statusCode ?? null, text: '', error: String(error.message) });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (error) => {
			inflight.delete(req);
			resolve({ status: null, text: '', error: String(error.message) });
		});
		inflight.add(req);
		req.end(payload);
	});
}

module.exports = { postCallback };
