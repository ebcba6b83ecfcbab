// @ts-check
/**
 * Redis for queue mode (test/queue/run.mjs): one RESP command over TCP, and Debian's redis-server
 * started on 127.0.0.1 without persistence.
 */
import { promises as fsp } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { freePort } from './helpers.mjs';
import { findExecutable, spawnLogged, waitReady } from './processes.mjs';

/**
 * One Redis command over RESP on 127.0.0.1:port; the reply parsed (arrays, integers, strings; an
 * error reply rejects).
 * @param {number} port @param {string[]} args @param {number} [timeoutMs]
 * @returns {Promise<any>}
 */
export function redisCommand(port, args, timeoutMs = 5_000) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = Buffer.alloc(0);
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`redis ${args[0]}: no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		const finish = (/** @type {Error | null} */ err, /** @type {any} */ value) => {
			clearTimeout(timer);
			sock.destroy();
			if (err) reject(err);
			else resolve(value);
		};
		sock.on('error', (e) => finish(e, undefined));
		sock.on('connect', () => {
			sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
		});
		sock.on('data', (chunk) => {
			buf = Buffer.concat([buf, chunk]);
			try {
				const parsed = parseResp(buf, 0);
				if (parsed) {
					if (parsed.value instanceof Error) finish(parsed.value, undefined);
					else finish(null, parsed.value);
				}
			} catch (e) {
				finish(/** @type {Error} */ (e), undefined);
			}
		});
	});
}

/** @param {Buffer} buf @param {number} at @returns {{ value: any, end: number } | undefined} */
function parseResp(buf, at) {
	const eol = buf.indexOf('\r\n', at);
	if (eol < 0) return undefined;
	const type = String.fromCharCode(buf[at]);
	const line = buf.toString('utf8', at + 1, eol);
	if (type === '+') return { value: line, end: eol + 2 };
	if (type === '-') return { value: new Error(line), end: eol + 2 };
	if (type === ':') return { value: Number(line), end: eol + 2 };
	if (type === '$') {
		const len = Number(line);
		if (len < 0) return { value: null, end: eol + 2 };
		if (buf.length < eol + 2 + len + 2) return undefined;
		return { value: buf.toString('utf8', eol + 2, eol + 2 + len), end: eol + 2 + len + 2 };
	}
	if (type === '*') {
		const n = Number(line);
		if (n < 0) return { value: null, end: eol + 2 };
		const out = [];
		let pos = eol + 2;
		for (let i = 0; i < n; i++) {
			const item = parseResp(buf, pos);
			if (!item) return undefined;
			out.push(item.value);
			pos = item.end;
		}
		return { value: out, end: pos };
	}
	throw new Error(`unexpected RESP type ${type}`);
}

/**
 * Starts Debian's `redis-server` on 127.0.0.1 and a free port, without persistence (no RDB, no
 * AOF), in `dir`; waits until it answers PING.
 * @param {{ dir: string, port?: number, timeoutMs?: number }} o
 * @returns {Promise<import('./processes.mjs').Spawned & { port: number, command: (args: string[]) => Promise<any> }>}
 */
export async function startRedis({ dir, port, timeoutMs = 20_000 }) {
	const bin = findExecutable('redis-server');
	if (!bin) throw new Error('redis-server is missing: run `npm run e2e:setup` (installs it with apt-get)');
	await fsp.mkdir(dir, { recursive: true });
	const redisPort = port ?? (await freePort());
	const args = ['--port', String(redisPort), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '',
		'--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''];
	const proc = await spawnLogged('redis', bin, args, { env: { PATH: '/usr/bin:/bin' }, cwd: dir, logFile: path.join(dir, 'redis.log') });
	try {
		await waitReady(proc, async () => (await redisCommand(redisPort, ['PING'], 1_000).catch(() => '')) === 'PONG', timeoutMs);
	} catch (e) {
		await proc.stop({ graceMs: 3_000 });
		throw e;
	}
	return { ...proc, port: redisPort, command: (args) => redisCommand(redisPort, args) };
}
