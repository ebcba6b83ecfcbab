// @ts-check
/**
 * The benchmark of issue 5: the Akool node beside the hand-built n8n polling loop, both run by a REAL
 * n8n 2.41.1 (`n8n execute --id`, installed by scripts/e2e/setup.sh) against the fake Akool in its own
 * process, plus the node's own CPU per image in n8n-core's engine; and (issue 7) the node waiting by
 * callback, resumed by an `n8n start` on the same database. See bench/README.md.
 *
 *   npm run bench                      table on stderr, the JSON (pretty) on stdout
 *   npm run bench -- --json            ONE JSON object on stdout, everything else on stderr
 *   npm run bench -- --quick           1 seed, W1 only (for trying things)
 *   npm run bench -- --seeds 1,2,3 --scale 1 --only w1,cb --out FILE
 *
 * Everything listens on 127.0.0.1; every process started here is stopped by its own process group.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
	assertInstalled,
	e2ePaths,
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	makeInstance,
	n8nId,
	N8N_VERSION,
	parseRawOutput,
	executionResult,
	N8nDb,
	projectRoot,
	runCommand,
	startFakeAkool,
	startN8n,
	tempDir,
} from '../scripts/e2e/n8n.mjs';

// ---------------------------------------------------------------------------------------------
// settings

const USAGE = `usage: node bench/run.mjs [--json] [--quick] [--seeds 1,2,3] [--scale 1] [--only w1,cb,w2,w3,cpu] [--out FILE] [--keep]`;
let flags;
try {
	flags = parseArgs({
		options: {
			json: { type: 'boolean', default: false },
			quick: { type: 'boolean', default: false },
			seeds: { type: 'string' },
			scale: { type: 'string', default: '1' },
			out: { type: 'string' },
			keep: { type: 'boolean', default: false },
			only: { type: 'string' },
			'w2-items': { type: 'string' },
			help: { type: 'boolean', default: false },
		},
		strict: true,
	}).values;
} catch (error) {
	process.stderr.write(`${error instanceof Error ? error.message : error}\n${USAGE}\n`);
	process.exit(2);
}
if (flags.help) {
	process.stderr.write(`${USAGE}\n`);
	process.exit(0);
}

const SCALE = Number(flags.scale);
// The node's Poll Interval is 1..60 s: 3 s x scale must stay >= 1 s.
if (!(SCALE >= 1 / 3 && SCALE <= 1)) {
	process.stderr.write(`--scale must be from 1/3 (the node's Poll Interval is at least 1 s: 3 s x scale) to 1\n`);
	process.exit(2);
}
const SEEDS = (flags.seeds ?? (flags.quick ? '1' : '1,2,3')).split(',').map(Number);
if (SEEDS.some((s) => !Number.isInteger(s))) {
	process.stderr.write(`--seeds takes whole numbers, e.g. 1,2,3\n`);
	process.exit(2);
}
const FULL = !flags.quick;
/**
 * Which parts run: all of them, W1 only with --quick, or a list with --only (e.g. --only w2,cpu).
 * `cb` is W1 with the node waiting by callback (issue 7), in an `n8n start` that the callbacks resume.
 */
const ALL_PARTS = ['w1', 'cb', 'w2', 'w3', 'cpu'];
const PARTS = new Set((flags.only ?? (FULL ? ALL_PARTS.join(',') : 'w1')).split(',').map((x) => x.trim().toLowerCase()));
if ([...PARTS].some((p) => ![...ALL_PARTS, 'w2ctl'].includes(p))) {
	process.stderr.write(`--only takes a list of ${ALL_PARTS.join(', ')} (and w2ctl)\n`);
	process.exit(2);
}

/** Generation time of every job: uniform in 20-40 s (Akool-like), times SCALE for both contenders. */
const DURATION_MS = [20_000, 40_000];
/** Akool's own clients poll every 5 s: the loop's Wait. */
const LOOP_WAIT_S = 5;
/** The node's default Poll Interval. */
const NODE_POLL_S = 3;
const W1 = { items: 20, images: 4, resolution: '1080p', ratio: '1:1', imageKind: 'gradient' };
const W2 = { items: Number(flags['w2-items'] ?? 4), images: 4, resolution: '4k', ratio: '1:1', imageKind: 'noise' };
/**
 * Every workflow starts with a real-time Wait ("Settle", not scaled) and its wall time is counted
 * from the end of that wait (n8n's own clock: the Settle node's end in the run data): `n8n execute`
 * starts the execution before its JS task runner has finished booting, so the first Code node waits
 * for it, 0.6-1.7 s, the longer the fewer node types n8n had to load first (a running n8n has its
 * runner up). W2 waits longer, for the RSS baseline (see nodeWorkflow).
 */
const SETTLE_S = 3;
const W2_SETTLE_S = 5;
/** W3: at most this many API requests per (scaled) second, then HTTP 200 {code: 1005}. */
const W3_RATE = { max: 10, windowMs: 1000 };
const RSS_SAMPLE_MS = 50;

// 24 bytes: Akool's callbacks are encrypted with the API key as an AES key (16, 24 or 32 bytes).
const API_KEY = 'bench-akool-KEY-4b1d07-c';
const CLIENT_ID = 'bench-client-id-01';
/** The fake's callbacks in the `cb` runs: Akool retries a callback that did not get HTTP 200. */
const CALLBACKS = { clientId: CLIENT_ID, retryMs: 1000, maxAttempts: 10 };
const AKOOL_CRED = { id: 'akoolBenchCred01', name: 'Akool (bench fake)' };
const HEADER_CRED = { id: 'akoolBenchHdr001', name: 'Akool x-api-key' };
const AKOOL_PUBLIC_BASE = 'https://openapi.akool.com';

const log = (/** @type {string} */ line = '') => process.stderr.write(`${line}\n`);
const sec = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const round = (/** @type {number | null | undefined} */ x, digits = 3) =>
	x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
const MIB = 1024 * 1024;

