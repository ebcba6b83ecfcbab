// @ts-check
/**
 * A worker lost mid-wait: the moment both workers hold executions of a load run, and the crash run
 * (one worker SIGKILLed then) that two cases make with different settings.
 */
import assert from 'node:assert/strict';

import { sleep, until } from '../../../scripts/e2e/n8n.mjs';
import { byRequest, createsOf, expectCompleteOutput, lastExecutionId, startLoad, withJobDuration } from './load.mjs';
import { eventsOf, openExecutions } from './logs.mjs';
import { EXECUTIONS, IMAGES_PER_PROMPT, PROMPTS, WF } from './settings.mjs';
import { stopTracked } from './tracking.mjs';

/**
 * @typedef {import('./cluster.mjs').Cluster} Cluster
 * @typedef {import('./load.mjs').FakeAkool} FakeAkool
 * @typedef {import('./load.mjs').DbExecution} DbExecution
 */

/**
 * Waits until every execution of the load run `marker` has created its jobs (they are mid-wait) and
 * both `lost` and `kept` hold executions; resolves the executions `lost` holds.
 * @param {FakeAkool} fake @param {string} marker @param {{ lost: import('./cluster.mjs').Spawned, kept: import('./cluster.mjs').Spawned }} workers
 */
export async function heldWhenBothBusy(fake, marker, { lost, kept }) {
	return await until(
		async () => {
			const creates = createsOf(await fake.requests(), marker).length;
			const [l, k] = await Promise.all([lost.logs(), kept.logs()]).then((logs) => logs.map(openExecutions));
			return creates === EXECUTIONS * PROMPTS && l.length > 0 && k.length > 0 ? l : undefined;
		},
		60_000,
		'all creates and executions on both workers',
		500,
	);
}

/**
 * The crash run: EXECUTIONS executions with long fake jobs; once every execution has created its
 * jobs and both workers hold executions, worker 1 is SIGKILLed by its PID. Then: every execution of
 * worker 2 succeeds complete, no execution succeeds with images missing, what n8n did with worker 1's
 * executions (status, error, whether any worker started them again), the creates the fake counted.
 * @param {Cluster} c @param {FakeAkool} fake @param {string} marker @param {number} settleMs
 */
async function crashRun(c, fake, marker, settleMs) {
	return await withJobDuration(fake, [15_000, 20_000], async () => {
		const lastBefore = await lastExecutionId(c, WF.load);
		const run = startLoad(c, marker, settleMs);
		const [victim, survivor] = c.workers;
		const dead = await heldWhenBothBusy(fake, marker, { lost: victim, kept: survivor });
		const killedAt = Date.now();
		process.kill(victim.pid, 'SIGKILL');
		await victim.exited;
		await stopTracked(victim); // the rest of its process group (task runner), if any
		const answers = await run.answers;
		const answeredAt = Date.now();
		// give n8n time to do whatever it does next (a re-run would create again)
		await sleep(5_000);
		const rows = (await c.db.find({ workflowIds: [WF.load], withData: true })).filter((e) => Number(e.id) > lastBefore);
		assert.equal(rows.length, EXECUTIONS, `${rows.length} executions of this run in the database`);
		for (const id of dead) assert.ok(rows.some((e) => e.id === id), `dead execution ${id} is one of this run`);
		// a dead execution keeps no run data (not even the Webhook's): the survivors are found by their prompts
		const survivors = byRequest(rows.filter((e) => !dead.includes(e.id)), marker);
		assert.equal(survivors.size, EXECUTIONS - dead.length, `${survivors.size} surviving executions found by their prompts`);
		const deadRequests = run.requests.map((_, i) => i).filter((i) => !survivors.has(i));
		const survivorEv = await eventsOf(survivor);
		const rerun = dead.filter((id) => survivorEv.some((x) => x.kind === 'started' && x.executionId === id));
		const creates = createsOf(await fake.requests(), marker);
		const extra = creates.length - EXECUTIONS * PROMPTS;
		const partial = rows.filter((ex) => ex.status === 'success' && (ex.nodes?.['Akool Generate']?.at(-1)?.items.length ?? 0) !== PROMPTS * IMAGES_PER_PROMPT);
		assert.deepEqual(partial.map((e) => e.id), [], 'no execution reports success with images missing');
		for (const [i, ex] of survivors) {
			expectCompleteOutput(ex, run.requests[i]);
			assert.equal(answers[i].status, 200, `surviving execution ${ex.id}: HTTP ${answers[i].status}`);
		}
		const deadStates = dead.map((id) => {
			const ex = /** @type {DbExecution} */ (rows.find((e) => e.id === id));
			return { id, status: ex.status, error: ex.error?.message };
		});
		const deadAnswers = deadRequests.map((i) => answers[i]);
		for (const d of deadStates) assert.notEqual(d.status, 'success', `dead execution ${d.id} does not report success`);
		for (const a of deadAnswers) assert.notEqual(a.status, 200, `a dead execution's caller got HTTP 200: ${a.text.slice(0, 200)}`);
		assert.deepEqual(rerun, [], 'no dead execution was started again by the other worker');
		assert.equal(extra, 0, `extra creates at the fake: ${extra}`);
		const deadPrompts = new Set(deadRequests.flatMap((i) => run.requests[i].prompts.map((p) => p.prompt)));
		const jobs = await fake.jobs();
		const deadJobIds = jobs.filter((j) => deadPrompts.has(j.prompt)).sort((a, b) => a.createdAt - b.createdAt).map((j) => j.id);
		assert.equal(deadJobIds.length, dead.length * PROMPTS * IMAGES_PER_PROMPT, 'the fake names the dead executions\' paid jobs');
		const statuses = [...new Set(deadStates.map((d) => `${d.status}${d.error ? ` "${d.error.slice(0, 90)}"` : ''}`))].join('; ');
		const https = [...new Set(deadAnswers.map((a) => `HTTP ${a.status} ${a.error ?? a.text.slice(0, 80)}`))].join('; ');
		const detect = Math.max(...deadAnswers.map((a) => a.ms)) - (killedAt - run.t0);
		const line = `worker1 (pid ${victim.pid}) killed holding ${dead.length} executions (${dead.join(', ')}); ${EXECUTIONS - dead.length} on worker2 succeeded complete; dead ones: ${statuses}; their callers got ${https} up to ${(detect / 1000).toFixed(0)} s after the kill; re-run by worker2: ${rerun.length}; creates ${creates.length} (extra ${extra}); paid jobs left at Akool: ${deadJobIds.length}; all answered ${((answeredAt - run.t0) / 1000).toFixed(0)} s after the start`;
		return { line, dead, deadJobIds };
	});
}

/**
 * A crash case: the crash run, the paid jobs of its dead executions kept for the Get Result case,
 * its figure line (in the summary after `summaryLabel: `).
 * @param {import('./context.mjs').QueueContext} ctx @param {string} marker @param {number} settleMs @param {string} summaryLabel
 */
export async function crashCase({ cluster, fake, paid, figure }, marker, settleMs, summaryLabel) {
	const r = await crashRun(cluster, fake, marker, settleMs);
	paid.jobIds.push(...r.deadJobIds);
	paid.executions.push(...r.dead);
	figure(r.line, summaryLabel);
}
