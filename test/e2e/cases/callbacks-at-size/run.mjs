// @ts-check
/**
 * The callbacks-at-size suite's run (test/e2e/callbacks-at-size.mjs): the instance and the published
 * workflow, 250 items × 4 images started through its webhook, the waiting execution checked, then
 * the resumed one, with the timeline of the run from the fake's records.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';

import { akoolNode, akoolNodeParameters, binaryFilePath, freePort, N8nDb, untilWebhookServed } from '../../../../scripts/e2e/n8n.mjs';
import { outputOf } from '../../lib/expect.mjs';
import { PNG_SIGNATURE } from '../../lib/fake-akool.mjs';
import { post } from '../../lib/http.mjs';
import { akoolCredential, startInstance, startServer } from '../../lib/instance.mjs';
import { importWorkflows, publishWorkflows } from '../../lib/workflows.mjs';

const ITEMS = 250;
const IMAGES_PER_ITEM = 4;
const JOBS = ITEMS * IMAGES_PER_ITEM;
// A 24-byte API key: AES-192, as Akool's docs describe it.
const API_KEY = 'e2e-callback-key-24chars';
const CLIENT_ID = 'e2e-size-client-1';
const CRED = { id: 'akoolSizeCred001', name: 'Akool (e2e callbacks at size)' };
const WF_ID = 'akoolCbSize00001';
const HOOK_PATH = 'akool-callbacks-at-size';
/**
 * Jobs of 20-40 s, as the benchmark's; callbacks retried every 5 s (Akool's own policy is not
 * documented), 30 times at most. Measured: with a retry every second, 2,000 callbacks of one run kept
 * n8n's sqlite so busy that it answered everything "Database is not ready!" (503) for a minute.
 */
const FAKE_ARGS = ['--duration-ms', '20000-40000', '--callbacks', CLIENT_ID, '--callback-retry-ms', '5000', '--callback-max-attempts', '30'];

/** @param {number} n */
const promptOf = (n) => `item ${String(n).padStart(3, '0')} waiting by callback`;

/**
 * @typedef {{ suite: import('../../lib/suite.mjs').Suite, inst: import('../../lib/instance.mjs').Instance,
 *   fake: import('../../lib/instance.mjs').FakeAkool, server: import('../../../../scripts/e2e/n8n.mjs').N8nServer,
 *   db: N8nDb, startedAt: number }} SizeRun
 * @typedef {import('../../../../scripts/e2e/n8n.mjs').ExecutionRow} ExecutionRow
 */

