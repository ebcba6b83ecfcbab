// @ts-check
/**
 * Runs ONE trigger row: the BUILT Akool Trigger (dist/, as n8n loaded the package) served the way n8n
 * 2.41.1 serves a production webhook, by the harness jest's firesOnce.test.ts uses too
 * (test/harness/triggerFlow.js: webhook() per request, the execution it starts run in n8n-core's
 * engine up to the next node, the workflow's static data and n8n's processed-data store kept as n8n
 * keeps them). The row's requests go one after another to one n8n process, its own workflow (n8n's
 * store and the node's memory are per workflow, so rows that run at once never mix); then the checks:
 * each answer (status and message), the executions created, the items that reached the next node, a
 * log line when expected, and the API key (and the Client ID) in no answer, run data or static data.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

import { API_KEY } from './fake.mjs';
import { logLines } from './logs.mjs';
import { findKey, leaksByCategory, secretStats } from './secrets.mjs';
import { loadNode } from './workflow.mjs';

const require = createRequire(import.meta.url);
/** @type {any} */
const { TriggerInstance } = require('../../harness/triggerFlow.js');
/** @type {any} */
const { processedDataStore } = require('../../harness/processedData.js');
/**
 * Akool's signed, encrypted callback body (the fake's own signing, written apart from the node's).
 * @type {(data: Obj | string, secrets: { apiKey: string, clientId: string }, at?: { timestamp?: number, nonce?: string }) => Obj}
 */
export const callbackBody = require('../../fake-akool/callback-signing.js').callbackBody;

/** @typedef {import('./types.mjs').Row} Row @typedef {import('./types.mjs').RowResult} RowResult @typedef {import('./types.mjs').Obj} Obj */

/** The Client ID of the rows' credential (when it has one), which Akool signs callbacks with. */
export const CLIENT_ID = 'client-RELIABILITY-trigger';

/** n8n's processed-data store of this process: one for the whole run (n8n-core takes one per process). */
/** @type {unknown} */
let store;

/**
 * The genuine callback of a row: a failed job (nothing to download), signed with the run's key.
 * @param {string} jobId @param {number} [timestamp] @returns {Obj}
 */
export const signedCallback = (jobId, timestamp = Date.now()) => callbackBody({ _id: jobId, status: 4, type: 'image' }, { apiKey: API_KEY, clientId: CLIENT_ID }, { timestamp });

/** @param {Row} row @returns {Promise<RowResult>} */
export async function runTriggerRow(row) {
	const started = Date.now();
	const plan = /** @type {import('./types.mjs').TriggerPlan} */ (row.trigger);
	try {
		const { triggerType, credentialType } = await loadNode();
		store ??= processedDataStore();
		const slug = row.id.replace(/[^a-z0-9]+/gi, '-');
		const n8n = new TriggerInstance({
			loadTrigger: () => triggerType,
			credentialType,
			credential: () => ({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', clientId: plan.noClientId ? '' : CLIENT_ID }),
			workflowId: `wf-${slug}`,
		});
		const callback = signedCallback(`job-${slug}`, plan.signedAt?.(Date.now()));
		const firstLogLine = logLines.length;
		/** @type {Array<{ status: number, body: any }>} */
		const answers = [];
		/** @type {Array<() => Promise<unknown>>} */
		const held = [];
		for (const step of plan.steps) {
			if (step.at) await sleep(Math.max(0, step.at(callback) - Date.now()));
			const { status, body, start } = await n8n.receive(step.send(callback));
			answers.push({ status, body });
			if (start) held.push(start);
			if (!step.hold) for (const run of held.splice(0)) await run();
		}
		/** @type {any[]} */
		const executions = n8n.executions;
		const received = executions.flatMap((execution) => execution.received ?? []);
		const failures = [
			...checkAnswers(row, answers),
			...checkCounts(row, executions.length, received.length),
			...checkLog(row, logLines.slice(firstLogLine)),
			...scanTriggerSecrets(row, answers, executions, n8n.database.staticData),
		];
		const said = summarize(answers.map(({ status, body }) => `${status} ${body?.message ?? JSON.stringify(body)}`));
		return {
			row,
			passed: failures.length === 0,
			failures,
			observed: `${executions.length} execution(s), ${received.length} item(s) on; ${said}`,
			creates: '',
			itemsInOut: `${answers.length}/${received.length}`,
			ms: Date.now() - started,
		};
	} catch (error) {
		const failures = [`the row could not run: ${error instanceof Error ? error.stack : String(error)}`];
		return { row, passed: false, failures, observed: 'row crashed', creates: '', itemsInOut: '', ms: Date.now() - started };
	}
}

/** Answers in a row that are the same, told once and counted ("3× 200 ignored: …"). @param {string[]} texts */
function summarize(texts) {
	/** @type {Array<{ text: string, count: number }>} */
	const runs = [];
	for (const text of texts) {
		const last = runs.at(-1);
		if (last?.text === text) last.count++;
		else runs.push({ text, count: 1 });
	}
	return runs.map(({ text, count }) => (count > 1 ? `${count}× ${text}` : text)).join('; ');
}

/** @param {Row} row @param {Array<{ status: number, body: any }>} answers @returns {string[]} */
function checkAnswers(row, answers) {
	const expected = row.expect.answers ?? [];
	const got = answers.map(({ status, body }) => [status, body?.message]);
	return JSON.stringify(got) === JSON.stringify(expected) ? [] : [`expected the answers ${JSON.stringify(expected)}, got ${JSON.stringify(answers)}`];
}

/** @param {Row} row @param {number} executions @param {number} received @returns {string[]} */
function checkCounts(row, executions, received) {
	const failures = [];
	if (executions !== (row.expect.executions ?? 0)) failures.push(`expected ${row.expect.executions ?? 0} execution(s), n8n created ${executions}`);
	if (received !== (row.expect.received ?? 0)) failures.push(`expected ${row.expect.received ?? 0} item(s) at the next node, got ${received}`);
	return failures;
}

/** @param {Row} row @param {string[]} lines the log lines of the run while the row ran @returns {string[]} */
function checkLog(row, lines) {
	const wanted = row.expect.logged;
	return !wanted || lines.some((line) => wanted.test(line)) ? [] : [`no log line matched ${wanted}`];
}

/**
 * The API key (and the Client ID, which n8n's answer has no reason to tell) in no answer; the key in
 * no execution's run data, nor in the static data n8n stores.
 * @param {Row} row @param {Array<{ status: number, body: any }>} answers @param {any[]} executions @param {Obj} staticData
 */
function scanTriggerSecrets(row, answers, executions, staticData) {
	secretStats.rows++;
	/** @type {string[]} */
	const inAnswers = [];
	answers.forEach((answer, index) => {
		findKey(answer, `answer ${index + 1}`, inAnswers);
		findKey(answer, `answer ${index + 1} (the Client ID)`, inAnswers, undefined, 0, CLIENT_ID);
	});
	/** @type {string[]} */
	const inRunData = [];
	executions.forEach((execution, index) => findKey(execution.run, `execution ${index + 1}`, inRunData));
	findKey(staticData, 'the workflow static data', inRunData);
	leaksByCategory.answers.push(...inAnswers.map((place) => `${row.id}: ${place}`));
	leaksByCategory.runData.push(...inRunData.map((place) => `${row.id}: ${place}`));
	return [...inAnswers.map((place) => `answers: ${place}`), ...inRunData.map((place) => `run data: ${place}`)];
}
