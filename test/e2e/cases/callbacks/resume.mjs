// @ts-check
/**
 * (b) continued: the fake's callbacks reach `n8n start`, which resumes the waiting execution to
 * 'success' with the items polling gives; no result read before the first final callback; four final
 * callbacks at once resume it exactly once.
 */
import assert from 'node:assert/strict';

import { expectStoredPng, outputOf, pairedIndex } from '../../lib/expect.mjs';
import { imageSize } from '../../lib/fake-akool.mjs';
import { WF } from './setup.mjs';
import { waitingJobs } from './wait.mjs';

/** @param {any} attempt */
const answeredResumed = (attempt) => /"resumed"/.test(attempt.response);

/**
 * The result reads and downloads of the waiting run's jobs, and the callbacks the fake sent for them.
 * @param {import('../../lib/instance.mjs').FakeAkool} fake
 */
async function waitingRunTraffic(fake) {
	const jobIds = new Set((await waitingJobs(fake)).map((j) => j.id));
	const requests = await fake.requests();
	return {
		jobIds,
		reads: requests.filter((q) => q.kind === 'result' && jobIds.has(q.query.image_model_id)),
		downloads: requests.filter((q) => q.kind === 'download' && [...jobIds].some((id) => q.path.includes(id))),
		callbacks: (await fake.callbacks()).filter((c) => jobIds.has(c.jobId)),
	};
}

