// @ts-check
/**
 * (d) No callback comes: the wait times out (n8n's WaitTracker checks once a minute, so up to ~60 s
 * late) and the node outputs its input items unchanged. Started first, checked last.
 * AKOOL_E2E_SKIP_TIMEOUT=1 leaves it out.
 */
import assert from 'node:assert/strict';

import { executeWorkflow } from '../../../../scripts/e2e/n8n.mjs';
import { outputOf } from '../../lib/expect.mjs';
import { executeEnv } from '../../lib/instance.mjs';
import { WAIT_JOB_MS, WF } from './setup.mjs';

const SKIP_TIMEOUT = process.env.AKOOL_E2E_SKIP_TIMEOUT === '1';

/** @typedef {{ row: import('../../../../scripts/e2e/n8n.mjs').ExecutionRow, startedAt: number }} TimeoutRun */

/**
 * A run whose callback will not come in time (its job takes 10 minutes), left waiting; undefined when
 * skipped or when it did not start waiting (a failure of the suite).
 * @param {import('./setup.mjs').CallbackEnv} env @returns {Promise<TimeoutRun | undefined>}
 */
export async function startTimeoutRun({ suite, inst, fake, db }) {
	if (SKIP_TIMEOUT) {
		await fake.setOptions({ durationMs: WAIT_JOB_MS });
		return undefined;
	}
	await fake.setOptions({ durationMs: 600_000 });
	const r = await executeWorkflow(await executeEnv(inst), WF.timeout, { timeoutMs: 120_000 });
	await fake.setOptions({ durationMs: WAIT_JOB_MS });
	const rows = await db.executions(WF.timeout);
	const row = rows.at(-1);
	if (r.status !== 'waiting' || !row) {
		suite.fail(`(d) setup: n8n execute ended ${r.status} (exit ${r.exitCode}), executions ${JSON.stringify(rows)}`);
		return undefined;
	}
	return { row, startedAt: Date.now() };
}

/** @param {import('./setup.mjs').CallbackEnv} env @param {TimeoutRun} run */
export async function timeoutCase({ suite, db }, run) {
	await suite.case('(d) no callback in time: the wait times out and the node outputs its input items unchanged', async () => {
		const id = run.row.id;
		const waitTill = Date.parse(String(run.row.waitTill));
		const row = await db.finished(WF.timeout, id, Math.max(0, waitTill - Date.now()) + 100_000, { what: `execution ${id} to time out` });
		const { data } = await db.execution(id);
		assert.equal(row.status, 'success', `status ${row.status}`);
		const input = outputOf(data, 'One item');
		const output = outputOf(data, 'Akool');
		assert.deepEqual(output.map((i) => i.json), input.map((i) => i.json), 'the input items, unchanged');
		assert.deepEqual(output.map((i) => i.json), [{ prompt: 'a job whose callback never comes', tag: 'input-kept' }]);
		assert.equal(outputOf(data, 'After').length, 1);
		console.log(`     resumed by n8n's timeout check ${((Date.parse(String(row.stoppedAt)) - waitTill) / 1000).toFixed(1)} s after waitTill`);
	});
}
