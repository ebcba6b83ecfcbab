// @ts-check
/**
 * Wait by callback across processes (before any worker is lost): the execution starts on a worker,
 * the webhook process takes Akool's signed callback at WEBHOOK_URL and enqueues the resume, a worker
 * finishes it.
 */
import assert from 'node:assert/strict';

import { expectCompletedPngs, postJson } from '../lib/load.mjs';
import { eventsOf } from '../lib/logs.mjs';
import { IMAGES_PER_PROMPT, PATHS, WF } from '../lib/settings.mjs';

export const name = 'Callback: started on a worker, resumed by the webhook process (signed callback at WEBHOOK_URL), finished on a worker';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, db, fake, figure }) {
	const answer = await postJson(`${cluster.webhookUrl}webhook/${PATHS.callback}`, { prompt: 'callback across processes' }, 30_000);
	assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
	const started = await db.until(async () => (await db.executions(WF.callback)).at(-1), 90_000, 'the callback execution', 1000);
	await db.finished(WF.callback, started.id, 90_000, { what: 'the callback execution to finish', everyMs: 1000 });
	const [ex] = await db.find({ executionIds: [started.id], withData: true });
	assert.ok(ex);
	assert.equal(ex.status, 'success', `status ${ex.status} ${JSON.stringify(ex.error ?? null)}`);
	const items = ex.nodes?.After?.at(-1)?.items ?? [];
	assert.equal(items.length, IMAGES_PER_PROMPT, `${items.length} items after the resume`);
	expectCompletedPngs(items);
	const id = ex.id;
	const [w1, w2] = await Promise.all(cluster.workers.map(eventsOf));
	const ran = [...w1.map((x) => ({ ...x, worker: 'worker1' })), ...w2.map((x) => ({ ...x, worker: 'worker2' }))].filter((x) => x.executionId === id && x.kind === 'started');
	assert.equal(ran.length, 2, `two worker jobs for execution ${id} (before and after the wait): ${JSON.stringify(ran.map((r) => [r.worker, r.jobId]))}`);
	const hookEnq = (await eventsOf(cluster.webhook)).filter((x) => x.executionId === id && x.kind === 'enqueued');
	const mainEnq = (await eventsOf(cluster.main)).filter((x) => x.executionId === id && x.kind === 'enqueued');
	assert.equal(hookEnq.length, 2, `the webhook process enqueued both jobs (trigger and resume): ${JSON.stringify(hookEnq.map((x) => x.jobId))}`);
	assert.equal(mainEnq.length, 0, 'the main enqueued nothing for it');
	const resumeJob = hookEnq[1].jobId;
	assert.ok(ran.some((r) => r.jobId === resumeJob), 'the resume job ran on a worker');
	const cbs = await fake.callbacks();
	const jobIds = items.map((it) => it.json.jobId);
	const mine = cbs.filter((d) => jobIds.includes(d.jobId));
	assert.ok(mine.length >= IMAGES_PER_PROMPT, `${mine.length} callbacks for the execution's jobs`);
	for (const d of mine) {
		assert.ok(d.url.startsWith(`${cluster.webhookUrl}webhook-waiting/${id}/`), `callback URL ${d.url} is the WEBHOOK_URL (webhook process)`);
	}
	const resumed = mine.flatMap((d) => d.attempts).filter((/** @type {any} */ a) => a.httpStatus === 200 && /resumed/.test(a.response));
	assert.equal(resumed.length, 1, `exactly one callback resumed the execution (${resumed.length})`);
	figure(`callback: execution ${id}: trigger job ${hookEnq[0].jobId} on ${ran.find((r) => r.jobId === hookEnq[0].jobId)?.worker}, resumed by the webhook process (pid ${cluster.webhook.pid}) from a signed callback to ${new URL(mine[0].url).origin}, resume job ${resumeJob} on ${ran.find((r) => r.jobId === resumeJob)?.worker}; ${mine.length} callbacks, ${mine.reduce((n, d) => n + d.attempts.length, 0)} attempts`);
}
