// @ts-check
'use strict';

const { readBody, parseBody } = require('./http');

/**
 * @typedef {import('./server').FakeAkool} FakeAkool
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 */

/**
 * Control routes for other processes (CLI, e2e, benchmarks): not recorded, not authenticated, not
 * counted in flight.
 * @param {FakeAkool} fake @param {string} method @param {URL} url @param {IncomingMessage} req @param {ServerResponse} res
 */
async function routeAdmin(fake, method, url, req, res) {
	/** @param {number} status @param {unknown} payload */
	const send = (status, payload) => {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(payload));
	};
	const body = parseBody(await readBody(req)) ?? {};
	const route = `${method} ${url.pathname}`;
	try {
		if (route === 'GET /__stats') return send(200, fake.stats());
		if (route === 'GET /__requests') {
			const kind = url.searchParams.get('kind');
			return send(200, kind ? fake.requests.filter((r) => r.kind === kind) : fake.requests);
		}
		if (route === 'GET /__jobs') return send(200, [...fake.jobs.values()]);
		if (route === 'GET /__callbacks') return send(200, fake.callbacks);
		if (route === 'POST /__callbacks/resend') return send(200, await fake.resendCallback(body));
		if (route === 'GET /__source-fetches') return send(200, fake.sourceFetches);
		if (route === 'GET /__in-flight') return send(200, fake.inFlight());
		if (route === 'POST /__reset') return send(200, (fake.reset(), { ok: true }));
		if (route === 'POST /__plan')
			return send(200, (fake.plan(body.kind, body.faults ?? []), { ok: true }));
		if (route === 'POST /__options') return send(200, (fake.setOptions(body), { ok: true }));
		return send(404, { error: `no admin route ${route}` });
	} catch (error) {
		return send(400, { error: String(error instanceof Error ? error.message : error) });
	}
}

module.exports = { routeAdmin };