/** Webhook (body.prompts) → Split Out → Akool (4 images each, by callback) → After, and → Kept (once). */
function workflow() {
	const node = (/** @type {string} */ name, /** @type {string} */ type, /** @type {number} */ typeVersion, /** @type {number} */ x, /** @type {Record<string, unknown>} */ parameters) => ({
		id: `${WF_ID}-${name.toLowerCase()}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
	});
	const to = (/** @type {string[]} */ ...names) => ({ main: [names.map((name) => ({ node: name, type: 'main', index: 0 }))] });
	return {
		id: WF_ID,
		name: 'e2e: 250 items × 4 images by callback',
		active: false,
		nodes: [
			{ ...node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'onReceived', options: {} }), webhookId: randomUUID() },
			node('Prompts', 'n8n-nodes-base.splitOut', 1, 220, { fieldToSplitOut: 'body.prompts', options: {} }),
			akoolNode({
				id: `${WF_ID}-akool`,
				position: [440, 0],
				parameters: akoolNodeParameters({ numberOfImages: IMAGES_PER_ITEM, waitMode: 'callback', options: { maxImagesPerRun: 0, timeout: 900 } }),
				credential: CRED,
			}),
			node('After', 'n8n-nodes-base.noOp', 1, 660, {}),
			// Once, after the resume: the job IDs a workflow reads from the node's context (README, on Timeout)
			{
				...node('Kept', 'n8n-nodes-base.set', 3.4, 660, {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'kept-items', name: 'items', type: 'number', value: "={{ JSON.parse($('Akool').context.akoolCallback).items.length }}" },
							{ id: 'kept-first', name: 'firstJobIds', type: 'string', value: "={{ JSON.parse($('Akool').context.akoolCallback).items[$itemIndex].jobIds.join(',') }}" },
						],
					},
					options: {},
				}),
				executeOnce: true,
			},
		],
		connections: { Webhook: to('Prompts'), Prompts: to('Akool'), Akool: to('After', 'Kept') },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * The instance, the workflow published, n8n started, and the run's webhook called with 250 prompts.
 * @param {import('../../lib/suite.mjs').Suite} suite @param {string} root @returns {Promise<SizeRun>}
 */
export async function startSizeRun(suite, root) {
	const port = await freePort();
	const { inst, fake } = await startInstance(suite, root, {
		binaryMode: 'filesystem',
		port,
		extra: { WEBHOOK_URL: `http://127.0.0.1:${port}/` },
		apiKey: API_KEY,
		fakeArgs: FAKE_ARGS,
		credentials: (f) => [akoolCredential(CRED, { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: f.baseUrl })],
	});
	await importWorkflows(inst.env, [workflow()]);
	await publishWorkflows(inst.env, [WF_ID]);
	const server = await startServer(suite, inst.env);
	const hook = `${server.url}/webhook/${HOOK_PATH}`;
	await untilWebhookServed(hook);
	console.log(`e2e callbacks at size: n8n ${server.url}, fake Akool ${fake.baseUrl}, ${ITEMS} items × ${IMAGES_PER_ITEM} images`);
	const startedAt = Date.now();
	const answer = await post(hook, { prompts: Array.from({ length: ITEMS }, (_, n) => ({ prompt: promptOf(n) })) });
	assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 200)}`);
	return { suite, inst, fake, server, db: new N8nDb(inst.userFolder), startedAt };
}

/** (a) The waiting execution and the creates. @param {SizeRun} run @returns {Promise<ExecutionRow | undefined>} */
export async function waitCases({ suite, fake, db, startedAt }) {
	/** @type {ExecutionRow | undefined} */
	let waiting;
	await suite.case(`(a) the execution waits with all ${JOBS} job IDs kept in the node's context, no custom data`, async () => {
		const row = await db.until(async () => (await db.executions(WF_ID)).find((r) => !['new', 'running'].includes(r.status)), 120_000, 'the execution to wait', 500);
		assert.equal(row.status, 'waiting', `status ${row.status}`);
		waiting = row;
		const { data, metadata } = await db.execution(row.id);
		assert.deepEqual(metadata, [], 'no custom data key taken');
		const kept = JSON.parse(data.executionData?.contextData?.['node:Akool']?.akoolCallback ?? 'null');
		assert.equal(kept?.items?.length, ITEMS, 'one kept item per input item');
		assert.ok(kept.items.every((/** @type {any} */ item) => item.jobIds.length === IMAGES_PER_ITEM), 'four job IDs per item');
		suite.measured(`waiting ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the webhook call; the run kept in ${JSON.stringify(kept).length} characters of the node's context`);
	});
	await suite.case(`(a) every create was sent once, with the execution's resume URL`, async () => {
		assert.ok(waiting, 'a waiting execution');
		const creates = (await fake.requests()).filter((q) => q.kind === 'create');
		assert.equal(creates.length, ITEMS, `${creates.length} creates`);
		assert.equal(new Set(creates.map((q) => q.body.prompt)).size, ITEMS, 'one create per prompt');
		const urls = new Set(creates.map((q) => q.body.webhookurl));
		assert.equal(urls.size, 1, 'one resume URL');
		assert.match(String([...urls][0]), new RegExp(`/webhook-waiting/${waiting.id}/${WF_ID}-akool\\?`));
		assert.equal((await fake.jobs()).length, JOBS, 'jobs at the fake');
	});
	return waiting;
}

