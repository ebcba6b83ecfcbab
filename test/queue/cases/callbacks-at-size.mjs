// @ts-check
/**
 * Wait by callback at size across processes: 50 items × 4 images (200 jobs, more than the execution's
 * custom data could keep) start on a worker, which keeps the run in the Akool node's context; the
 * callbacks reach the webhook process, and one of them, replayed to the main process (another
 * process that has seen nothing of the run, as a second webhook process behind a load balancer
 * would), is checked there from the saved execution alone; a worker finishes the resumed run.
 */
import assert from 'node:assert/strict';

import { until } from '../../../scripts/e2e/n8n.mjs';
import { expectCompletedPngs, lastExecutionId, postJson, withJobDuration } from '../lib/load.mjs';
import { eventsOf } from '../lib/logs.mjs';
import { PATHS, SIZE_IMAGES_PER_ITEM, SIZE_ITEMS, WF } from '../lib/settings.mjs';

const JOBS = SIZE_ITEMS * SIZE_IMAGES_PER_ITEM;

export const name = `Callbacks at size: ${SIZE_ITEMS} items × ${SIZE_IMAGES_PER_ITEM} images wait on one execution, a callback replayed to another process is checked there, all ${JOBS} images out in input order`;

/** @param {number} n */
const promptOf = (n) => `callbacks at size p${String(n).padStart(3, '0')}`;

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, db, fake, figure }) {
	// Jobs of 8-12 s: most are still running when the replayed callback is checked.
	await withJobDuration(fake, [8_000, 12_000], async () => {
		const before = await lastExecutionId(cluster, WF.callbackSize);
		const t0 = Date.now();
		const prompts = Array.from({ length: SIZE_ITEMS }, (_, n) => ({ prompt: promptOf(n) }));
		const answer = await postJson(`${cluster.webhookUrl}webhook/${PATHS.callbackSize}`, { prompts }, 30_000);
		assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
		const waiting = await until(
			async () => {
				const found = (await db.find({ workflowIds: [WF.callbackSize] })).find((e) => Number(e.id) > before);
				return found && found.status !== 'new' && found.status !== 'running' ? found : undefined;
			},
			60_000,
			'the execution to wait for the callbacks',
			500,
		);
		const id = waiting.id;
		assert.equal(waiting.status, 'waiting', `status ${waiting.status}`);
		const waitingMs = Date.now() - t0;
		const { data, metadata } = await db.execution(id);
		assert.deepEqual(metadata, [], 'no custom data key taken');
		const kept = JSON.parse(data.executionData?.contextData?.['node:Akool Callback']?.akoolCallback ?? 'null');
		assert.deepEqual(kept?.items?.map((/** @type {any} */ i) => i.jobIds.length), Array(SIZE_ITEMS).fill(SIZE_IMAGES_PER_ITEM), 'the run kept in the node’s context');

		// The first job's final callback, as the fake sent it to the webhook process, replayed to the main.
		const firstJob = kept.items[0].jobIds[0];
		const delivered = await until(
			async () => (await fake.callbacks()).find((d) => d.jobId === firstJob && d.status === 3 && d.attempts.length > 0),
			60_000,
			'the first job’s final callback',
			500,
		);
		const replayUrl = new URL(delivered.url);
		const toMain = await postJson(`${cluster.mainUrl}${replayUrl.pathname}${replayUrl.search}`, delivered.body, 30_000);
		assert.equal(toMain.status, 200, `the main's answer ${toMain.status} ${toMain.text.slice(0, 200)}`);
		assert.match(String(toMain.json?.message), /^(ok: job \w+ is still running|resumed)$/, `the main's answer ${toMain.text.slice(0, 200)}`);

		const row = await db.finished(WF.callbackSize, id, 180_000, { what: 'the resumed execution to finish', everyMs: 1000 });
		const doneMs = Date.now() - t0;
		const [done] = await db.find({ executionIds: [id], withData: true });
		assert.ok(done);
		assert.equal(row.status, 'success', `status ${row.status} ${JSON.stringify(done.error ?? null)}`);
		const items = done.nodes?.After?.at(-1)?.items ?? [];
		assert.equal(items.length, JOBS, `${items.length} items after the resume`);
		assert.deepEqual(
			items.map((it) => it.json.prompt),
			Array.from({ length: JOBS }, (_, k) => promptOf(Math.floor(k / SIZE_IMAGES_PER_ITEM))),
			'images in input order',
		);
		assert.deepEqual(items.map((it) => it.json.jobId), kept.items.flatMap((/** @type {any} */ i) => i.jobIds), 'the kept jobs, in order');
		expectCompletedPngs(items);
		const creates = (await fake.requests()).filter((r) => r.kind === 'create' && String(r.body?.prompt).startsWith('callbacks at size '));
		assert.equal(creates.length, SIZE_ITEMS, `${creates.length} creates`);
		assert.equal(new Set(creates.map((r) => r.body.prompt)).size, SIZE_ITEMS, 'each create sent once');
		const enqueued = [...(await eventsOf(cluster.webhook)), ...(await eventsOf(cluster.main))].filter((x) => x.executionId === id && x.kind === 'enqueued');
		assert.equal(enqueued.length, 2, `the trigger and the resume enqueued once each: ${JSON.stringify(enqueued.map((x) => x.jobId))}`);
		const mine = (await fake.callbacks()).filter((d) => kept.items.some((/** @type {any} */ i) => i.jobIds.includes(d.jobId)));
		const attempts = mine.flatMap((d) => d.attempts);
		const byStatus = attempts.reduce((/** @type {Record<string, number>} */ n, /** @type {any} */ a) => ({ ...n, [a.httpStatus ?? 'error']: (n[a.httpStatus ?? 'error'] ?? 0) + 1 }), {});
		figure(
			`callbacks at size: execution ${id}, ${JOBS} jobs: waiting ${(waitingMs / 1000).toFixed(1)} s after the webhook call, done after ${(doneMs / 1000).toFixed(1)} s; the main (no memory of the run) answered a replayed final callback "${toMain.json?.message}"; ${mine.length} callbacks, ${attempts.length} attempts by HTTP status ${JSON.stringify(byStatus)}`,
		);
	});
}
