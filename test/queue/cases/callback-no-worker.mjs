// @ts-check
/**
 * Wait by callback with no worker alive: the worker that started the execution is SIGKILLed during
 * the wait (every worker is), the webhook process takes the final callback, and a worker started
 * afterwards (the recommended settings, see context.mjs) finishes it.
 */
import assert from 'node:assert/strict';

import { until } from '../../../scripts/e2e/n8n.mjs';
import { expectCompletedPngs, lastExecutionId, postJson, withJobDuration } from '../lib/load.mjs';
import { eventsOf, startedExecution } from '../lib/logs.mjs';
import { IMAGES_PER_PROMPT, PATHS, WF } from '../lib/settings.mjs';

export const name = 'Callback survives the workers: the worker that started it is SIGKILLed during the wait, no worker is alive when Akool calls back, a worker started later finishes it';

/** @param {any} attempt */
const resumedIt = (attempt) => attempt.httpStatus === 200 && /resumed/.test(attempt.response);

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, db, fake, figure, recommendedWorkers }) {
	await withJobDuration(fake, [8_000, 10_000], async () => {
		const alive = cluster.workers.filter((w) => w.alive());
		assert.ok(alive.length > 0, 'a worker is alive');
		const before = await lastExecutionId(cluster, WF.callback);
		const prompt = 'callback survives the workers';
		const answer = await postJson(`${cluster.webhookUrl}webhook/${PATHS.callback}`, { prompt }, 30_000);
		assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
		const ex = await until(
			async () => {
				const found = (await db.find({ workflowIds: [WF.callback] })).find((e) => Number(e.id) > before);
				return found?.status === 'waiting' ? found : undefined;
			},
			30_000,
			'the execution to wait for the callbacks',
			500,
		);
		const id = ex.id;
		const ranOn = [];
		for (const w of alive) if (await startedExecution(w, id)) ranOn.push(w);
		assert.equal(ranOn.length, 1, 'one worker ran the part before the wait');
		for (const w of alive) {
			process.kill(w.pid, 'SIGKILL');
			await w.exited;
		}
		const killedAt = Date.now();
		assert.ok(cluster.workers.every((w) => !w.alive()), 'no worker alive');
		// the final callbacks come and are taken by the webhook process, with no worker alive
		const jobIds = (await fake.jobs()).filter((j) => j.prompt === prompt).map((j) => j.id);
		assert.equal(jobIds.length, IMAGES_PER_PROMPT, `${jobIds.length} jobs created`);
		const mine = await until(
			async () => {
				const deliveries = (await fake.callbacks()).filter((d) => jobIds.includes(d.jobId));
				return deliveries.some((d) => d.attempts.some(resumedIt)) ? deliveries : undefined;
			},
			40_000,
			'a callback to resume the execution',
			500,
		);
		const statusWhileNoWorker = (await db.find({ executionIds: [id] }))[0]?.status;
		assert.notEqual(statusWhileNoWorker, 'success', 'not finished while no worker is alive');
		await recommendedWorkers();
		await db.finished(WF.callback, id, 60_000, { what: 'the resumed execution to finish on a new worker', everyMs: 1000 });
		const [done] = await db.find({ executionIds: [id], withData: true });
		assert.ok(done);
		assert.equal(done.status, 'success', `status ${done.status} ${JSON.stringify(done.error ?? null)}`);
		const items = done.nodes?.After?.at(-1)?.items ?? [];
		assert.deepEqual(items.map((it) => it.json.jobId).sort(), [...jobIds].sort(), 'the created jobs are the output');
		expectCompletedPngs(items);
		const hookEnq = (await eventsOf(cluster.webhook)).filter((x) => x.executionId === id && x.kind === 'enqueued');
		assert.equal(hookEnq.length, 2, 'the webhook process enqueued the trigger and the resume');
		const newRuns = [];
		for (const w of cluster.workers) if ((await eventsOf(w)).some((x) => x.kind === 'started' && x.executionId === id && x.jobId === hookEnq[1].jobId)) newRuns.push(w.pid);
		assert.equal(newRuns.length, 1, 'a worker started after the kill ran the resume job');
		const creates = (await fake.requests()).filter((r) => r.kind === 'create' && r.body?.prompt === prompt).length;
		assert.equal(creates, 1, `one create (${creates})`);
		const resumedAt = mine.flatMap((d) => d.attempts).find(resumedIt)?.at;
		figure(`callback with no worker alive: execution ${id} started on pid ${ranOn[0].pid} and waited; every worker SIGKILLed; ${((resumedAt - killedAt) / 1000).toFixed(1)} s later the webhook process answered the final callback "resumed" (execution status then: ${statusWhileNoWorker}); a worker started afterwards (pid ${newRuns[0]}) finished it: ${items.length} images, 1 create`);
	});
}
