// @ts-check
/**
 * Bookkeeping: everything the suite starts is stopped, whatever happens (success, failure, a
 * signal), and `ps` confirms no process of ours is left behind.
 */
import { execFileSync } from 'node:child_process';

import { sleep } from '../../../scripts/e2e/n8n.mjs';

/** @typedef {{ name: string, stop: (o?: any) => Promise<void>, pid?: number }} Stoppable */

/** @type {Set<Stoppable>} */
const running = new Set();
/** Process groups of everything this run started (each process leads its own group). @type {Set<number>} */
const ourGroups = new Set();

/** @template {Stoppable} T @param {T} p @returns {T} */
export function track(p) {
	running.add(p);
	if (p.pid) ourGroups.add(p.pid);
	return p;
}

/** Stops one process now (whatever is left of it) and forgets it. @param {Stoppable} p */
export async function stopTracked(p) {
	running.delete(p);
	await p.stop();
}

/** Stops everything still running, n8n processes first (they hold Redis and the database). */
export async function stopAll() {
	const all = [...running].reverse();
	running.clear();
	const n8nFirst = [...all.filter((p) => p.name.startsWith('n8n')), ...all.filter((p) => !p.name.startsWith('n8n'))];
	for (const p of n8nFirst) {
		try {
			await p.stop();
		} catch (e) {
			console.log(`  note: stopping ${p.name}: ${/** @type {Error} */ (e).message}`);
		}
	}
}

/**
 * On SIGINT, SIGTERM or SIGHUP: stops everything, runs `cleanUp` (the temp folder), reports the
 * suite failed and exits 1.
 * @param {() => Promise<void> | undefined} cleanUp
 */
export function stopEverythingOnSignal(cleanUp) {
	let interrupted = false;
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		process.on(sig, () => {
			if (interrupted) return;
			interrupted = true;
			console.log(`queue: ${sig}, stopping everything`);
			void stopAll()
				.then(() => cleanUp())
				.finally(() => {
					console.log('0 passed, 1 failed');
					process.exit(1);
				});
		});
	}
}

/**
 * Runs a suite's `main` and exits with its exit code once it is done (leftover timers or keep-alive
 * sockets must not hold the process once everything is stopped); when it throws, stops everything
 * and reports the suite failed.
 * @param {() => Promise<void>} main
 */
export function runSuite(main) {
	main()
		.then(() => process.exit(process.exitCode ?? 0))
		.catch(async (e) => {
			console.log(`FAIL suite: ${e instanceof Error ? e.stack : String(e)}`);
			await stopAll();
			console.log('0 passed, 1 failed');
			process.exit(1);
		});
}

/**
 * The end of a suite: stops everything (a process of ours left behind, seen by `ps`, is one more
 * failure), then removes the temp folder, or keeps it for inspection when anything failed.
 * @param {{ dir: string, remove: () => Promise<void> }} tmp @param {number} failed failures so far
 * @param {string} label the suite's name in the output
 * @returns {Promise<number>} the failures, the leftovers counted
 */
export async function endSuite(tmp, failed, label) {
	const left = await stopAllAndListLeftovers();
	if (left.length) console.log(`FAIL processes left behind:\n     ${left.join('\n     ')}`);
	else console.log(`${label}: no process left behind (ps)`);
	const total = failed + (left.length ? 1 : 0);
	if (total === 0) await tmp.remove();
	else console.log(`${label}: kept ${tmp.dir} for inspection (logs/ has every process's log)`);
	return total;
}

/**
 * Stops everything, then lists the processes `ps` still shows in a group this run started, once
 * none is left or after 5 s (a group's children may take a moment to exit).
 */
export async function stopAllAndListLeftovers() {
	await stopAll();
	let left = leftovers();
	for (let i = 0; i < 10 && left.length; i++) {
		await sleep(500);
		left = leftovers();
	}
	return left;
}

/**
 * Processes still alive in a process group this run started, from `ps` (n8n's task runners and
 * any other child included).
 */
function leftovers() {
	let out = '';
	try {
		out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
	} catch {
		return [];
	}
	// zombies (stat Z) have ended: only their exit status waits to be collected by their parent
	return out
		.split('\n')
		.map((l) => l.trim().split(/\s+/))
		.filter((f) => f.length >= 4 && ourGroups.has(Number(f[1])) && !f[2].startsWith('Z'))
		.map((f) => `pid ${f[0]} (group ${f[1]}): ${f.slice(3).join(' ').slice(0, 160)}`);
}
