// @ts-check
/**
 * Failures: a business error and a failed job fail the execution (fail-wrong-key.json, fail-job.json);
 * with Continue On Fail they become error items (continue-on-fail.json).
 */
import assert from 'node:assert/strict';

import { expectImageItem, expectItems, pairedIndex } from '../../lib/expect.mjs';
import { jobIdsFor } from '../../lib/workflow-cases.mjs';

/** @typedef {import('../../lib/workflow-cases.mjs').WorkflowCase} WorkflowCase */

/** @type {WorkflowCase} */
export const wrongKey = {
	name: 'Business error fails the execution: wrong API key -> exit 1, Akool error 1101',
	workflow: 'akoolE2eWrongKey',
	ends: 'error',
	check: (r) => {
		assert.match(String(r.error?.message), /^Akool error 1101\b/, `error message: ${r.error?.message}`);
		assert.equal(r.lastNodeExecuted ?? 'Generate with wrong key', 'Generate with wrong key');
	},
};

/** @type {WorkflowCase} */
export const failedJob = {
	name: 'A failed Akool job fails the execution, naming the job ID',
	workflow: 'akoolE2eFailJob1',
	ends: 'error',
	check: (r, ctx) => {
		const created = jobIdsFor(ctx, '[fail] this job fails at Akool');
		assert.equal(created.length, 1, 'one job created');
		const message = String(r.error?.message);
		assert.ok(message.includes(created[0]), `error names the job id ${created[0]}: ${message}`);
		assert.match(message, /failed/);
	},
};

/** @type {WorkflowCase} */
export const continueOnFail = {
	name: 'Continue On Fail: error item for the failed job, good items go through',
	workflow: 'akoolE2eContinue',
	check: (r, ctx) => {
		const items = expectItems(r, 'Generate (continue on fail)', 3);
		assert.deepEqual(items.map(pairedIndex), [0, 1, 2]);
		expectImageItem(items[0], { prompt: 'a green apple' });
		expectImageItem(items[2], { prompt: 'a yellow lemon' });
		const [failedJobId] = jobIdsFor(ctx, '[fail] a job that fails');
		assert.ok(failedJobId, 'the failing job was created');
		assert.equal(typeof items[1].json.error, 'string', 'item 1 is an error item');
		assert.ok(items[1].json.error.includes(failedJobId), `error item names job ${failedJobId}: ${items[1].json.error}`);
		assert.ok(!items[1].binary?.data, 'no binary on the error item');
		const [wrongKeyItem] = expectItems(r, 'Credits with wrong key (continue on fail)', 1);
		assert.match(String(wrongKeyItem.json.error), /^Akool error 1101\b/, 'error item carries Akool code 1101');
		assert.equal(pairedIndex(wrongKeyItem), 0);
	},
};