/** @param {number[]} xs */
function median(xs) {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return null;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------------------------------------
// workflows

const PROMPTS_CODE = (/** @type {number} */ n) =>
	`return Array.from({ length: ${n} }, (_, i) => ({ json: { prompt: 'a watercolor lighthouse, variant ' + (i + 1) } }));`;

/**
 * The hand-built loop (bench/hand-built-loop.json, written for the real Akool, Wait 5 s) pointed at
 * the fake, with the Wait scaled.
 * @param {{ id: string, baseUrl: string }} o
 */
async function loopWorkflow({ id, baseUrl }) {
	const [wf] = JSON.parse(await fsp.readFile(path.join(projectRoot, 'bench', 'hand-built-loop.json'), 'utf8'));
	wf.id = id;
	for (const node of wf.nodes) {
		const p = node.parameters;
		if (typeof p.url === 'string' && p.url.startsWith(AKOOL_PUBLIC_BASE)) p.url = baseUrl + p.url.slice(AKOOL_PUBLIC_BASE.length);
		if (node.type === 'n8n-nodes-base.wait') p.amount = round(LOOP_WAIT_S * SCALE, 2);
		if (node.credentials?.httpHeaderAuth) node.credentials.httpHeaderAuth = { ...HEADER_CRED };
	}
	// Settle between the trigger and what it started
	const trigger = wf.nodes.find((/** @type {any} */ node) => node.type === 'n8n-nodes-base.manualTrigger');
	const settle = settleNode(SETTLE_S, [trigger.position[0] + 110, trigger.position[1] + 120]);
	wf.nodes.push(settle);
	wf.connections[settle.name] = wf.connections[trigger.name];
	wf.connections[trigger.name] = { main: [[{ node: settle.name, type: 'main', index: 0 }]] };
	return wf;
}

/**
 * A Wait of `seconds` of real time: see SETTLE_S.
 * @param {number} seconds @param {[number, number]} position
 */
function settleNode(seconds, position) {
	return {
		id: 'b0',
		name: 'Settle',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position,
		webhookId: '5f1c1b2e-0000-4000-8000-00000000be02',
		parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
	};
}

/**
 * The Akool node with its defaults (Wait for Completion and Download Image on, Concurrency 5), only
 * the Poll Interval scaled. W1 gets its prompts from the same Code node as the loop; W2 from Set +
 * Split Out, so that no Code task runner (a child process) sits in the RSS measurement.
 * W2's Settle wait is longer, so that n8n's own start-up growth is over when the idle RSS is taken,
 * just before the Akool node starts. With `waitMode: 'callback'`
 * the node waits by callback (issue 7) instead of polling, everything else the same.
 * @param {{ id: string, name: string, work: typeof W1, source: 'code' | 'set', downloadImage?: boolean, settleS?: number, waitMode?: 'poll' | 'callback' }} o
 */
function nodeWorkflow({ id, name, work, source, downloadImage = true, settleS = SETTLE_S, waitMode = 'poll' }) {
	const start = { id: 'b1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const settle = [settleNode(settleS, [110, 0])];
	const prompts = Array.from({ length: work.items }, (_, i) => ({ prompt: `a watercolor lighthouse, variant ${i + 1}` }));
	const sourceNodes =
		source === 'code'
			? [{ id: 'b2', name: 'Prompts', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: PROMPTS_CODE(work.items) } }]
			: [
					{
						id: 'b2',
						name: 'Prompts',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.5,
						position: [220, 0],
						parameters: {
							mode: 'manual',
							assignments: { assignments: [{ id: 'p1', name: 'prompts', type: 'array', value: `={{ ${JSON.stringify(prompts)} }}` }] },
							options: {},
						},
					},
					{ id: 'b3', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0], parameters: { fieldToSplitOut: 'prompts', options: {} } },
				];
	const akool = {
		id: 'b9',
		name: 'Akool',
		type: 'CUSTOM.akool',
		typeVersion: 1,
		position: [660, 0],
		parameters: {
			resource: 'image',
			operation: 'generate',
			prompt: '={{ $json.prompt }}',
			aspectRatio: work.ratio,
			resolution: work.resolution,
			numberOfImages: work.images,
			waitForCompletion: true,
			...(waitMode === 'callback' ? { waitMode } : {}),
			downloadImage,
			options: { pollInterval: round(NODE_POLL_S * SCALE, 2) },
		},
		credentials: { akoolApi: { ...AKOOL_CRED } },
	};
	const chain = [start, ...settle, ...sourceNodes, akool];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i < chain.length - 1; i++) connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, nodes: chain, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

// ---------------------------------------------------------------------------------------------
// RSS of the `n8n execute` process and its children, from /proc

/** @param {(argv: string[]) => boolean} match @returns {number | undefined} */
function findProcess(match) {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const argv = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
			if (match(argv)) return Number(entry);
		} catch {
			/* gone */
		}
	}
	return undefined;
}

/** The process and all its descendants. @param {number} root */
function processTree(root) {
	const pids = [root];
	for (let i = 0; i < pids.length; i++) {
		let tasks = [];
		try {
			tasks = readdirSync(`/proc/${pids[i]}/task`);
		} catch {
			continue;
		}
		for (const task of tasks) {
			try {
				const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'latin1').trim();
				if (children) for (const c of children.split(/\s+/)) pids.push(Number(c));
			} catch {
				/* gone */
			}
		}
	}
	return pids;
}

/** VmRSS in kB (KiB) of one process, 0 when gone. @param {number} pid */
function rssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

/**
 * Samples every RSS_SAMPLE_MS the summed RSS of the `n8n execute --id=<workflowId>` process tree.
 * @param {string} workflowId
 */
