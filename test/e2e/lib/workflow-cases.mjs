// @ts-check
/**
 * The case runner of suites that run workflows with `n8n execute` (test/e2e/run.mjs): every workflow
 * executed once, then each case reads the run of the workflow it names (which must have ended as the
 * case says) and what the fakes saw.
 */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { executeWorkflow } from '../../../scripts/e2e/n8n.mjs';
import { expectFailedExecution, expectSuccess } from './expect.mjs';

/**
 * @typedef {import('../../../scripts/e2e/n8n.mjs').ExecuteResult} ExecuteResult
 * @typedef {{ results: Map<string, ExecuteResult>, userFolder: string, filesDir: string | undefined,
 *   fake: import('../../../scripts/e2e/n8n.mjs').FakeAkool, openAi: Awaited<ReturnType<typeof import('../fake-openai.mjs').startFakeOpenAi>>,
 *   jobs: { id: string, prompt: string }[], sourceFetches: import('./fake-akool.mjs').SourceFetch[] }} Ctx
 *   what the cases read: each workflow's run, the instance's folders, and what the fakes saw
 * @typedef {{ name: string, workflow: string, ends?: 'success' | 'error', check: (r: ExecuteResult, ctx: Ctx) => Promise<void> | void }} WorkflowCase
 *   a case on one workflow's run, which ended in success (or, with `ends: 'error'`, failed)
 * @typedef {{ name: string, workflow?: undefined, check: (ctx: Ctx) => Promise<void> | void }} InstanceCase
 *   a case on the whole instance, after every run
 * @typedef {WorkflowCase | InstanceCase} Case
 */

const EXEC_TIMEOUT_MS = 120_000;

/**
 * `n8n execute` of each workflow in turn, one line each; the raw output of every run is written to
 * `runsDir` (kept when a case fails).
 * @param {import('../../../scripts/e2e/n8n.mjs').N8nEnv} env @param {import('./workflows.mjs').WorkflowJson[]} workflows
 * @param {string} runsDir @returns {Promise<Map<string, ExecuteResult>>}
 */
export async function executeAll(env, workflows, runsDir) {
	/** @type {Map<string, ExecuteResult>} */
	const results = new Map();
	await fsp.mkdir(runsDir);
	for (const wf of workflows) {
		const r = await executeWorkflow(env, wf.id, { timeoutMs: EXEC_TIMEOUT_MS });
		results.set(wf.id, r);
		await fsp.writeFile(path.join(runsDir, `${wf.id}.stdout.txt`), r.stdout);
		await fsp.writeFile(path.join(runsDir, `${wf.id}.stderr.txt`), r.stderr);
		console.log(
			`  ran ${wf.__file} (${wf.id}): status ${r.status ?? '-'}, exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}, ${(r.ms / 1000).toFixed(1)} s`,
		);
	}
	return results;
}

/**
 * Runs the cases in order; a case whose workflow did not run (left out by `--only`) is skipped and counted.
 * @param {import('./suite.mjs').Suite} suite @param {Case[]} cases @param {Ctx} ctx
 */
export async function runCases(suite, cases, ctx) {
	let skipped = 0;
	for (const c of cases) {
		if (c.workflow !== undefined && !ctx.results.has(c.workflow)) {
			skipped++;
			continue;
		}
		await suite.case(c.name, async () => {
			if (c.workflow === undefined) return await c.check(ctx);
			const r = ctx.results.get(c.workflow);
			assert.ok(r, `workflow ${c.workflow} was not executed`);
			if (c.ends === 'error') expectFailedExecution(r);
			else expectSuccess(r);
			await c.check(r, ctx);
		});
	}
	if (skipped) console.log(`(${skipped} cases skipped by --only)`);
}

/** `--only a,b`: only the workflow files whose path contains one of these strings. @returns {(file: string | undefined) => boolean} */
export function onlyFilter() {
	const i = process.argv.indexOf('--only');
	if (i < 0) return () => true;
	const parts = String(process.argv[i + 1] ?? '').split(',').filter(Boolean);
	return (file) => parts.some((p) => String(file).includes(p));
}

/** Job ids the fake created for a prompt (read after the runs). @param {Ctx} ctx @param {string} prompt @returns {string[]} */
export const jobIdsFor = (ctx, prompt) => ctx.jobs.filter((j) => j.prompt === prompt).map((j) => String(j.id));
