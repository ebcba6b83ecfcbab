// @ts-check
/**
 * Get Result with the job IDs the crash cases' dead executions left at Akool (already paid): their
 * images come back, and nothing is created.
 */
import assert from 'node:assert/strict';

import { postJson } from '../lib/load.mjs';
import { PATHS, WF } from '../lib/settings.mjs';

export const name = 'Get Result with the job IDs of the dead executions returns their (already paid) images, creating nothing';

/** @param {any[]} requests the fake's requests */
const createCount = (requests) => requests.filter((r) => r.kind === 'create').length;

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, db, fake, paid, figure }) {
	assert.ok(paid.jobIds.length > 0, 'the crash cases left paid jobs behind');
	const creates0 = createCount(await fake.requests());
	const ans = await postJson(`${cluster.webhookUrl}webhook/${PATHS.getResult}`, { jobIds: paid.jobIds.join(', ') }, 120_000);
	assert.equal(ans.status, 200, `HTTP ${ans.status} ${ans.error ?? ans.text.slice(0, 300)}`);
	assert.ok(Array.isArray(ans.json), 'items answered');
	assert.equal(ans.json.length, paid.jobIds.length, `${ans.json.length} items for ${paid.jobIds.length} job IDs`);
	assert.deepEqual(ans.json.map((/** @type {any} */ j) => j.jobId), paid.jobIds, 'one item per job ID, in order');
	ans.json.forEach((/** @type {any} */ j) => assert.equal(j.status, 'completed', `${j.jobId}: ${j.status}`));
	const ex = (await db.find({ workflowIds: [WF.getResult], withData: true })).at(-1);
	const items = ex?.nodes?.['Akool Get Result']?.at(-1)?.items ?? [];
	assert.equal(items.filter((it) => it.binary?.data?.mimeType === 'image/png').length, paid.jobIds.length, 'every image downloaded');
	const creates1 = createCount(await fake.requests());
	assert.equal(creates1, creates0, 'Get Result created nothing');
	figure(`get result: ${paid.jobIds.length} paid jobs of the ${paid.executions.length} dead executions fetched with Get Result: ${items.length} images, 0 creates`);
}