function startRssSampler(workflowId) {
	/** @type {{ t: number, kb: number, rootKb: number, procs: number }[]} */
	const samples = [];
	/** @type {number | undefined} */
	let root;
	const tick = () => {
		if (root === undefined) root = findProcess((argv) => argv.includes('execute') && argv.includes(`--id=${workflowId}`));
		if (root === undefined) return;
		const pids = processTree(root);
		const rootKb = rssKb(root);
		let kb = rootKb;
		for (const pid of pids.slice(1)) kb += rssKb(pid);
		if (kb > 0) samples.push({ t: Date.now(), kb, rootKb, procs: pids.length });
	};
	const timer = setInterval(tick, RSS_SAMPLE_MS);
	tick();
	return {
		stop: () => {
			clearInterval(timer);
			return { root, samples };
		},
	};
}

/**
 * Idle = the last sample before `baseAt` (the moment the Akool node starts; n8n's own warm-up, e.g.
 * its JS task runner child still growing after start-up, is over by then: see W2's Settle wait);
 * peak = the highest sample from `baseAt` until the process ended (n8n saving and printing the run
 * included); peakExec = the highest until n8n's stoppedAt. For the whole process tree and for the
 * `n8n execute` process alone.
 * @param {{ t: number, kb: number, rootKb: number }[]} samples @param {number} baseAt @param {number} stoppedAt
 */
function rssFigures(samples, baseAt, stoppedAt) {
	const before = samples.filter((s) => s.t < baseAt);
	const after = samples.filter((s) => s.t >= baseAt);
	const during = after.filter((s) => s.t <= stoppedAt);
	const toMiB = (/** @type {number | null} */ kb) => (kb === null ? null : kb / 1024);
	/** @param {'kb' | 'rootKb'} key */
	const figures = (key) => {
		const idleKb = before.length ? before[before.length - 1][key] : null;
		const peakKb = after.length ? Math.max(...after.map((s) => s[key])) : null;
		const peakExecKb = during.length ? Math.max(...during.map((s) => s[key])) : null;
		// the largest climb from a low point (after a GC) to a later high point, until stoppedAt: an
		// upper bound of what the run added, garbage not yet collected included
		let low = Infinity;
		let riseKb = 0;
		for (const x of during) {
			low = Math.min(low, x[key]);
			riseKb = Math.max(riseKb, x[key] - low);
		}
		return {
			idleMiB: toMiB(idleKb),
			peakMiB: toMiB(peakKb),
			peakExecMiB: toMiB(peakExecKb),
			peakOverIdleBytes: idleKb !== null && peakKb !== null ? (peakKb - idleKb) * 1024 : null,
			peakExecOverIdleBytes: idleKb !== null && peakExecKb !== null ? (peakExecKb - idleKb) * 1024 : null,
			riseBytes: during.length ? riseKb * 1024 : null,
		};
	};
	return { samples: samples.length, baseAt, ...figures('kb'), root: figures('rootKb') };
}

// ---------------------------------------------------------------------------------------------
// the fake's logs: where the reads and the wall time go

/**
 * @param {any[]} requests the fake's /__requests
 * @param {any[]} jobs the fake's /__jobs
 * @param {number} startedAt @param {number} stoppedAt n8n's own execution start and stop (ms)
 */
function analyse(requests, jobs, startedAt, stoppedAt) {
	const creates = requests.filter((r) => r.kind === 'create');
	const reads = requests.filter((r) => r.kind === 'result');
	const downloads = requests.filter((r) => r.kind === 'download' && r.status === 200);
	if (jobs.length === 0 || creates.length === 0) return null;
	const firstCreate = Math.min(...creates.map((r) => r.at));
	const lastCreateAnswered = Math.max(...creates.map((r) => r.doneAt ?? r.at));
	const firstReady = Math.min(...jobs.map((j) => j.urlAt));
	const lastJob = jobs.reduce((a, b) => (b.urlAt > a.urlAt ? b : a));
	/** @type {Map<string, any[]>} */
	const readsByJob = new Map();
	for (const r of reads) {
		const id = r.query?.image_model_id;
		if (!readsByJob.has(id)) readsByJob.set(id, []);
		readsByJob.get(id)?.push(r);
	}
	/** first read that saw the job completed with its URL */
	const seenAt = (/** @type {any} */ job) => (readsByJob.get(job.id) ?? []).find((r) => r.code === 1000 && r.at >= job.urlAt)?.at;
	const delays = [];
	let readsEarly = 0; // reads of a job before its image was ready
	let readsAfterSeen = 0; // reads of a job after a read had already seen it finished
	for (const job of jobs) {
		const seen = seenAt(job);
		if (seen !== undefined) delays.push(seen - job.urlAt);
		for (const r of readsByJob.get(job.id) ?? []) {
			if (r.at < job.urlAt) readsEarly++;
			else if (seen !== undefined && r.at > seen) readsAfterSeen++;
		}
	}
	const lastSeen = seenAt(lastJob);
	const lastDownload = downloads.length ? Math.max(...downloads.map((r) => r.doneAt ?? r.at)) : undefined;
	const lastJobDownload = downloads.find((r) => r.path.includes(lastJob.id));
	/** reads per 1-second bucket of the run (peak), to show bursts */
	const buckets = new Map();
	for (const r of requests.filter((x) => x.host === 'api')) buckets.set(Math.floor(r.at / 1000), (buckets.get(Math.floor(r.at / 1000)) ?? 0) + 1);
	return {
		reads_before_first_ready: reads.filter((r) => r.at < firstReady).length,
		reads_after_first_ready: reads.filter((r) => r.at >= firstReady).length,
		reads_of_unready_jobs: readsEarly,
		reads_after_seen_finished: readsAfterSeen,
		reads_answered_1005: reads.filter((r) => r.code === 1005).length,
		detect_delay_mean_s: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length / 1000 : null,
		detect_delay_max_s: delays.length ? Math.max(...delays) / 1000 : null,
		last_job_detect_delay_s: lastSeen !== undefined ? (lastSeen - lastJob.urlAt) / 1000 : null,
		last_job_reads: (readsByJob.get(lastJob.id) ?? []).length,
		// wall = start_to_first_create + first_create_to_last_ready + last_job_detect_delay + last_seen_to_stop
		start_to_first_create_s: (firstCreate - startedAt) / 1000,
		creates_span_s: (lastCreateAnswered - firstCreate) / 1000,
		first_create_to_last_ready_s: (lastJob.urlAt - firstCreate) / 1000,
		last_seen_to_stop_s: lastSeen !== undefined ? (stoppedAt - lastSeen) / 1000 : null,
		last_seen_to_its_download_s: lastSeen !== undefined && lastJobDownload ? (lastJobDownload.at - lastSeen) / 1000 : null,
		last_download_duration_s: lastJobDownload ? ((lastJobDownload.doneAt ?? lastJobDownload.at) - lastJobDownload.at) / 1000 : null,
		last_download_to_stop_s: lastDownload !== undefined ? (stoppedAt - lastDownload) / 1000 : null,
		peak_api_requests_per_s: Math.max(0, ...buckets.values()),
	};
}

