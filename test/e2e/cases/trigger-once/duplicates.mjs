// @ts-check
/**
 * (a) Akool's callbacks for 4 jobs start one execution each; (b) Akool's retry and a replay of a
 * delivered callback are answered 200 "ignored" without an execution; (c) also after n8n restarts;
 * (d) copies at once of a callback n8n has not seen reach the next node once.
 */
import assert from 'node:assert/strict';

import { sleep } from '../../../../scripts/e2e/n8n.mjs';
import { callbackBody } from '../../lib/fake-akool.mjs';
import { DUPLICATE, createJobs, deliveredFinals, postCopies, receivedPerJob, triggerRuns } from '../../lib/trigger-once.mjs';
import { API_KEY, SECRETS, WF } from './setup.mjs';

/** Time for anything a request started to show in the database. */
export const SETTLE_MS = 2000;

/** @param {import('./setup.mjs').TriggerOnceEnv} env @returns {Promise<string[]>} the 4 jobs */
export async function duplicateCases({ suite, fake, db, url, restart }) {
	/** @type {string[]} */
	let jobs = [];
	/** @type {any[]} */
	let finals = [];
	await suite.case('(a) Akool’s callbacks for 4 jobs (one failed): one execution each, the next node gets each job once', async () => {
		jobs = await createJobs(fake, API_KEY, url, ['a cat', 'a dog', '[fail] a bird', 'a fish']);
		finals = await deliveredFinals(fake, jobs);
		const runs = await triggerRuns(db, WF.once);
		assert.equal(runs.length, 4, `executions: ${JSON.stringify(runs)}`);
		assert.deepEqual(receivedPerJob(runs), Object.fromEntries(jobs.map((id) => [id, 1])));
		assert.deepEqual(finals.map((d) => d.status).sort(), [3, 3, 3, 4]);
		const processing = (await fake.callbacks()).filter((d) => jobs.includes(d.jobId) && d.status === 2);
		assert.ok(processing.every((d) => /status not selected/.test(d.attempts.at(-1)?.response)), 'processing callbacks acknowledged and ignored');
	});

	/** Every final callback's very body again, `copies` at once each: 200 "ignored", no execution. @param {number} copies */
	const resendAll = async (copies) => {
		const before = (await triggerRuns(db, WF.once)).length;
		const attempts = (await Promise.all(finals.map((d) => fake.resendCallback({ jobId: d.jobId, status: d.status, copies })))).flat();
		await sleep(SETTLE_MS);
		for (const a of attempts) assert.deepEqual([a.httpStatus, JSON.parse(a.response).message], [200, DUPLICATE], `answer ${a.httpStatus} ${a.response}`);
		assert.equal((await triggerRuns(db, WF.once)).length, before, 'no execution for a duplicate');
	};
	await suite.case('(b) Akool’s retry (the very body again) and a replay (3 copies at once): 200 "ignored", no execution', async () => {
		await resendAll(1);
		await resendAll(3);
	});

	await suite.case('(c) n8n restarted: a copy is still 200 "ignored", no execution', async () => {
		await restart();
		await resendAll(1);
	});

	await suite.case('(d) 5 copies at once of a callback n8n has not seen: the next node gets it once', async () => {
		const before = (await triggerRuns(db, WF.once)).length;
		const answers = await postCopies(url, callbackBody({ _id: 'e2e-concurrent-job', status: 4, type: 'image' }, SECRETS), 5);
		await sleep(SETTLE_MS);
		const runs = (await triggerRuns(db, WF.once)).slice(before);
		assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers));
		assert.equal(receivedPerJob(runs)['e2e-concurrent-job'], 1, `executions ${JSON.stringify(runs)}`);
		assert.ok(runs.every((r) => r.status === 'success'), JSON.stringify(runs));
		suite.measured(`5 copies at once of an unseen callback: answers ${JSON.stringify(answers.map((a) => a.message))}; ${runs.length} executions, ${runs.filter((r) => !r.received).length} of them ended at the trigger`);
	});
	return jobs;
}
