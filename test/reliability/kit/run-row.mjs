// @ts-check
/**
 * Runs ONE row of the matrix: its own fake Akool (with the run's distinctive API key and the row's
 * fault plan), its workflow Start → Items → Akool in n8n's real engine with the BUILT node, then the
 * generic checks every row gets (secrets.mjs, check-paid.mjs, check-items.mjs) and the row's own.
 * A trigger row (`trigger`) is trigger.mjs's to run.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { checkContinueOnFail, checkStopOnFail } from './check-items.mjs';
import { checkCreates, checkSources } from './check-paid.mjs';
import { API_KEY, closeFakes, fakeAkool, forEnv, prepareFake, startFakes } from './fake.mjs';
import { isErrorItem, isResultItem, withStoredBytes } from './output.mjs';
import { faultedItems } from './records.mjs';
import { scanSecrets } from './secrets.mjs';
import { runTriggerRow } from './trigger.mjs';
import { akoolOutput, loadNode, startRowWorkflow } from './workflow.mjs';

/** @typedef {import('./types.mjs').Row} Row @typedef {import('./types.mjs').RowResult} RowResult */
/** @typedef {import('./types.mjs').Observation} Observation @typedef {import('./types.mjs').Obj} Obj */

/** Runs one row and checks it. @param {Row} row @returns {Promise<RowResult>} */
export async function runRow(row) {
	if (row.trigger) return await runTriggerRow(row);
	const started = Date.now();
	const builtNode = await loadNode();
	const env = await startFakes(row);
	const { fake, other } = env;
	try {
		const baselineJobs = await prepareFake(row, env);
		// sources written as <fake-akool>/samples/… become this row's fake's own sample URLs
		const params = fakeAkool.placeFakeUrl(forEnv(row.params, env), fake.baseUrl);
		const items = fakeAkool.placeFakeUrl(row.items ?? [{ prompt: 'item 0' }], fake.baseUrl);
		const files = forEnv(row.files, env) ?? [];
		const credential = row.credential ? row.credential(env) : { apiKey: API_KEY, baseUrl: fake.baseUrl, clientId: '' };
		const runStarted = Date.now();
		const { promise, cancel } = startRowWorkflow(builtNode, {
			params,
			items,
			files,
			credential,
			cof: row.cof,
			typeVersion: row.typeVersion,
			instanceBaseUrl: forEnv(row.instanceBaseUrl, env),
		});
		/** @type {Obj} */
		const marks = {};
		row.onStart?.({ ...env, cancel, marks });
		/** @type {any} */
		let run;
		/** @type {any} */
		let thrown;
		try {
			run = await promise;
		} catch (error) {
			thrown = error;
		}
		const ms = Date.now() - runStarted;
		if (row.settleMs) await sleep(row.settleMs);
		const requests = [...fake.requests];
		/** @type {Observation} */
		const o = {
			row,
			fake,
			other,
			state: env.state,
			marks,
			items,
			files,
			params,
			run,
			output: run ? await withStoredBytes(akoolOutput(run)) : [],
			error: run ? run.data.resultData.error : thrown,
			taskError: run?.data.resultData.runData.Akool?.[0]?.error,
			requests,
			jobs: [...fake.jobs.values()].filter((job) => !baselineJobs.has(job.id)),
			faulted: faultedItems(fake, requests),
			ms,
			leaks: [],
			counts: {},
		};
		const failures = checkRow(o, thrown);
		return {
			row,
			passed: failures.length === 0,
			failures,
			observed: describe(o),
			creates: o.counts.creates ?? '',
			itemsInOut: `${items.length}/${o.output.length}`,
			ms: Date.now() - started,
			note: o.counts.note,
		};
	} catch (error) {
		return {
			row,
			passed: false,
			failures: [`the row could not run: ${error instanceof Error ? error.stack : String(error)}`],
			observed: 'row crashed',
			creates: '',
			itemsInOut: '',
			ms: Date.now() - started,
		};
	} finally {
		await closeFakes(env);
	}
}

/** The generic checks, then the row's own: failures as sentences. @param {Observation} o @param {unknown} thrown @returns {string[]} */
function checkRow(o, thrown) {
	const { row, requests } = o;
	/** @type {string[]} */
	const failures = [];
	const threw = /** @type {any} */ (thrown);
	if (threw && !row.expect.skipItems && row.expect.error?.name !== threw?.name) {
		failures.push(`the execution threw: ${String(threw?.message ?? threw)}`);
	}
	o.leaks = scanSecrets(o);
	failures.push(...o.leaks.map((leak) => `the API key leaked: ${leak}`));
	failures.push(...checkCreates(o));
	failures.push(...checkSources(o));
	if (row.expect.requests !== undefined && requests.length !== row.expect.requests) {
		failures.push(`expected ${row.expect.requests} requests to the fake, got ${requests.length} (${requests.map((r) => r.kind).join(', ')})`);
	}
	if (!row.expect.skipItems) failures.push(...(row.cof ? checkContinueOnFail(o) : checkStopOnFail(o)));
	try {
		failures.push(...(row.check?.(o) ?? []));
	} catch (error) {
		failures.push(`the row's check threw: ${error instanceof Error ? error.stack : String(error)}`);
	}
	return failures;
}

/** The table's `observed` cell. @param {Observation} o */
function describe(o) {
	const leak = o.leaks.length ? ' [KEY LEAKED]' : '';
	if (o.error && !o.row.cof) return `${o.error.name ?? 'Error'}: ${o.error.message}${leak}`;
	const errors = o.output.filter(isErrorItem);
	const success = o.output.filter(isResultItem);
	const other = o.output.length - errors.length - success.length;
	const parts = [`${success.length} ok`];
	if (errors.length) parts.push(`${errors.length} error item(s): ${errors[0].json.error}`);
	if (other) parts.push(`${other} input item(s) passed through`);
	if (o.taskError && o.row.cof) parts.push(`node error "${o.taskError.message}"`);
	return parts.join(', ') + leak;
}
