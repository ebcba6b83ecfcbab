// @ts-check
/**
 * Child processes in their own process group: a command run to its end under a hard timeout, a
 * long-running one logged to a file and stopped with its group, waiting until one is ready.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';

import { commandCwd } from './env.mjs';
import { sleep } from './helpers.mjs';

/**
 * @typedef {{ exitCode: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string, ms: number }} CmdResult
 */

/**
 * Runs a command in its own process group with a hard timeout: SIGTERM to the group, then SIGKILL
 * after `graceMs` (a looping `n8n execute` ignores SIGTERM).
 * @param {string} cmd @param {string[]} args
 * @param {{ env: import('./env.mjs').N8nEnv, cwd?: string, timeoutMs?: number, graceMs?: number }} o
 * @returns {Promise<CmdResult>}
 */
export function runCommand(cmd, args, { env, cwd, timeoutMs = 120_000, graceMs = 5_000 }) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, cwd: cwd ?? commandCwd(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		child.stdout.on('data', (b) => out.push(b));
		child.stderr.on('data', (b) => err.push(b));
		let timedOut = false;
		/** @type {NodeJS.Timeout | undefined} */ let killTimer;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGTERM');
			killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (killTimer) clearTimeout(killTimer);
			// leftovers of the group (e.g. a task runner) go with it
			killGroup(child.pid, 'SIGKILL');
			resolve({
				exitCode: code,
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - t0,
			});
		});
	});
}

/** @param {number | undefined} pid @param {NodeJS.Signals} sig */
export function killGroup(pid, sig) {
	if (!pid) return;
	try {
		process.kill(-pid, sig);
	} catch {
		/* already gone */
	}
}

/** @param {string} url */
export async function httpOk(url) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await res.arrayBuffer();
		return res.ok;
	} catch {
		return false;
	}
}

/**
 * The first executable of that name on PATH or in the usual system folders (Debian puts
 * redis-server in /usr/bin and PostgreSQL's server programs in /usr/lib/postgresql/<v>/bin).
 * @param {string} name @returns {string | undefined}
 */
export function findExecutable(name) {
	const dirs = [...String(process.env.PATH ?? '').split(path.delimiter), '/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const file = path.join(dir, name);
		if (existsSync(file)) return file;
	}
	return undefined;
}

/**
 * @typedef {{ pid: number, name: string, logFile: string, logs: () => Promise<string>,
 *   alive: () => boolean, exited: Promise<number | null>, stop: (o?: { graceMs?: number }) => Promise<void> }} Spawned
 */

/**
 * Watches a child started in its own process group (`detached`): whether it is alive, its exit, and
 * `stop()`: SIGTERM to the group, SIGKILL when it has not exited within `graceMs`, then (with
 * `sweep`) SIGKILL to the group again for leftovers such as a task runner.
 * @param {import('node:child_process').ChildProcess} child @param {{ graceMs: number, sweep: boolean }} o
 */
export function watchGroup(child, { graceMs, sweep }) {
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
	let alive = true;
	void exited.then(() => (alive = false));
	const pid = /** @type {number} */ (child.pid);
	const stop = async () => {
		if (!alive) return;
		killGroup(pid, 'SIGTERM');
		const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
		if (!done) killGroup(pid, 'SIGKILL');
		await exited;
		if (sweep) killGroup(pid, 'SIGKILL');
	};
	return { pid, exited, alive: () => alive, stop };
}

/**
 * Starts a long-running command in its own process group, its stdout and stderr appended to
 * `logFile`. `stop()` sends SIGTERM to the group, SIGKILL after `graceMs`, then SIGKILL to the group
 * again (leftover children such as a task runner).
 * @param {string} name @param {string} cmd @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string, logFile: string }} o
 * @returns {Promise<Spawned>}
 */
export async function spawnLogged(name, cmd, args, { env, cwd, logFile }) {
	const fd = await fsp.open(logFile, 'a');
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd.fd, fd.fd] });
	await fd.close();
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => {
		child.on('close', (code) => resolve(code));
		child.on('error', () => resolve(null));
	});
	let isAlive = true;
	void exited.then(() => (isAlive = false));
	const pid = /** @type {number} */ (child.pid);
	return {
		pid,
		name,
		logFile,
		logs: async () => (existsSync(logFile) ? fsp.readFile(logFile, 'utf8') : ''),
		alive: () => isAlive,
		exited,
		stop: async ({ graceMs = 15_000 } = {}) => {
			if (isAlive) {
				killGroup(pid, 'SIGTERM');
				/** @type {NodeJS.Timeout | undefined} */
				let timer;
				const done = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), graceMs)))]);
				clearTimeout(timer);
				if (!done) killGroup(pid, 'SIGKILL');
				await exited;
			}
			killGroup(pid, 'SIGKILL');
		},
	};
}

/**
 * Waits until `probe()` resolves true; throws (after stopping nothing) when the process exits or
 * the time is up.
 * @param {Spawned} proc @param {() => Promise<boolean>} probe @param {number} timeoutMs
 */
export async function waitReady(proc, probe, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!proc.alive()) throw new Error(`${proc.name} exited before it was ready:\n${(await proc.logs()).slice(-4000)}`);
		if (await probe()) return;
		if (Date.now() > deadline) throw new Error(`${proc.name} was not ready within ${timeoutMs} ms:\n${(await proc.logs()).slice(-4000)}`);
		await sleep(300);
	}
}
