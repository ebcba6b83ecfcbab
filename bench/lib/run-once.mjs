// @ts-check
/**
 * One benchmark execution: the fake set up for it, the workflow run by `n8n execute`, its figures
 * gathered (the fake's logs, n8n's run data, RSS) and logged in one line.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { e2ePaths, executeWorkflow, executionResult, parseRawOutput, runCommand } from '../../scripts/e2e/n8n.mjs';
import { analyse } from './analyse.mjs';
import { callbackFigures, resumedResult } from './callback-figures.mjs';
import { startRssSampler, rssFigures } from './rss.mjs';
import { CALLBACKS, DURATION_MS, SCALE, SEEDS, W1 } from './settings.mjs';
import { log, MIB, round } from './util.mjs';

/**
 * Like the library's executeWorkflow, but n8n's stdout goes to a FILE: with images held in memory
 * (binary mode 'default') the run printed by `--rawOutput` is ~300 MB, and n8n 2.41.1 exits before a
 * stdout PIPE of that size drains (the JSON arrives cut, exit code 0); writes to a file are
 * synchronous. Same result shape as executeWorkflow.
 * @param {Record<string, string>} env @param {string} id @param {{ timeoutMs: number, file: string }} o
 * @returns {Promise<import('../../scripts/e2e/n8n.mjs').ExecuteResult>}
 */
async function executeWorkflowToFile(env, id, { timeoutMs, file }) {
	const res = await runCommand('/bin/sh', ['-c', 'exec "$0" execute --id="$1" --rawOutput > "$2"', e2ePaths().n8n, id, file], {
		env: { ...env, N8N_LOG_LEVEL: 'info' },
		timeoutMs,
		graceMs: 10_000,
	});
	let stdout = await fsp.readFile(file, 'utf8').catch(() => '');
	await fsp.rm(file, { force: true });
	const raw = parseRawOutput(stdout);
	if (raw) stdout = stdout.slice(0, stdout.indexOf('\n{') + 1); // keep the log lines only: the JSON is parsed
	return executionResult(res, raw, stdout);
}

/**
 * @typedef {{ env: Record<string, string>, fake: import('../../scripts/e2e/n8n.mjs').FakeAkool, tmpDir: string, keepDir?: string }} Ctx
 * @typedef {{ contender: 'node' | 'loop', workflowId: string, seed: number, work: typeof W1,
 *   rateLimit?: { max: number, windowMs: number } | null, durationMs?: number[], env?: Record<string, string>, sampleRss?: boolean, outputToFile?: boolean, label: string,
 *   resumedBy?: import('../../scripts/e2e/n8n.mjs').N8nDb }} RunSpec `resumedBy`: the node waits by callback, the fake sends callbacks, and the
 *   execution is read from the database of the `n8n start` that resumes it; `durationMs`: the jobs' times (default DURATION_MS)
 */

/** @param {import('../../scripts/e2e/n8n.mjs').FakeAkool} fake @param {Record<string, unknown>} options */
async function fakeOptions(fake, options) {
	const res = await fetch(`${fake.baseUrl}/__options`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(options),
	});
	const body = await res.json();
	if (!res.ok) throw new Error(`fake /__options: ${JSON.stringify(body)}`);
}