// ---------------------------------------------------------------------------------------------
// one execution

/**
 * Like the library's executeWorkflow, but n8n's stdout goes to a FILE: with images held in memory
 * (binary mode 'default') the run printed by `--rawOutput` is ~300 MB, and n8n 2.41.1 exits before a
 * stdout PIPE of that size drains (the JSON arrives cut, exit code 0); writes to a file are
 * synchronous. Same result shape as executeWorkflow.
 * @param {Record<string, string>} env @param {string} id @param {{ timeoutMs: number, file: string }} o
 * @returns {Promise<import('../scripts/e2e/n8n.mjs').ExecuteResult>}
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
 * @typedef {{ env: Record<string, string>, fake: import('../scripts/e2e/n8n.mjs').FakeAkool, tmpDir: string, keepDir?: string }} Ctx
 * @typedef {{ contender: 'node' | 'loop', workflowId: string, seed: number, work: typeof W1,
 *   rateLimit?: { max: number, windowMs: number } | null, env?: Record<string, string>, sampleRss?: boolean, outputToFile?: boolean, label: string,
 *   resumedBy?: N8nDb }} RunSpec `resumedBy`: the node waits by callback, the fake sends callbacks, and the
 *   execution is read from the database of the `n8n start` that resumes it
 */

/** n8n's database times: ISO strings, or sqlite's 'YYYY-MM-DD HH:MM:SS.SSS' in UTC. @param {unknown} t */
function parseDbTime(t) {
	if (t instanceof Date) return t.getTime();
	const text = String(t ?? '');
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * A `cb` run: `n8n execute` saved the execution as waiting and exited; the server resumes it when
 * the callbacks come. The run's figures come from the database once it has finished.
 * @param {N8nDb} db @param {string} workflowId @param {Set<string>} before execution IDs that existed before
 * @param {import('../scripts/e2e/n8n.mjs').ExecuteResult} waited what `n8n execute` printed
 * @param {number} timeoutMs
 */
async function resumedResult(db, workflowId, before, waited, timeoutMs) {
	const row = await db.until(async () => (await db.executions(workflowId)).find((x) => !before.has(x.id)), 30_000, 'the waiting execution', 2000);
	// read every 2 s: each read is a Node process, which would weigh on the run being measured
	const done = await db.finished(workflowId, row.id, timeoutMs, { everyMs: 2000 });
	const { data } = await db.execution(row.id);
	return {
		...waited,
		status: done.status,
		startedAt: new Date(parseDbTime(done.startedAt)).toISOString(),
		stoppedAt: new Date(parseDbTime(done.stoppedAt)).toISOString(),
		runData: data?.resultData?.runData ?? {},
		error: data?.resultData?.error,
		lastNodeExecuted: data?.resultData?.lastNodeExecuted,
		statusWhenExecuteExited: waited.status,
	};
}

/**
 * Where the time goes once the last job is final, in a `cb` run, from the fake's callback log:
 * n8n's part (from the resuming callback's arrival to the node's first request; from the node's
 * answer to n8n's stoppedAt) apart from the node's (its reads and downloads inside webhook()).
 * @param {any[]} deliveries the fake's /__callbacks @param {any[]} requests the fake's /__requests @param {number} stoppedAt
 */
function callbackFigures(deliveries, requests, stoppedAt) {
	const finals = deliveries.filter((d) => d.status === 3 || d.status === 4);
	const attempts = deliveries.flatMap((d) => d.attempts);
	/** @type {Record<string, number>} */
	const answers = {};
	for (const a of attempts) answers[String(a.httpStatus ?? 'none')] = (answers[String(a.httpStatus ?? 'none')] ?? 0) + 1;
	const resuming = finals.flatMap((d) => d.attempts).find((a) => /"resumed"/.test(String(a.response)));
	const figures = { callbacks: deliveries.length, final_callbacks: finals.length, callback_attempts: attempts.length, answers, resumed_by_callback: Boolean(resuming) };
	if (!resuming) return figures;
	const lastFinalAt = Math.max(...finals.map((d) => d.attempts[0]?.at ?? 0));
	const after = requests.filter((q) => q.at >= resuming.at && q.at <= resuming.doneAt).map((q) => q.at);
	const nodeStartedAt = after.length ? Math.min(...after) : resuming.doneAt;
	const resumeIn = nodeStartedAt - resuming.at;
	const resumeOut = stoppedAt - resuming.doneAt;
	return {
		...figures,
		last_final_to_resuming_callback_s: (resuming.at - lastFinalAt) / 1000,
		n8n_resume_in_s: resumeIn / 1000,
		node_resume_work_s: (resuming.doneAt - nodeStartedAt) / 1000,
		n8n_resume_out_s: resumeOut / 1000,
		n8n_resume_latency_s: (resumeIn + resumeOut) / 1000,
		last_final_to_stop_s: (stoppedAt - lastFinalAt) / 1000,
	};
}

/** @param {import('../scripts/e2e/n8n.mjs').FakeAkool} fake @param {Record<string, unknown>} options */
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
async function runOnce(ctx, spec) {
	const { fake } = ctx;
	await fakeOptions(fake, {
		seed: spec.seed,
		timeScale: SCALE,
		durationMs: DURATION_MS,
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
	if (ctx.keepDir) {
		const base = path.join(ctx.keepDir, `${spec.label.replace(/\s+/g, '-')}-seed${spec.seed}`);
		await fsp.writeFile(`${base}.stdout.txt`, r.stdout);
		await fsp.writeFile(`${base}.fake.json`, JSON.stringify({ stats, requests, jobs, rss, deliveries }));
	}
	const executionStartedAt = r.startedAt ? Date.parse(r.startedAt) : NaN;
	const stoppedAt = r.stoppedAt ? Date.parse(r.stoppedAt) : NaN;
	// the work starts when the Settle wait ends (see SETTLE_S)
	const settle = r.runData.Settle?.[0];
	const startedAt = settle ? settle.startTime + settle.executionTime : executionStartedAt;
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
			`reads ${rec.result_calls} (${perImage.toFixed(2)}/image, 1005: ${rec.result_calls_1005})` +
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

// ---------------------------------------------------------------------------------------------
// engine CPU (child process, see bench/engine-cpu.mjs)

/** @param {string} userFolder */
function engineCpu(userFolder) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(projectRoot, 'bench', 'engine-cpu.mjs'), '--items', String(W1.items), '--images', String(W1.images), '--runs', '3'], {
			cwd: projectRoot,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'silent' },
		});
		let out = '';
		child.stdout.on('data', (b) => (out += b.toString('utf8')));
		child.stderr.on('data', (b) => process.stderr.write(b));
		const timer = setTimeout(() => {
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 180_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				/* gone */
			}
			if (code !== 0) return reject(new Error(`bench/engine-cpu.mjs exited ${code}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
			} catch (error) {
				reject(error);
			}
		});
	});
}

/** @param {string[]} args @returns {string} */
function gitInfo(...args) {
	try {
		return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return '';
	}
}

// ---------------------------------------------------------------------------------------------
// report

/**
 * @param {Record<string, any>} R the result object
 */
function table(R) {
	/** @type {[string, string, string, boolean | null][]} */
	const rows = [];
	const f = (/** @type {any} */ x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : String(x ?? 'n/a'));
	const has = (/** @type {any[]} */ ...xs) => xs.every((x) => typeof x === 'number');
	rows.push([
		'W1 wall (n8n: Settle wait end→stoppedAt)',
		`node ${f(R.w1_node_wall_s)} s · loop ${f(R.w1_loop_wall_s)} s · ideal ${f(R.w1_ideal_wall_s)} s`,
		'node < loop',
		has(R.w1_node_wall_s, R.w1_loop_wall_s) ? R.w1_node_wall_s < R.w1_loop_wall_s : null,
	]);
	rows.push([
		'W1 overhead vs ideal',
		`node ${f(R.w1_node_overhead_vs_ideal, 3)} · loop ${f(R.w1_loop_overhead_vs_ideal, 3)}`,
		'node ≤ 1.10',
		has(R.w1_node_overhead_vs_ideal) ? R.w1_node_overhead_vs_ideal <= 1.1 : null,
	]);
	rows.push([
		'W1 result calls per image',
		`node ${f(R.w1_node_result_calls_per_image)} · loop ${f(R.w1_loop_result_calls_per_image)}`,
		'node ≤ loop / 2',
		has(R.w1_node_result_calls_per_image, R.w1_loop_result_calls_per_image)
			? R.w1_node_result_calls_per_image <= R.w1_loop_result_calls_per_image / 2
			: null,
	]);
	rows.push([
		'W1 create calls',
		`node ${f(R.w1_node_create_calls, 0)} · loop ${f(R.w1_loop_create_calls, 0)}`,
		'node = 20',
		has(R.w1_node_create_calls) ? R.w1_node_create_calls === 20 : null,
	]);
	if (has(R.w1_callback_wall_s)) {
		rows.push([
			'W1 by callback: wall',
			`callback ${f(R.w1_callback_wall_s)} s (ideal ${f(R.w1_callback_ideal_wall_s)} s, n8n resume latency ${f(R.w1_callback_resume_latency_s)} s) · polling ${f(R.w1_node_wall_s)} s`,
			'(wall − resume latency) ≤ 1.15 × ideal',
			has(R.w1_callback_wall_less_resume_latency_vs_ideal) ? R.w1_callback_wall_less_resume_latency_vs_ideal <= 1.15 : null,
		]);
		rows.push([
			'W1 by callback: result calls per image',
			`callback ${f(R.w1_callback_result_calls_per_image)} · polling ${f(R.w1_node_result_calls_per_image)} · loop ${f(R.w1_loop_result_calls_per_image)}`,
			'callback ≤ 2',
			has(R.w1_callback_result_calls_per_image) ? R.w1_callback_result_calls_per_image <= 2 : null,
		]);
	}
	rows.push([
		'W3 (1005 above 10 req/scaled s) images out',
		`node ${f(R.w3_node_images_out, 0)} (creates ${f(R.w3_node_create_calls, 0)}) · loop ${f(R.w3_loop_images_out, 0)} (creates ${f(R.w3_loop_create_calls, 0)})`,
		'node 80 with 20 creates',
		has(R.w3_node_images_out, R.w3_node_create_calls) ? R.w3_node_images_out === 80 && R.w3_node_create_calls === 20 : null,
	]);
	const limitMiB = typeof R.w2_image_bytes_total === 'number' ? (0.25 * R.w2_image_bytes_total) / MIB : null;
	rows.push([
		'W2 peak RSS over idle, filesystem mode',
		`${f(R.w2_node_peak_rss_mb_filesystem, 1)} MiB (idle ${f(R.w2_idle_rss_mb, 0)} MiB; images ${f(R.w2_image_bytes_total / MIB, 1)} MiB)`,
		`< 25% of images = ${f(limitMiB, 1)} MiB`,
		has(R.w2_node_peak_rss_mb_filesystem, limitMiB) ? R.w2_node_peak_rss_mb_filesystem < /** @type {number} */ (limitMiB) : null,
	]);
	rows.push(['W2 peak RSS over idle, memory mode', `${f(R.w2_node_peak_rss_mb_memory, 1)} MiB`, '(reported)', null]);
	rows.push(['engine CPU per image (n8n-core, instant fake)', `${f(R.engine_cpu_ms_per_image, 2)} ms`, '(reported)', null]);
	const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), Math.max(...rows.map((r) => r[2].length))];
	const line = (/** @type {string[]} */ c) => `| ${c[0].padEnd(w[0])} | ${c[1].padEnd(w[1])} | ${c[2].padEnd(w[2])} | ${c[3]} |`;
	const out = [
		line(['figure', 'measured (median over seeds)', 'target', 'met']),
		`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 2)}|-----|`,
		...rows.map((r) => line([r[0], r[1], r[2], r[3] === null ? '-' : r[3] ? 'yes' : 'NO'])),
	];
	return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const load0 = os.loadavg();
	log(`bench: n8n ${N8N_VERSION}, time scale ${SCALE} (jobs ${(DURATION_MS[0] * SCALE) / 1000}-${(DURATION_MS[1] * SCALE) / 1000} s, loop Wait ${LOOP_WAIT_S * SCALE} s, node Poll Interval ${NODE_POLL_S * SCALE} s), seeds ${SEEDS.join(',')}${PARTS.size === ALL_PARTS.length ? '' : ` (only ${[...PARTS].join(',')})`}`);
	log(`bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
	if (load0[0] > os.cpus().length * 0.75) log(`bench: WARNING the machine is busy (1-min load ${load0[0].toFixed(2)} on ${os.cpus().length} CPUs): wall times will suffer`);

	const tmp = await tempDir('akool-bench-');
	/** @type {import('../scripts/e2e/n8n.mjs').FakeAkool | undefined} */
	let fake;
	const onSignal = async () => {
		await fake?.stop();
		if (!flags.keep) await tmp.remove();
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	/** @type {any[]} */
	const runs = [];
	/** @type {any} */
	let cpu = null;
	try {
		// WEBHOOK_URL: the resume URL the node gives Akool in the `cb` runs (n8n's public address; loopback here)
		const n8nPort = await freePort();
		const inst = await makeInstance({ root: tmp.dir, binaryMode: 'filesystem', port: n8nPort, extra: { WEBHOOK_URL: `http://127.0.0.1:${n8nPort}/` } });
		await installPackage(inst.extDir);
		fake = await startFakeAkool({
			apiKey: API_KEY,
			args: ['--time-scale', String(SCALE), '--duration-ms', `${DURATION_MS[0]}-${DURATION_MS[1]}`, '--seed', String(SEEDS[0])],
		});
		log(`bench: n8n user folder ${inst.userFolder}, fake Akool ${fake.baseUrl} (pid ${fake.pid})`);
		await importCredentials(inst.env, [
			{ ...AKOOL_CRED, type: 'akoolApi', data: { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: fake.baseUrl } },
			{ ...HEADER_CRED, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: API_KEY } },
		]);
		const ids = { w1Node: n8nId('bW1n'), w1Loop: n8nId('bW1l'), w1Callback: n8nId('bW1c'), w2Node: n8nId('bW2n'), w2Ctl: n8nId('bW2c') };
		await importWorkflow(inst.env, [
			nodeWorkflow({ id: ids.w1Node, name: 'bench: Akool node, 20 items x 4 images', work: W1, source: 'code' }),
			nodeWorkflow({ id: ids.w1Callback, name: 'bench: Akool node waiting by callback, 20 items x 4 images', work: W1, source: 'code', waitMode: 'callback' }),
			await loopWorkflow({ id: ids.w1Loop, baseUrl: fake.baseUrl }),
			nodeWorkflow({ id: ids.w2Node, name: 'bench: Akool node, 4 items x 4 images at 4K', work: W2, source: 'set', settleS: W2_SETTLE_S }),
			nodeWorkflow({ id: ids.w2Ctl, name: 'bench: the same without Download Image', work: W2, source: 'set', downloadImage: false, settleS: W2_SETTLE_S }),
		]);
		log(`bench: imported 2 credentials and 5 workflows (${sec(Date.now() - t0)})`);
		const keepDir = flags.keep ? path.join(tmp.dir, 'runs') : undefined;
		if (keepDir) await fsp.mkdir(keepDir);
		const ctx = { env: inst.env, fake, tmpDir: tmp.dir, keepDir };
		const memoryEnv = { ...inst.env, N8N_DEFAULT_BINARY_DATA_MODE: 'default' };

		// The contenders take turns going first (node first on the 1st, 3rd... seed), so that neither
		// always runs right after the other (or after the imports).
		/** @param {number} i @param {RunSpec[]} pair */
		const inTurn = (i, pair) => (i % 2 === 0 ? pair : [...pair].reverse());
		for (const [i, seed] of (PARTS.has('w1') ? SEEDS : []).entries()) {
			log(`W1 seed ${seed}: 20 items x 4 images at 1080p`);
			for (const spec of inTurn(i, [
				{ label: 'w1 node', contender: 'node', workflowId: ids.w1Node, seed, work: W1 },
				{ label: 'w1 loop', contender: 'loop', workflowId: ids.w1Loop, seed, work: W1 },
			]))
				runs.push(await runOnce(ctx, spec));
		}
		if (PARTS.has('cb')) {
			// Only now an `n8n start` on the same database: the callbacks resume the waiting executions there.
			const ts = Date.now();
			const server = await startN8n(inst.env);
			try {
				log(`cb: n8n start up in ${sec(Date.now() - ts)}, WEBHOOK_URL ${inst.env.WEBHOOK_URL}`);
				const db = new N8nDb(inst.userFolder);
				// `n8n execute` beside the server needs a task broker port of its own
				const env = { ...inst.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
				for (const seed of SEEDS) {
					log(`W1 by callback seed ${seed}: 20 items x 4 images at 1080p, Wait Mode Callback`);
					runs.push(await runOnce(ctx, { label: 'w1 callback', contender: 'node', workflowId: ids.w1Callback, seed, work: W1, env, resumedBy: db }));
				}
			} finally {
				await server.stop();
			}
		}
		{
			for (const [i, seed] of (PARTS.has('w3') ? SEEDS : []).entries()) {
				log(`W3 seed ${seed}: W1 with 1005 above ${W3_RATE.max} requests per scaled second`);
				for (const spec of inTurn(i, [
					{ label: 'w3 node', contender: 'node', workflowId: ids.w1Node, seed, work: W1, rateLimit: W3_RATE },
					{ label: 'w3 loop', contender: 'loop', workflowId: ids.w1Loop, seed, work: W1, rateLimit: W3_RATE },
				]))
					runs.push(await runOnce(ctx, spec));
			}
			for (const seed of PARTS.has('w2') ? SEEDS : []) {
				log(`W2 seed ${seed}: 4 items x 4 images at 4K (noise), node only`);
				if (PARTS.has('w2ctl')) runs.push(await runOnce(ctx, { label: 'w2 control filesystem', contender: 'node', workflowId: ids.w2Ctl, seed, work: W2, sampleRss: true, outputToFile: true }));
				runs.push(await runOnce(ctx, { label: 'w2 node filesystem', contender: 'node', workflowId: ids.w2Node, seed, work: W2, sampleRss: true, outputToFile: true }));
				if (PARTS.has('w2ctl')) runs.push(await runOnce(ctx, { label: 'w2 control memory', contender: 'node', workflowId: ids.w2Ctl, seed, work: W2, sampleRss: true, outputToFile: true, env: memoryEnv }));
				runs.push(await runOnce(ctx, { label: 'w2 node memory', contender: 'node', workflowId: ids.w2Node, seed, work: W2, sampleRss: true, outputToFile: true, env: memoryEnv }));
			}
			if (PARTS.has('cpu')) {
				log('engine CPU: the node in n8n-core with an instant fake (20 items x 4 images, 1 warm-up + 3 runs)');
				cpu = await engineCpu(path.join(tmp.dir, 'engine-user'));
			}
		}
	} finally {
		await fake?.stop();
		if (flags.keep) log(`bench: kept ${tmp.dir}`);
		else await tmp.remove();
	}

	// ---- aggregate: medians over seeds of per-seed figures
	const pick = (/** @type {string} */ label) => runs.filter((r) => r.label === label);
	const med = (/** @type {string} */ label, /** @type {(r: any) => number | null | undefined} */ fn) =>
		median(pick(label).map((r) => /** @type {number} */ (fn(r))));
	const perImage = (/** @type {any} */ r) => r.result_calls / Math.max(1, r.images_out);
	const breakdown = (/** @type {string} */ label) => {
		const list = pick(label).map((r) => r.breakdown).filter(Boolean);
		if (list.length === 0) return null;
		/** @type {Record<string, number | null>} */
		const out = {};
		for (const key of Object.keys(list[0])) out[key] = round(median(list.map((b) => b[key])));
		return out;
	};
	/** medians of the numeric callback figures over seeds @param {any[]} list */
	const callbackBreakdown = (list) => {
		const figures = list.map((r) => r.callback).filter(Boolean);
		/** @type {Record<string, number | null>} */
		const out = {};
		for (const key of Object.keys(figures.find((f) => f.resumed_by_callback) ?? figures[0] ?? {})) {
			if (figures.some((f) => typeof f[key] === 'number')) out[key] = round(median(figures.map((f) => f[key])));
		}
		out.resumed_by_callback = figures.filter((f) => f.resumed_by_callback).length;
		return out;
	};
	const fsRuns = pick('w2 node filesystem');
	const memRuns = pick('w2 node memory');
	const idleAll = [...fsRuns, ...memRuns].map((r) => r.rss?.idleMiB);
	const bytesPerRun = [...fsRuns, ...memRuns].map((r) => r.bytes_served);
	/** @type {Record<string, any>} */
	const R = {
		time_scale: SCALE,
		w1_node_wall_s: round(med('w1 node', (r) => r.wall_s)),
		w1_loop_wall_s: round(med('w1 loop', (r) => r.wall_s)),
		w1_ideal_wall_s: round(med('w1 node', (r) => r.ideal_s)),
		w1_node_overhead_vs_ideal: round(med('w1 node', (r) => r.wall_s / r.ideal_s)),
		w1_loop_overhead_vs_ideal: round(med('w1 loop', (r) => r.wall_s / r.ideal_s)),
		w1_node_result_calls_per_image: round(med('w1 node', perImage)),
		w1_loop_result_calls_per_image: round(med('w1 loop', perImage)),
		w1_node_create_calls: med('w1 node', (r) => r.create_calls),
		// issue 7: W1 with the node waiting by callback; n8n's resume latency apart (see callbackFigures)
		w1_callback_wall_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.wall_s)) : null,
		w1_callback_result_calls_per_image: PARTS.has('cb') ? round(med('w1 callback', perImage)) : null,
		w1_callback_resume_latency_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.callback?.n8n_resume_latency_s)) : null,
		w1_callback_ideal_wall_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.ideal_s)) : null,
		w1_callback_wall_less_resume_latency_vs_ideal: PARTS.has('cb')
			? round(med('w1 callback', (r) => (r.wall_s - (r.callback?.n8n_resume_latency_s ?? NaN)) / r.ideal_s))
			: null,
		w3_node_images_out: PARTS.has('w3') ? med('w3 node', (r) => r.images_out) : null,
		w3_loop_images_out: PARTS.has('w3') ? med('w3 loop', (r) => r.images_out) : null,
		w3_node_create_calls: PARTS.has('w3') ? med('w3 node', (r) => r.create_calls) : null,
		w2_node_peak_rss_mb_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_idle_rss_mb: PARTS.has('w2') ? round(median(idleAll), 1) : null,
		w2_image_bytes_total: PARTS.has('w2') ? median(bytesPerRun) : null,
		engine_cpu_ms_per_image: cpu ? round(cpu.cpuMsPerImage, 2) : null,
		// ---- extras (same medians), to read the keys above
		seeds: SEEDS,
		parts: [...PARTS],
		w1_loop_create_calls: med('w1 loop', (r) => r.create_calls),
		w1_node_images_out: med('w1 node', (r) => r.images_out),
		w1_loop_images_out: med('w1 loop', (r) => r.images_out),
		w1_node_max_reads_per_job: med('w1 node', (r) => r.max_reads_per_job),
		w1_loop_max_reads_per_job: med('w1 loop', (r) => r.max_reads_per_job),
		// the whole execution, from n8n's startedAt (the Settle wait included)
		w1_node_execution_wall_s: round(med('w1 node', (r) => r.execution_wall_s)),
		w1_loop_execution_wall_s: round(med('w1 loop', (r) => r.execution_wall_s)),
		// the same figures counted from the first create call the fake received
		w1_node_wall_from_first_create_s: round(med('w1 node', (r) => r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN))),
		w1_loop_wall_from_first_create_s: round(med('w1 loop', (r) => r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN))),
		w1_node_overhead_vs_ideal_from_first_create: round(med('w1 node', (r) => (r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN)) / r.ideal_s)),
		w1_loop_overhead_vs_ideal_from_first_create: round(med('w1 loop', (r) => (r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN)) / r.ideal_s)),
		w1_node_breakdown: breakdown('w1 node'),
		w1_callback_overhead_vs_ideal: PARTS.has('cb') ? round(med('w1 callback', (r) => r.wall_s / r.ideal_s)) : null,
		w1_callback_images_out: PARTS.has('cb') ? med('w1 callback', (r) => r.images_out) : null,
		w1_callback_create_calls: PARTS.has('cb') ? med('w1 callback', (r) => r.create_calls) : null,
		w1_callback_statuses: PARTS.has('cb') ? pick('w1 callback').map((r) => r.status) : null,
		w1_callback_breakdown: PARTS.has('cb') ? callbackBreakdown(pick('w1 callback')) : null,
		w1_loop_breakdown: breakdown('w1 loop'),
		w3_node_wall_s: PARTS.has('w3') ? round(med('w3 node', (r) => r.wall_s)) : null,
		w3_loop_wall_s: PARTS.has('w3') ? round(med('w3 loop', (r) => r.wall_s)) : null,
		w3_ideal_wall_s: PARTS.has('w3') ? round(med('w3 node', (r) => r.ideal_s)) : null,
		w3_loop_create_calls: PARTS.has('w3') ? med('w3 loop', (r) => r.create_calls) : null,
		w3_node_create_requests: PARTS.has('w3') ? med('w3 node', (r) => r.create_requests) : null,
		w3_loop_create_requests: PARTS.has('w3') ? med('w3 loop', (r) => r.create_requests) : null,
		w3_node_result_calls_per_image: PARTS.has('w3') ? round(med('w3 node', perImage)) : null,
		w3_loop_result_calls_per_image: PARTS.has('w3') ? round(med('w3 loop', perImage)) : null,
		w3_node_result_calls_1005: PARTS.has('w3') ? med('w3 node', (r) => r.result_calls_1005) : null,
		w3_loop_result_calls_1005: PARTS.has('w3') ? med('w3 loop', (r) => r.result_calls_1005) : null,
		w3_loop_status: PARTS.has('w3') ? pick('w3 loop').map((r) => r.status) : null,
		w2_node_peak_rss_mb_filesystem_until_stop: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.peakExecOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory_until_stop: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.peakExecOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_filesystem_n8n_process_only: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.root.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory_n8n_process_only: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.root.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_rss_rise_from_low_mb_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.riseBytes ?? NaN) / MIB)), 1) : null,
		w2_node_rss_rise_from_low_mb_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.riseBytes ?? NaN) / MIB)), 1) : null,
		w2_control_peak_rss_mb: pick('w2 control filesystem').length ? round(median(pick('w2 control filesystem').map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_settle_s: W2_SETTLE_S,
		w2_node_images_out_filesystem: PARTS.has('w2') ? median(fsRuns.map((r) => r.images_out)) : null,
		w2_node_images_out_memory: PARTS.has('w2') ? median(memRuns.map((r) => r.images_out)) : null,
		w2_node_inline_binaries_memory: PARTS.has('w2') ? median(memRuns.map((r) => r.images_binary_inline)) : null,
		// the Akool node's own execution time (the workflow's wall includes the 5 s Settle wait)
		w2_node_exec_s_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => r.node_times?.Akool?.total_s))) : null,
		w2_node_exec_s_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => r.node_times?.Akool?.total_s))) : null,
		w2_ideal_wall_s: PARTS.has('w2') ? round(median([...fsRuns, ...memRuns].map((r) => r.ideal_s))) : null,
		w2_rss_sample_ms: RSS_SAMPLE_MS,
		engine_cpu: cpu,
		all_statuses_success: runs.filter((r) => r.contender === 'node').every((r) => r.status === 'success'),
		n8n_version: N8N_VERSION,
		git_head: gitInfo('rev-parse', 'HEAD'),
		git_dirty_node_files: gitInfo('status', '--porcelain', '--', 'nodes', 'credentials').split('\n').filter(Boolean).length,
		machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version} (bench) / 24.21.0 (n8n)`,
		date: new Date().toISOString(),
		load_avg_start: load0.map((x) => round(x, 2)),
		load_avg_end: os.loadavg().map((x) => round(x, 2)),
		bench_seconds: round((Date.now() - t0) / 1000, 1),
		runs: runs.map(({ by_code, ...r }) => ({ ...r, by_code })),
	};

	log('');
	log(table(R));
	log(`bench: ${runs.length} executions in ${sec(Date.now() - t0)}`);
	if (flags.out) await fsp.writeFile(flags.out, `${JSON.stringify(R, null, 2)}\n`);
	process.stdout.write(flags.json ? `${JSON.stringify(R)}\n` : `${JSON.stringify(R, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
