// @ts-check
/**
 * (b) The Akool node waits by callback: `n8n execute` leaves the execution 'waiting' and exits, each
 * create names the execution's resume URL; (c) while it waits, a forged callback (401), a wrong n8n
 * token (401), a wrong nonce (200, ignored) and a GET (404) do not resume it.
 */
import assert from 'node:assert/strict';

import { executeWorkflow } from '../../../../scripts/e2e/n8n.mjs';
import { callbackBody } from '../../lib/fake-akool.mjs';
import { http, post } from '../../lib/http.mjs';
import { executeEnv } from '../../lib/instance.mjs';
import { secs } from '../../lib/suite.mjs';
import { CALLBACKS, SECRETS, WF } from './setup.mjs';

const WAIT_NODE_ID = '9b0e7d52-1c3a-4e6f-8a2b-0000000000ac';
const WAITING_PROMPT = /waiting for a callback/;

/** The fake's jobs of the waiting run. @param {import('../../lib/instance.mjs').FakeAkool} fake @returns {Promise<any[]>} */
export const waitingJobs = async (fake) => (await fake.jobs()).filter((j) => WAITING_PROMPT.test(j.prompt));

/**
 * The waiting execution as the cases found it: its row, its resume URL, when `n8n execute` started
 * and when the execution was first seen waiting.
 * @typedef {{ row: import('../../../../scripts/e2e/n8n.mjs').ExecutionRow | undefined, webhookUrl: string, tExec: number, seenAt: number }} Waiting
 */

/** @param {import('./setup.mjs').CallbackEnv} env @returns {Promise<Waiting>} */
export async function waitCases({ suite, inst, fake, server, db, notes }) {
	// Processing callbacks at once, while the node still waits for the create answers: they reach n8n
	// while the execution runs (n8n answers 409, the fake retries).
	await fake.setOptions({ callbacks: { ...CALLBACKS, processingDelayMs: 0, holdAnswerMs: 1500 } });
	const before = new Set((await db.executions(WF.wait)).map((r) => r.id));
	/** @type {Waiting} */
	const waiting = { row: undefined, webhookUrl: '', tExec: Date.now(), seenAt: 0 };
	const executing = executeEnv(inst).then(async (env) => await executeWorkflow(env, WF.wait, { timeoutMs: 120_000 }));
	await suite.case('(b) n8n execute leaves the execution waiting (saved, no process held) and exits', async () => {
		const row = await db.until(async () => {
			const rows = await db.executions(WF.wait);
			return rows.find((r) => !before.has(r.id) && r.status === 'waiting');
		}, 90_000, 'a waiting execution');
		waiting.row = row;
		waiting.seenAt = Date.now();

		assert.ok(row.waitTill, 'waitTill is set');
		const waitMs = Date.parse(String(row.waitTill)) - Date.now();
		assert.ok(waitMs > 500_000 && waitMs <= 600_000, `waitTill ~ now + 600 s (timeout option), got ${waitMs} ms`);
		const r = await executing;
		assert.ok(!r.timedOut, 'n8n execute returned');
		assert.equal(r.status, 'waiting', `n8n execute printed status ${r.status}`);
		if (r.exitCode !== 0) notes.push(`n8n execute exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''} after printing the waiting run`);
		const { data } = await db.execution(row.id);
		assert.equal(data.resultData.lastNodeExecuted, 'Akool');
		const kept = JSON.parse(data.executionData?.contextData?.['node:Akool']?.akoolCallback ?? 'null');
		assert.deepEqual(kept?.items?.map((/** @type {any} */ i) => i.jobIds.length), [2, 2], `the run in the node's context: ${JSON.stringify(kept)}`);
		console.log(`     execution ${row.id} waiting ${secs(waiting.tExec)} after n8n execute started; n8n execute took ${(r.ms / 1000).toFixed(1)} s; kept ${JSON.stringify(kept)}`);
	});

	const creates = (await fake.requests()).filter((q) => q.kind === 'create' && WAITING_PROMPT.test(String(q.body?.prompt)));
	const webhookUrl = String(creates[0]?.body?.webhookurl ?? '');
	waiting.webhookUrl = webhookUrl;
	await suite.case('(b) each create named the execution’s resume URL + /<node id> + a nonce', async () => {
		assert.equal(creates.length, 2, 'one create per item');
		assert.ok(waiting.row, 'a waiting execution');
		for (const q of creates) assert.equal(q.body.webhookurl, webhookUrl, 'the same URL for both items');
		const url = new URL(webhookUrl);
		assert.equal(url.origin, server.url);
		assert.equal(url.pathname, `/webhook-waiting/${waiting.row.id}/${WAIT_NODE_ID}`);
		assert.match(String(url.searchParams.get('signature')), /^[0-9a-f]{64}$/);
		assert.match(String(url.searchParams.get('n')), /^[0-9a-f]{16}$/);
	});

	await suite.case('(c) forged, wrong-token, wrong-nonce and GET calls to the waiting execution do not resume it', async () => {
		const waitingRow = waiting.row;
		assert.ok(waitingRow && webhookUrl, 'a waiting execution and its URL');
		const jobs = await waitingJobs(fake);
		const resultReads = async () => (await fake.requests()).filter((q) => q.kind === 'result').length;
		const readsBefore = await resultReads();
		const genuineFinal = () => callbackBody({ _id: jobs[0].id, status: 3, type: 'image', url: `${fake.cdnBaseUrl}/images/${jobs[0].id}.png` }, SECRETS);
		const forged = await post(webhookUrl, { ...genuineFinal(), signature: '0'.repeat(40) });
		assert.equal(forged.status, 401, `forged: ${forged.status} ${forged.text}`);
		assert.deepEqual(forged.json, { message: 'rejected: bad signature' });

		const wrongToken = new URL(webhookUrl);
		wrongToken.searchParams.set('signature', 'a'.repeat(64));
		const token = await post(wrongToken.toString(), genuineFinal());
		assert.equal(token.status, 401, `wrong n8n token: ${token.status} ${token.text}`);

		const wrongNonce = new URL(webhookUrl);
		wrongNonce.searchParams.set('n', '0123456789abcdef');
		const nonce = await post(wrongNonce.toString(), genuineFinal());
		assert.equal(nonce.status, 200, `wrong nonce: ${nonce.status} ${nonce.text}`);
		assert.deepEqual(nonce.json, { message: 'ignored: not for this run' });

		const get = await http(webhookUrl);
		assert.equal(get.status, 404, `GET: ${get.status} ${get.text.slice(0, 200)}`);

		const row = (await db.executions(WF.wait)).find((r) => r.id === waitingRow.id);
		assert.equal(row?.status, 'waiting', `still waiting (got ${row?.status})`);
		assert.equal(row?.waitTill, waitingRow.waitTill, 'waitTill unchanged');
		assert.equal(await resultReads(), readsBefore, 'the rejected calls read nothing');
		const stillRunning = jobs.filter((j) => j.status !== 3 && j.status !== 4);
		assert.ok(stillRunning.length > 0, 'the probes ran before the jobs finished (the case proves nothing otherwise)');
	});
	return waiting;
}