/** (b) The resumed execution. @param {SizeRun} run @param {ExecutionRow | undefined} waiting */
export async function resumeCase({ suite, inst, fake, db }, waiting) {
	await suite.case(`(b) the callbacks resume it: ${JOBS} images in input order, PNGs stored, the next nodes ran`, async () => {
		assert.ok(waiting, 'a waiting execution');
		const row = await db.finished(WF_ID, waiting.id, 600_000, { everyMs: 1000 });
		for (const line of await timeline(fake, row)) suite.measured(line);
		const { data } = await db.execution(waiting.id);
		assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 500)}`);
		const items = outputOf(data, 'Akool');
		assert.equal(items.length, JOBS, `${items.length} items`);
		const promptOfJob = new Map((await fake.jobs()).map((j) => [j.id, j.prompt]));
		assert.deepEqual(
			items.map((i) => promptOfJob.get(i.json.jobId)),
			Array.from({ length: JOBS }, (_, k) => promptOf(Math.floor(k / IMAGES_PER_ITEM))),
			'each item’s images, items in input order',
		);
		assert.deepEqual(items.map((i) => i.json.batchIndex), Array.from({ length: JOBS }, (_, k) => k % IMAGES_PER_ITEM));
		assert.equal(new Set(items.map((i) => i.json.jobId)).size, JOBS, 'distinct jobs');
		assert.ok(items.every((i) => i.json.status === 'completed' && i.binary?.data?.mimeType === 'image/png'), 'every image completed, with its PNG');
		for (const item of [items[0], items[JOBS / 2], items[JOBS - 1]]) {
			const file = await binaryFilePath(inst.userFolder, String(item.binary?.data?.id));
			assert.ok(file, `stored file of ${item.json.jobId}`);
			assert.ok((await fsp.readFile(file)).subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG');
		}
		assert.equal(outputOf(data, 'After').length, JOBS, 'the next node got every image');
		const kept = outputOf(data, 'Kept').map((i) => i.json);
		const firstJobIds = items.slice(0, IMAGES_PER_ITEM).map((i) => i.json.jobId).join(',');
		assert.deepEqual(kept, [{ items: ITEMS, firstJobIds }], 'a later node reads the job IDs from the node’s context');
		const resumes = (await fake.callbacks()).flatMap((d) => d.attempts).filter((a) => a.httpStatus === 200 && a.response === '{"message":"resumed"}');
		assert.ok(resumes.length <= 1, `${resumes.length} callbacks were answered "resumed"`);
	});
}

/**
 * What happened when, from the fake's records and the execution's end.
 * @param {import('../../lib/instance.mjs').FakeAkool} fake @param {ExecutionRow} row
 */
async function timeline(fake, row) {
	const [requests, jobs, deliveries, stats] = await Promise.all([fake.requests(), fake.jobs(), fake.callbacks(), fake.stats()]);
	const at = (/** @type {string} */ kind) => requests.filter((q) => q.kind === kind).map((q) => q.at);
	const t0 = Math.min(...at('create'));
	const s = (/** @type {number} */ t) => `${((t - t0) / 1000).toFixed(1)} s`;
	const span = (/** @type {string} */ kind) => (at(kind).length ? `${s(Math.min(...at(kind)))}-${s(Math.max(...at(kind)))}` : 'none');
	const lastReady = Math.max(...jobs.map((j) => j.readyAt ?? 0));
	const stopped = Date.parse(`${String(row.stoppedAt).replace(' ', 'T')}Z`);
	/** @type {Record<string, number>} */
	const answers = {};
	for (const a of deliveries.flatMap((d) => d.attempts)) {
		const key = `${a.httpStatus ?? 'no answer'} ${String(a.response || a.error || '').slice(0, 60)}`;
		answers[key] = (answers[key] ?? 0) + 1;
	}
	return [
		`from the first create: creates ${span('create')}, last job done ${s(lastReady)}, result reads ${span('result')}, downloads ${span('download')}, execution ended ${s(stopped)} (${((stopped - lastReady) / 1000).toFixed(1)} s after the last job)`,
		`${at('result').length} result reads (${(at('result').length / JOBS).toFixed(2)} per image), ${stats.downloads} downloads; ${stats.callbacks?.deliveries} callbacks (${stats.callbacks?.gaveUp} given up), ${stats.callbacks?.attempts} attempts, answered: ${JSON.stringify(answers)}`,
	];
}