/** @param {import('./setup.mjs').CallbackEnv} env @param {import('./wait.mjs').Waiting} waiting */
export async function resumeCases({ suite, inst, fake, db, notes }, waiting) {
	/** @type {import('../../../../scripts/e2e/n8n.mjs').Execution | undefined} */
	let finished;
	await suite.case('(b) the fake’s callbacks resume it: success, 4 images of their items’ prompts, PNGs stored, next node ran', async () => {
		assert.ok(waiting.row, 'a waiting execution');
		const id = waiting.row.id;
		const row = await db.finished(WF.wait, id, 90_000);
		finished = await db.execution(id);
		assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(finished.data?.resultData?.error ?? null).slice(0, 500)}`);
		const items = outputOf(finished.data, 'Akool');
		assert.equal(items.length, 4, `4 items: ${JSON.stringify(items.map((i) => i.json)).slice(0, 600)}`);
		const promptOf = new Map((await waitingJobs(fake)).map((j) => [j.id, j.prompt]));
		assert.deepEqual(
			items.map((i) => promptOf.get(i.json.jobId)),
			['a lighthouse waiting for a callback', 'a lighthouse waiting for a callback', 'a fox waiting for a callback', 'a fox waiting for a callback'],
			'item 0’s two jobs, then item 1’s',
		);
		assert.equal(new Set(items.map((i) => i.json.jobId)).size, 4, 'four distinct jobs');
		assert.deepEqual(items.map((i) => i.json.batchIndex), [0, 1, 0, 1]);
		const ids = [];
		for (const item of items) {
			assert.equal(item.json.status, 'completed');
			assert.equal(item.json.statusCode, 3);
			assert.equal(item.json.imageUrl, `${fake.cdnBaseUrl}/images/${item.json.jobId}.png`);
			assert.equal(item.binary?.data?.fileName, `akool-${item.json.jobId}.png`);
			ids.push(await expectStoredPng(inst.userFolder, item, imageSize('1:1', '1080p')));
		}
		if (ids.some((b) => b.includes('/temp/'))) notes.push(`the resumed run's binaries are stored under executions/temp/ (n8n renames them only for mode 'webhook'): ${ids[0]}`);
		const after = outputOf(finished.data, 'After');
		assert.equal(after.length, 4, 'the next node ran on the 4 items');
		const nulls = Object.entries(items[0].json).filter(([, v]) => v === null).map(([k]) => k);
		if (nulls.length) notes.push(`resumed item fields that are null: ${nulls.join(', ')} (polling fills them)`);
	});

	await suite.expectedFailure(
		'(b) the resumed items are paired with their input items 0,0,1,1, as polling pairs them',
		'n8n 2.41.1 re-pairs a resumed node\'s items by position (WorkflowExecute.addPairedItemLineage)',
		async () => {
			const items = outputOf(finished?.data, 'Akool');
			assert.equal(items.length, 4, 'four items');
			assert.deepEqual(items.map(pairedIndex), [0, 0, 1, 1]);
		},
	);

	await suite.case('(b) zero result reads before the first final callback; the callback answers as seen by the fake', async () => {
		const { reads, callbacks: mine } = await waitingRunTraffic(fake);
		assert.equal(mine.length, 8, `a processing and a final callback per job (${mine.length})`);
		const finals = mine.filter((c) => c.status === 3);
		const firstFinal = Math.min(...finals.map((c) => c.attempts[0]?.at ?? Infinity));
		const early = reads.filter((q) => q.at < firstFinal);
		assert.equal(early.length, 0, `result reads before the first final callback: ${early.length}`);
		const resumedBy = finals.find((c) => c.attempts.some(answeredResumed));
		assert.ok(resumedBy, 'one final callback got "resumed"');
		const resumedAttempt = resumedBy.attempts.find(answeredResumed);
		const lastFinalAt = Math.max(...finals.map((c) => c.attempts[0]?.at ?? 0));
		const stoppedAt = Date.parse(String(finished?.entity.stoppedAt));
		const answers = mine.map((c) => `${c.status === 2 ? 'processing' : 'final'}:${c.attempts.map((/** @type {any} */ a) => a.httpStatus ?? 'x').join('>')}`);
		console.log(`     callbacks (status: answers per attempt): ${answers.join(' ')}`);
		const t = (/** @type {number} */ at) => `${((at - waiting.tExec) / 1000).toFixed(1)}s`;
		for (const c of mine) {
			for (const a of c.attempts) console.log(`       ${c.jobId.slice(-4)} status ${c.status} sent +${t(a.at)} answered +${t(a.doneAt)} ${a.httpStatus} ${String(a.response).slice(0, 100)}`);
		}
		console.log(`       execution waiting seen at +${t(waiting.seenAt)}`);
		console.log(`     result reads: ${reads.length} for 4 images (${(reads.length / 4).toFixed(2)} per image); downloads ${(await fake.stats())?.downloads}`);
		console.log(`     resumed by job ${resumedBy.jobId}'s final callback: answered ${resumedAttempt.doneAt - resumedAttempt.at} ms after it was sent; execution stopped ${stoppedAt - resumedAttempt.at} ms after that callback was sent, ${stoppedAt - lastFinalAt} ms after the last final callback was first sent`);
		for (const c of mine) {
			for (const a of c.attempts) {
				if (a.httpStatus !== 200) notes.push(`callback ${c.status} for ${c.jobId.slice(-6)}: ${a.httpStatus ?? a.error} ${String(a.response).slice(0, 120)}`);
			}
		}
	});

	await suite.case('(b) four final callbacks at once: resumed once, at most 2 result reads and 1 download per image, no 5xx', async () => {
		const { jobIds, reads, downloads, callbacks } = await waitingRunTraffic(fake);
		const finals = callbacks.filter((c) => c.status !== 2);
		const answers = finals.flatMap((c) => c.attempts.map((/** @type {any} */ a) => a.httpStatus));
		const resumes = finals.flatMap((c) => c.attempts).filter(answeredResumed);
		assert.equal(resumes.length, 1, `one callback answered "resumed" (${resumes.length})`);
		assert.ok(reads.length <= 2 * jobIds.size, `result reads ${reads.length} for ${jobIds.size} images`);
		assert.equal(downloads.length, jobIds.size, `downloads ${downloads.length} for ${jobIds.size} images`);
		assert.ok(!answers.some((s) => s >= 500), `n8n answered the final callbacks ${answers.join(', ')}`);
	});
}
