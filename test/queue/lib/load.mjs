// @ts-check
/**
 * The load the cases put on the cluster: POSTs to its production webhooks, a run of EXECUTIONS
 * executions at once, the executions found again by their prompts, and what each must output.
 */
import assert from 'node:assert/strict';

import { EXECUTIONS, IMAGES_PER_PROMPT, PATHS, PROMPTS, USUAL_JOB_DURATION } from './settings.mjs';

/**
 * @typedef {import('../../../scripts/e2e/n8n.mjs').ExecutionSummary} DbExecution
 * @typedef {import('../../../scripts/e2e/n8n.mjs').FakeAkool} FakeAkool
 * @typedef {import('./cluster.mjs').Cluster} Cluster
 * @typedef {{ prompts: { prompt: string }[] }} LoadRequest
 */

/**
 * POSTs JSON to a production webhook; never throws: the outcome (HTTP status and body, or the
 * network error) and the time it took.
 * @param {string} url @param {any} body @param {number} timeoutMs
 */
export async function postJson(url, body, timeoutMs) {
	const t0 = Date.now();
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, text, json, ms: Date.now() - t0, error: undefined };
	} catch (e) {
		return { status: 0, text: '', json: /** @type {any} */ (undefined), ms: Date.now() - t0, error: /** @type {Error} */ (e).message };
	}
}

/**
 * One load run: EXECUTIONS executions at once through the production webhook, each with PROMPTS
 * prompts `<marker> e<execution> p<prompt>`.
 * @param {Cluster} c @param {string} marker @param {number} timeoutMs
 */
export function startLoad(c, marker, timeoutMs) {
	/** @type {LoadRequest[]} */
	const requests = Array.from({ length: EXECUTIONS }, (_, e) => ({
		prompts: Array.from({ length: PROMPTS }, (_, p) => ({ prompt: `${marker} e${e} p${p}` })),
	}));
	const t0 = Date.now();
	const url = `${c.webhookUrl}webhook/${PATHS.load}`;
	const answers = requests.map((body) => postJson(url, body, timeoutMs));
	return { requests, t0, answers: Promise.all(answers) };
}

/**
 * The executions of a load run (found by the prompts in their data), keyed by request index.
 * @param {DbExecution[]} all @param {string} marker
 */
export function byRequest(all, marker) {
	/** @type {Map<number, DbExecution>} */
	const map = new Map();
	for (const ex of all) {
		const hook = ex.nodes?.Webhook?.[0]?.items?.[0]?.json;
		const first = hook?.body?.prompts?.[0]?.prompt;
		const m = typeof first === 'string' ? new RegExp(`^${marker} e(\\d+) p0$`).exec(first) : null;
		if (m) map.set(Number(m[1]), ex);
	}
	return map;
}

/** The creates the fake received for a load run's prompts. @param {any[]} requests the fake's requests @param {string} marker */
export const createsOf = (requests, marker) => requests.filter((r) => String(r.body?.prompt ?? '').startsWith(`${marker} `));

/** The highest execution ID of a workflow so far (0 when none), to tell a run's executions apart. @param {Cluster} c @param {string} workflowId */
export async function lastExecutionId(c, workflowId) {
	return Math.max(0, ...(await c.db.find({ workflowIds: [workflowId] })).map((e) => Number(e.id)));
}

/**
 * Runs `fn` with the fake's jobs taking `durationMs` ([min, max] ms), then puts the usual back.
 * @template T @param {FakeAkool} fake @param {[number, number]} durationMs @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withJobDuration(fake, durationMs, fn) {
	await fake.setOptions({ durationMs });
	try {
		return await fn();
	} finally {
		await fake.setOptions({ durationMs: USUAL_JOB_DURATION });
	}
}

/** @param {any} item */
const pairedIndex = (item) => {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof p === 'number' ? p : p?.item;
};

/** Every item a completed image with its PNG in binary.data. @param {{ json: any, binary: any }[]} items */
export function expectCompletedPngs(items) {
	items.forEach((it) => {
		assert.equal(it.json.status, 'completed');
		assert.equal(it.binary?.data?.mimeType, 'image/png');
	});
}

/**
 * Checks one execution's output: 10 completed images, in input order (prompt p0..p4, 2 each,
 * batchIndex 0,1, paired to item p), each with its PNG.
 * @param {DbExecution} ex @param {LoadRequest} request
 */
export function expectCompleteOutput(ex, request) {
	assert.equal(ex.status, 'success', `execution ${ex.id} status ${ex.status} (${JSON.stringify(ex.error ?? null)})`);
	const runs = ex.nodes?.['Akool Generate'];
	assert.ok(runs?.length, `execution ${ex.id}: Akool Generate ran`);
	const items = runs[runs.length - 1].items;
	assert.equal(items.length, PROMPTS * IMAGES_PER_PROMPT, `execution ${ex.id}: ${items.length} items`);
	items.forEach((it, i) => {
		const p = Math.floor(i / IMAGES_PER_PROMPT);
		assert.equal(it.json.prompt, request.prompts[p].prompt, `execution ${ex.id} item ${i}: prompt in input order`);
		assert.equal(it.json.batchIndex, i % IMAGES_PER_PROMPT, `execution ${ex.id} item ${i}: batchIndex`);
		assert.equal(pairedIndex(it), p, `execution ${ex.id} item ${i}: paired to input item ${p}`);
		assert.equal(it.json.status, 'completed', `execution ${ex.id} item ${i}: status ${it.json.status}`);
		assert.match(String(it.json.imageUrl), /^https?:\/\//);
		assert.equal(it.binary?.data?.mimeType, 'image/png', `execution ${ex.id} item ${i}: PNG in binary.data`);
	});
	assert.equal(new Set(items.map((it) => it.json.jobId)).size, items.length, `execution ${ex.id}: distinct job IDs`);
}