/** @param {Ctx} ctx @param {RunSpec} spec */
export async function runOnce(ctx, spec) {
	const { fake } = ctx;
	await fakeOptions(fake, {
		seed: spec.seed,
		timeScale: SCALE,
		durationMs: spec.durationMs ?? DURATION_MS,
		rateLimit: spec.rateLimit ?? null,
		imageKind: spec.work.imageKind,
		callbacks: spec.resumedBy ? CALLBACKS : null,
	});
	await fake.reset();
	const sampler = spec.sampleRss ? startRssSampler(spec.workflowId) : undefined;
	// generous: start-up (5-8 s) + 4x the slowest job + slack; a looping execution is killed by the group
	const timeoutMs = 90_000 + 4 * DURATION_MS[1] * SCALE;
	const env = spec.env ?? ctx.env;
	const before = spec.resumedBy ? new Set((await spec.resumedBy.executions(spec.workflowId)).map((x) => x.id)) : new Set();
	let r = spec.outputToFile
		? await executeWorkflowToFile(env, spec.workflowId, { timeoutMs, file: path.join(ctx.tmpDir, `rawOutput-${spec.workflowId}.json`) })
		: await executeWorkflow(env, spec.workflowId, { timeoutMs });
	if (spec.resumedBy) r = await resumedResult(spec.resumedBy, spec.workflowId, before, r, timeoutMs);
	const rss = sampler?.stop();
	const stats = await fake.stats();
	const requests = await fake.requests();
	const jobs = await fake.jobs();
	const deliveries = spec.resumedBy ? /** @type {any[]} */ (await (await fetch(`${fake.baseUrl}/__callbacks`)).json()) : [];
	const inFlight = /** @type {{ peak: number }} */ (await (await fetch(`${fake.baseUrl}/__in-flight`)).json());
	if (ctx.keepDir) {
		const base = path.join(ctx.keepDir, `${spec.label.replace(/\s+/g, '-')}-seed${spec.seed}`);
		await fsp.writeFile(`${base}.stdout.txt`, r.stdout);
		await fsp.writeFile(`${base}.fake.json`, JSON.stringify({ stats, requests, jobs, rss, deliveries }));
	}
	const executionStartedAt = r.startedAt ? Date.parse(r.startedAt) : NaN;
	const stoppedAt = r.stoppedAt ? Date.parse(r.stoppedAt) : NaN;
	// the work starts when the Settle wait ends (see SETTLE_S)
	const settle = r.runData.Settle?.[0];
	const startedAt = settle ? /** @type {number} */ (settle.startTime) + /** @type {number} */ (settle.executionTime) : executionStartedAt;
	const outNode = spec.contender === 'node' ? 'Akool' : 'Download image';
	let imagesOut = 0;
	let binaryBytes = 0;
	let binaryInline = 0;
	for (const task of r.runData[outNode] ?? []) {
		for (const item of task?.data?.main?.[0] ?? []) {
			const b = item.binary?.data;
			if (!b) continue;
			imagesOut++;
			binaryBytes += typeof b.bytes === 'number' ? b.bytes : 0;
			if (!b.id && typeof b.data === 'string' && b.data.length > 100) binaryInline++;
		}
	}
	/** per node of the workflow: runs, first start (s after the Settle wait), summed execution time (s) */
	/** @type {Record<string, { runs: number, first_start_s: number, total_s: number }>} */
	const nodeTimes = {};
	for (const [name, tasks] of Object.entries(r.runData)) {
		const list = /** @type {any[]} */ (tasks);
		nodeTimes[name] = {
			runs: list.length,
			first_start_s: round((Math.min(...list.map((t) => t.startTime ?? Infinity)) - startedAt) / 1000) ?? NaN,
			total_s: round(list.reduce((sum, t) => sum + (t.executionTime ?? 0), 0) / 1000) ?? NaN,
		};
	}
	const akoolStart = /** @type {number | undefined} */ (r.runData.Akool?.[0]?.startTime);
	const createsOk = requests.filter((q) => q.kind === 'create' && q.code === 1000).length;
	const rec = {
		label: spec.label,
		contender: spec.contender,
		seed: spec.seed,
		status: r.status ?? (r.timedOut ? 'timed out' : 'no output'),
		exit: r.exitCode,
		timedOut: r.timedOut,
		error: r.error ? String(r.error.message ?? JSON.stringify(r.error)).slice(0, 300) : undefined,
		wall_s: (stoppedAt - startedAt) / 1000,
		execution_wall_s: (stoppedAt - executionStartedAt) / 1000,
		cli_s: r.ms / 1000,
		ideal_s: stats.idealMs / 1000,
		images_out: imagesOut,
		images_binary_inline: binaryInline,
		binary_bytes: binaryBytes,
		jobs_created: stats.jobs.created,
		create_requests: stats.byKind.create,
		create_calls: createsOk,
		result_calls: stats.byKind.result,
		result_calls_1005: requests.filter((q) => q.kind === 'result' && q.code === 1005).length,
		refused_1005: stats.byCode['1005'] ?? 0,
		in_flight_peak: inFlight.peak,
		downloads: stats.downloads,
		bytes_served: stats.bytesServed,
		max_reads_per_job: stats.maxReadsPerJob,
		by_code: stats.byCode,
		breakdown: analyse(requests, jobs, startedAt, stoppedAt),
		callback: spec.resumedBy ? callbackFigures(deliveries, requests, stoppedAt) : undefined,
		node_times: nodeTimes,
		rss: rss && Number.isFinite(startedAt) ? rssFigures(rss.samples, akoolStart ?? startedAt, stoppedAt) : undefined,
	};
	const perImage = rec.result_calls / Math.max(1, rec.images_out);
	log(
		`  ${spec.label.padEnd(22)} seed ${spec.seed}: ${rec.status}${rec.timedOut ? ' (TIMED OUT)' : ''}, wall ${rec.wall_s.toFixed(2)} s ` +
			`(ideal ${rec.ideal_s.toFixed(2)} s, x${(rec.wall_s / rec.ideal_s).toFixed(3)}), images ${imagesOut}, creates ${createsOk}/${rec.create_requests}, ` +
			`reads ${rec.result_calls} (${perImage.toFixed(2)}/image, 1005: ${rec.result_calls_1005}), at most ${rec.in_flight_peak} in flight` +
			(rec.rss ? `, RSS idle ${rec.rss.idleMiB?.toFixed(0)} MiB peak ${rec.rss.peakMiB?.toFixed(0)} MiB (+${((rec.rss.peakOverIdleBytes ?? NaN) / MIB).toFixed(0)}; n8n process alone +${((rec.rss.root.peakOverIdleBytes ?? NaN) / MIB).toFixed(0)})` : '') +
			`, first ${spec.contender === 'node' ? 'Akool' : 'create'} node at +${(nodeTimes.Akool ?? nodeTimes['Create images'])?.first_start_s ?? '?'} s, cli ${rec.cli_s.toFixed(1)} s`,
	);
	const cb = /** @type {Record<string, any> | undefined} */ (rec.callback);
	if (cb) {
		log(
			`    callbacks ${cb.callbacks} (${cb.callback_attempts} attempts, answers ${JSON.stringify(cb.answers)}), ` +
				(cb.resumed_by_callback
					? `last final callback → stop ${cb.last_final_to_stop_s.toFixed(2)} s = n8n in ${cb.n8n_resume_in_s.toFixed(2)} + node ${cb.node_resume_work_s.toFixed(2)} + n8n out ${cb.n8n_resume_out_s.toFixed(2)} (+ ${cb.last_final_to_resuming_callback_s.toFixed(2)} before the resuming callback)`
					: 'NOT resumed by a callback'),
		);
	}
	if (rec.error) log(`    error: ${rec.error}`);
	return rec;
}

/**
 * The node and the hand-built loop on W1, once a seed, taking turns going first (the node first on
 * the 1st, 3rd... seed), so that neither always runs right after the other (or after the imports).
 * @param {Ctx & { ids: Record<string, string> }} ctx @param {string} part the labels' prefix (`w1`, `w3`)
 * @param {(seed: number) => string} title the line logged before each seed
 * @param {Partial<RunSpec>} [extra] what both runs add, e.g. a rate limit
 */
export async function nodeAndLoop(ctx, part, title, extra = {}) {
	const runs = [];
	for (const [i, seed] of SEEDS.entries()) {
		log(title(seed));
		/** @type {RunSpec[]} */
		const pair = [
			{ label: `${part} node`, contender: 'node', workflowId: ctx.ids.w1Node, seed, work: W1, ...extra },
			{ label: `${part} loop`, contender: 'loop', workflowId: ctx.ids.w1Loop, seed, work: W1, ...extra },
		];
		for (const spec of i % 2 === 0 ? pair : [...pair].reverse()) runs.push(await runOnce(ctx, spec));
	}
	return runs;
}
