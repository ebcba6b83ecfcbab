// @ts-check
'use strict';

// Loopback peers for the fake's own tests, in JS because the lint rules for TypeScript files forbid
// node:http, child processes and process globals.
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

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
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * Runs the fake's CLI (cli.js) with `args`: its first stdout line, its stderr, its exit code.
 * @param {string[]} args
 */
function runCli(args) {
	const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), ...args], {
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

module.exports = { startReceiver, runCli };
