// @ts-check
/**
 * The fake Akool (test/fake-akool/cli.js) as a separate process, started and stopped by its group.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { projectRoot } from './env.mjs';
import { watchGroup } from './processes.mjs';

/**
 * @typedef {{ baseUrl: string, cdnBaseUrl: string, pid: number, apiKey?: string,
 *   stats: () => Promise<any>, requests: () => Promise<any[]>, jobs: () => Promise<any[]>, reset: () => Promise<void>,
 *   callbacks: () => Promise<any[]>, sourceFetches: () => Promise<any[]>, setOptions: (o: Record<string, unknown>) => Promise<void>,
 *   resendCallback: (which: { jobId: string, status: number, copies?: number }) => Promise<any[]>,
 *   logs: () => string, stop: () => Promise<void> }} FakeAkool
 * @typedef {{ apiKey?: string, args?: string[], timeoutMs?: number }} FakeAkoolOptions
 */

/**
 * Starts the fake Akool: `node test/fake-akool/cli.js --port 0 [--api-key K] ...args`. It prints one
 * JSON line `{"baseUrl","cdnBaseUrl","pid"}` once listening.
 * @param {FakeAkoolOptions} [options]
 * @returns {Promise<FakeAkool>}
 */
export async function startFakeAkool({ apiKey, args = [], timeoutMs = 20_000 } = {}) {
	const cli = path.join(projectRoot, 'test', 'fake-akool', 'cli.js');
	if (!existsSync(cli)) throw new Error(`${path.relative(projectRoot, cli)} is missing`);
	const argv = [cli, '--port', '0', ...(apiKey ? ['--api-key', apiKey] : []), ...args];
	const child = spawn(process.execPath, argv, {
		cwd: projectRoot,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir() },
	});
	let out = '';
	let errOut = '';
	child.stderr.on('data', (b) => {
		errOut += b.toString('utf8');
		if (errOut.length > 100_000) errOut = errOut.slice(-50_000);
	});
	const { pid, exited, stop } = watchGroup(child, { graceMs: 5_000, sweep: false });
	/** @type {{ baseUrl: string, cdnBaseUrl: string, pid: number }} */
	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void stop();
			reject(new Error(`fake Akool did not print its address within ${timeoutMs} ms:\n${out}\n${errOut}`));
		}, timeoutMs);
		child.stdout.on('data', (b) => {
			out += b.toString('utf8');
			const line = out.split('\n').find((l) => l.trim().startsWith('{') && l.includes('baseUrl'));
			if (line) {
				try {
					const parsed = JSON.parse(line);
					clearTimeout(timer);
					resolve(parsed);
				} catch {
					/* wait for the rest of the line */
				}
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`fake Akool exited (${code}) before listening:\n${out}\n${errOut}`));
		});
	});
	const base = info.baseUrl.replace(/\/$/, '');
	/** One of its admin records (GET). @param {string} route @returns {Promise<any>} */
	const record = async (route) => (await fetch(`${base}${route}`)).json();
	return {
		baseUrl: base,
		cdnBaseUrl: info.cdnBaseUrl,
		pid,
		apiKey,
		stats: () => record('/__stats'),
		requests: () => record('/__requests'),
		jobs: () => record('/__jobs'),
		reset: async () => {
			await (await fetch(`${base}/__reset`, { method: 'POST' })).arrayBuffer();
		},
		// the callbacks it sent (each with its attempts) and the source images it downloaded
		callbacks: () => record('/__callbacks'),
		sourceFetches: () => record('/__source-fetches'),
		// changes its options while it runs (e.g. `{ durationMs: [min, max] }`, see test/fake-akool/options.js)
		setOptions: async (o) => {
			const res = await fetch(`${base}/__options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o) });
			if (res.status !== 200) throw new Error(`fake /__options: HTTP ${res.status} ${await res.text()}`);
		},
		// test-only: a callback's very body POSTed again, `copies` at once (Akool's retry, a replay); its attempts
		resendCallback: async (which) => {
			const res = await fetch(`${base}/__callbacks/resend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(which) });
			if (res.status !== 200) throw new Error(`fake /__callbacks/resend: HTTP ${res.status} ${await res.text()}`);
			return await res.json();
		},
		logs: () => out + errOut,
		stop,
	};
}

/**
 * Runs `fn` with a started fake Akool and always stops it.
 * @template T
 * @param {FakeAkoolOptions} options @param {(fake: FakeAkool) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withFakeAkool(options, fn) {
	const fake = await startFakeAkool(options);
	try {
		return await fn(fake);
	} finally {
		await fake.stop();
	}
}
