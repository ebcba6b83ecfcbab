// @ts-check
/**
 * (e) A result read fails while a final callback checks the run's other job: the execution must keep
 * waiting (the callback gets a non-200, Akool retries) and resume once reads work again.
 */
import assert from 'node:assert/strict';

import { executeWorkflow, sleep } from '../../../../scripts/e2e/n8n.mjs';
import { outputOf } from '../../lib/expect.mjs';
import { planFaults } from '../../lib/fake-akool.mjs';
import { executeEnv } from '../../lib/instance.mjs';
import { CALLBACKS, WF } from './setup.mjs';

/** @param {import('./setup.mjs').CallbackEnv} env */
export async function readErrorCase({ suite, inst, fake, db }) {
	await suite.case('(e) a result read failing during a callback’s check does not end the waiting execution; it resumes later', async () => {
		await fake.setOptions({ durationMs: 4000, callbacks: CALLBACKS });
		await planFaults(fake, {
			kind: 'result',
			faults: [{ always: true, json: { code: 1101, msg: 'Invalid authorization or the request token has expired', data: null } }],
		});
		const seen = new Set((await db.executions(WF.readError)).map((r) => r.id));
		const running = executeEnv(inst).then(async (env) => await executeWorkflow(env, WF.readError, { timeoutMs: 120_000 }));
		try {
			const row = await db.until(async () => {
				const rows = await db.executions(WF.readError);
				return rows.find((r) => !seen.has(r.id) && r.status === 'waiting');
			}, 90_000, 'a waiting execution');
			await running;
			const jobIds = (await fake.jobs()).filter((j) => /a read fails/.test(j.prompt)).map((j) => j.id);
			// Both final callbacks answered at least once while every read fails.
			const finals = async () => (await fake.callbacks()).filter((c) => jobIds.includes(c.jobId) && c.status === 3);
			await db.until(async () => ((await finals()).filter((c) => c.attempts.some((/** @type {any} */ a) => a.httpStatus !== null)).length === 2 ? true : undefined), 30_000, 'both final callbacks answered');
			await sleep(1500);
			const during = (await db.executions(WF.readError)).find((r) => r.id === row.id);
			const answers = (await finals()).map((c) => c.attempts.map((/** @type {any} */ a) => `${a.httpStatus} ${String(a.response).slice(0, 80)}`).join(' > '));
			console.log(`     while reads fail: execution ${during?.status}; final callbacks answered: ${answers.join(' | ')}`);
			if (during?.status !== 'waiting') {
				const { data } = await db.execution(row.id);
				console.log(`     execution ${row.id} ended ${during?.status}: error ${JSON.stringify(data?.resultData?.error?.message ?? null)}, runData nodes ${JSON.stringify(Object.keys(data?.resultData?.runData ?? {}))}, Akool output ${JSON.stringify(outputOf(data, 'Akool').map((i) => i.json)).slice(0, 200)}`);
			}
			assert.equal(during?.status, 'waiting', 'still waiting while the reads fail');
			await planFaults(fake, { kind: 'result', faults: [] });
			const done = await db.finished(WF.readError, row.id, 30_000, { what: 'the execution to resume once reads work' });
			assert.equal(done.status, 'success');
			const { data } = await db.execution(row.id);
			assert.deepEqual(outputOf(data, 'Akool').map((i) => i.json.jobId), jobIds);
		} finally {
			await planFaults(fake, { kind: 'result', faults: [] });
			await running.catch(() => undefined);
		}
	});
}
