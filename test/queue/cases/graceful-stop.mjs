// @ts-check
/**
 * A worker told to stop (SIGTERM) mid-wait, with N8N_GRACEFUL_SHUTDOWN_TIMEOUT above the wait:
 * EXECUTIONS executions with 35-40 s fake jobs (longer than n8n's default 30 s shutdown timeout);
 * once both workers hold executions, worker 2 gets SIGTERM. It must finish what it holds and exit by
 * itself (code 0); every execution succeeds complete; nothing is created twice.
 */
import assert from 'node:assert/strict';

import { byRequest, createsOf, expectCompleteOutput, lastExecutionId, startLoad, withJobDuration } from '../lib/load.mjs';
import { eventsOf } from '../lib/logs.mjs';
import { CRASH_SETTINGS, EXECUTIONS, IMAGES_PER_PROMPT, PROMPTS, WF } from '../lib/settings.mjs';
import { stopTracked } from '../lib/tracking.mjs';
import { heldWhenBothBusy } from '../lib/worker-loss.mjs';

export const name = 'Graceful stop (N8N_GRACEFUL_SHUTDOWN_TIMEOUT above the wait): a worker SIGTERMed mid-wait finishes its executions, then exits';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster: c, fake, figure }) {
	const replaceMs = await c.replaceWorker(0, CRASH_SETTINGS); // the worker killed by the crash case
	console.log(`  (worker1 replaced in ${(replaceMs / 1000).toFixed(1)} s, pid ${c.workers[0].pid})`);
	const marker = 'graceful';
	const line = await withJobDuration(fake, [35_000, 40_000], async () => {
		const lastBefore = await lastExecutionId(c, WF.load);
		const load = startLoad(c, marker, 120_000);
		const [other, stopped] = c.workers;
		const held = await heldWhenBothBusy(fake, marker, { lost: stopped, kept: other });
		const termAt = Date.now();
		process.kill(stopped.pid, 'SIGTERM');
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		const code = await Promise.race([stopped.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 150_000)))]);
		clearTimeout(timer);
		const exitMs = Date.now() - termAt;
		await stopTracked(stopped);
		const answers = await load.answers;
		assert.equal(code, 0, `the SIGTERMed worker exited by itself with code 0 (got ${code})`);
		const ev = await eventsOf(stopped);
		for (const id of held) assert.ok(ev.some((x) => x.kind === 'finished' && x.executionId === id), `the stopped worker finished execution ${id} before exiting`);
		answers.forEach((a, i) => assert.equal(a.status, 200, `request ${i}: HTTP ${a.status} ${a.error ?? a.text.slice(0, 200)}`));
		const rows = (await c.db.find({ workflowIds: [WF.load], withData: true })).filter((e) => Number(e.id) > lastBefore);
		const execs = byRequest(rows, marker);
		assert.equal(execs.size, EXECUTIONS, `${execs.size} executions found`);
		for (const [i, ex] of execs) expectCompleteOutput(ex, load.requests[i]);
		const otherEv = await eventsOf(other);
		const rerun = held.filter((id) => otherEv.some((x) => x.kind === 'started' && x.executionId === id));
		assert.deepEqual(rerun, [], 'no execution of the stopped worker ran again elsewhere');
		const creates = createsOf(await fake.requests(), marker).length;
		assert.equal(creates, EXECUTIONS * PROMPTS, `creates ${creates}`);
		return `worker2 (pid ${stopped.pid}) got SIGTERM holding ${held.length} executions (${held.join(', ')}), finished them and exited 0 after ${(exitMs / 1000).toFixed(1)} s; ${execs.size} executions succeeded complete (${execs.size * PROMPTS * IMAGES_PER_PROMPT} images); creates ${creates} (extra 0)`;
	});
	figure(line, `graceful stop, N8N_GRACEFUL_SHUTDOWN_TIMEOUT=${CRASH_SETTINGS.N8N_GRACEFUL_SHUTDOWN_TIMEOUT}`);
}
