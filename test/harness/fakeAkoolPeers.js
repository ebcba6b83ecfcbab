// @ts-check
'use strict';

// Loopback peers for the fake Akool's own tests (a callback receiver, a source image host, its CLI),
// in JS because the lint rules for TypeScript files forbid node:http, child processes and process
// globals.
const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { SAMPLE_SOURCES } = require('../fake-akool/samples');
const { encodePng } = require('../fake-akool/png');
const { packageRoot } = require('./paths');

/**
 * The sample JPEG with another size in its SOF0 header (height then width, 16 bits each).
 * @param {number} width @param {number} height
 */
function jpegSaying(width, height) {
	const bytes = Buffer.from(SAMPLE_SOURCES.jpeg.bytes);
	const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
	bytes.writeUInt16BE(height, sof + 5);
	bytes.writeUInt16BE(width, sof + 7);
	return bytes;
}

/**
 * @typedef {{ at: number, path: string, body: Record<string, unknown>, answered: number }} Received
 */

/**
 * A callback receiver on 127.0.0.1; `answer` picks the HTTP status of each POST (200 by default).
 * @param {(nth: number, body: Record<string, unknown>) => number} [answer]
 */
async function startReceiver(answer = () => 200) {
	/** @type {Received[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
			const status = answer(received.length + 1, body);
			received.push({ at: Date.now(), path: req.url ?? '', body, answered: status });
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ status }));
		});
	});
	return { ...(await serveOnLoopback(server)), received };
}

/**
 * Listens on an ephemeral 127.0.0.1 port: the server's URL, and a close() that ends its connections.
 * @param {http.Server} server
 */
async function serveOnLoopback(server) {
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * Resolves once `check()` is true (polled every 10 ms); rejects after `timeoutMs`.
 * @param {() => boolean} check @param {number} [timeoutMs]
 */
async function until(check, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Runs the fake's CLI (cli.js) with `args`: its first stdout line, its stderr, its exit code.
 * @param {string[]} args
 */
function runCli(args) {
	const child = spawn(process.execPath, [path.join(packageRoot, 'test', 'fake-akool', 'cli.js'), ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (part) => (stderr += part.toString()));
	const firstLine = new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (part) => {
			out += part.toString();
			if (out.includes('\n')) resolve(out.split('\n')[0]);
		});
		child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
	});
	// A run that is expected to fail never reads its first line: not an unhandled rejection then.
	firstLine.catch(() => undefined);
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
	return {
		/** @type {Promise<string>} */
		firstLine: /** @type {Promise<string>} */ (firstLine),
		exited,
		stderr: () => stderr,
		stop: async () => {
			child.kill('SIGTERM');
			return await exited;
		},
	};
}

/**
 * @typedef {object} SourceRequest
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {boolean} cutOff the client closed the connection before the answer ended
 */

/**
 * How the source server answers a path (the sample PNG unless a route says otherwise):
 * `/slow/<ms>` after ms, `/hang` never, `/stall` the headers and half the PNG then nothing,
 * `/status/<code>` that status with a text body, `/redirect?to=<url>` a 302 to the URL (to itself
 * without `to`: a redirect loop), `/png/<W>x<H>` a PNG of that size (W × H at most 1e8 pixels),
 * `/jpeg/<W>x<H>` the sample JPEG with that size written in its frame header (not decodable, but
 * its header says W × H), `/webp` the first bytes of a WebP file.
 * @param {URL} url @param {http.ServerResponse} res
 */
function answerSource(url, res) {
	const png = SAMPLE_SOURCES.png.bytes;
	const sendPng = () => {
		res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'X-Source-Server': 'test' });
		res.end(png);
	};
	const [, route, arg] = url.pathname.split('/');
	if (route === 'slow') return void setTimeout(sendPng, Number(arg));
	if (route === 'hang') return;
	if (route === 'stall') {
		res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
		return void res.write(png.subarray(0, png.length >> 1));
	}
	if (route === 'status') {
		res.writeHead(Number(arg), { 'Content-Type': 'text/plain' });
		return void res.end(`answered ${arg}`);
	}
	if (route === 'png' || route === 'jpeg') {
		const [width, height] = arg.split('x').map(Number);
		const bytes = route === 'png' ? encodePng(width, height) : jpegSaying(width, height);
		res.writeHead(200, { 'Content-Type': `image/${route}`, 'Content-Length': bytes.length });
		return void res.end(bytes);
	}
	if (route === 'webp') {
		const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(16)]);
		res.writeHead(200, { 'Content-Type': 'image/webp' });
		return void res.end(webp);
	}
	if (route === 'redirect') {
		res.writeHead(302, { Location: url.searchParams.get('to') ?? '/redirect' });
		return void res.end();
	}
	sendPng();
}

/**
 * A source image host on 127.0.0.1 that records each request and whether the client cut it off.
 * `close()` ends every connection it still has.
 */
async function startSourceServer() {
	/** @type {SourceRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		/** @type {SourceRequest} */
		const seen = { path: req.url ?? '', headers: { ...req.headers }, cutOff: false };
		requests.push(seen);
		res.on('close', () => (seen.cutOff = !res.writableFinished));
		answerSource(new URL(req.url ?? '/', 'http://source.invalid'), res);
	});
	return { ...(await serveOnLoopback(server)), requests };
}

/** A loopback port nothing listens on (bound, then released): connecting there is refused. */
async function refusedPort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

/**
 * Notes every socket connect made in this process until `stop()`: host and port of each attempt,
 * to prove that some host was never contacted.
 */
function watchConnects() {
	const original = net.Socket.prototype.connect;
	/** @type {Array<{ host: string | undefined, port: number | undefined }>} */
	const attempts = [];
	net.Socket.prototype.connect = /** @type {any} */ (
		function (/** @type {any[]} */ ...args) {
			// http passes [options, callback] or Node's normalized [[options, callback]]
			const first = Array.isArray(args[0]) ? args[0][0] : args[0];
			attempts.push({ host: first?.host, port: first?.port });
			return original.apply(this, /** @type {any} */ (args));
		}
	);
	return {
		attempts,
		stop: () => {
			net.Socket.prototype.connect = original;
		},
	};
}

module.exports = { startReceiver, runCli, startSourceServer, refusedPort, watchConnects, until };
