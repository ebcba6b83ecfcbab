// @ts-check
/**
 * Long-running n8n processes: `n8n start` (healthy and ready), and any n8n command such as `worker`
 * or `webhook` logged to a file (queue mode).
 */
import { spawn } from 'node:child_process';

import { commandCwd, e2ePaths } from './env.mjs';
import { portInUse, sleep } from './helpers.mjs';
import { httpOk, spawnLogged, waitReady, watchGroup } from './processes.mjs';

/**
 * @typedef {{ pid: number, url: string, port: number, logs: () => string, stop: () => Promise<void>, exited: Promise<number | null> }} N8nServer
 */

/**
 * Starts `n8n start` in its own process group and waits until GET /healthz answers 200
 * (and /healthz/readiness, i.e. the database is up).
 * @param {import('./env.mjs').N8nEnv} env @param {{ timeoutMs?: number, inheritOutput?: boolean }} [o]
 * @returns {Promise<N8nServer>}
 */
export async function startN8n(env, { timeoutMs = 180_000, inheritOutput = false } = {}) {
	const port = Number(env.N8N_PORT);
	if (await portInUse(port)) throw new Error(`port 127.0.0.1:${port} is already in use`);
	const child = spawn(e2ePaths().n8n, ['start'], {
		env,
		cwd: commandCwd(env),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	const onData = (/** @type {Buffer} */ b) => {
		const s = b.toString('utf8');
		log += s;
		if (log.length > 200_000) log = log.slice(-100_000);
		if (inheritOutput) process.stderr.write(s);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const { pid, exited, alive, stop } = watchGroup(child, { graceMs: 15_000, sweep: true });
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!alive()) throw new Error(`n8n start exited before it was healthy:\n${log}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start did not answer ${url}/healthz within ${timeoutMs} ms:\n${log}`);
		}
		const ok = await httpOk(`${url}/healthz`);
		if (ok && (await httpOk(`${url}/healthz/readiness`))) break;
		await sleep(500);
	}
	return { pid, url, port, logs: () => log, stop, exited };
}

/**
 * Starts any n8n command (`start`, `worker --concurrency=N`, `webhook`) in its own process group and
 * waits until `healthUrl` answers 200.
 * @param {string} name @param {import('./env.mjs').N8nEnv} env @param {string[]} args
 * @param {{ logFile: string, healthUrl: string, timeoutMs?: number }} o
 * @returns {Promise<import('./processes.mjs').Spawned>}
 */
export async function startN8nProcess(name, env, args, { logFile, healthUrl, timeoutMs = 180_000 }) {
	const proc = await spawnLogged(name, e2ePaths().n8n, args, { env, cwd: commandCwd(env), logFile });
	try {
		await waitReady(proc, () => httpOk(healthUrl), timeoutMs);
	} catch (e) {
		await proc.stop({ graceMs: 5_000 });
		throw e;
	}
	return proc;
}
