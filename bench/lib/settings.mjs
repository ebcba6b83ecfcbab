// @ts-check
/**
 * The benchmark's settings: its command line (see bench/run.mjs) and the workloads' constants.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: node bench/run.mjs [--json] [--quick] [--seeds 1,2,3] [--scale 1] [--only w1,cb,w2,w3,load,cpu] [--out FILE] [--keep]`;
/** The command line's flags; a bad one prints the usage and exits 2. */
function readFlags() {
	try {
		return parseArgs({
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
}
export const flags = readFlags();
if (flags.help) {
	process.stderr.write(`${USAGE}\n`);
	process.exit(0);
}

export const SCALE = Number(flags.scale);
// The node's Poll Interval is 1..60 s: 3 s x scale must stay >= 1 s.
if (!(SCALE >= 1 / 3 && SCALE <= 1)) {
	process.stderr.write(`--scale must be from 1/3 (the node's Poll Interval is at least 1 s: 3 s x scale) to 1\n`);
	process.exit(2);
}
export const SEEDS = (flags.seeds ?? (flags.quick ? '1' : '1,2,3')).split(',').map(Number);
if (SEEDS.some((s) => !Number.isInteger(s))) {
	process.stderr.write(`--seeds takes whole numbers, e.g. 1,2,3\n`);
	process.exit(2);
}
export const FULL = !flags.quick;
/**
 * Which parts run: all of them, W1 only with --quick, or a list with --only (e.g. --only w2,cpu).
 * `cb` is W1 with the node waiting by callback (issue 7), in an `n8n start` that the callbacks resume;
 * `load` is the reliability matrix's load row in a real n8n (issue 14).
 */
export const ALL_PARTS = ['w1', 'cb', 'w2', 'w3', 'load', 'cpu'];
export const PARTS = new Set((flags.only ?? (FULL ? ALL_PARTS.join(',') : 'w1')).split(',').map((x) => x.trim().toLowerCase()));
if ([...PARTS].some((p) => ![...ALL_PARTS, 'w2ctl'].includes(p))) {
	process.stderr.write(`--only takes a list of ${ALL_PARTS.join(', ')} (and w2ctl)\n`);
	process.exit(2);
}

/** Generation time of every job: uniform in 20-40 s (Akool-like), times SCALE for both contenders. */
export const DURATION_MS = [20_000, 40_000];
/** Akool's own clients poll every 5 s: the loop's Wait. */
export const LOOP_WAIT_S = 5;
/** The node's default Poll Interval. */
export const NODE_POLL_S = 3;
export const W1 = { items: 20, images: 4, resolution: '1080p', ratio: '1:1', imageKind: 'gradient' };
export const W2 = { items: Number(flags['w2-items'] ?? 4), images: 4, resolution: '4k', ratio: '1:1', imageKind: 'noise' };
/**
 * Every workflow starts with a real-time Wait ("Settle", not scaled) and its wall time is counted
 * from the end of that wait (n8n's own clock: the Settle node's end in the run data): `n8n execute`
 * starts the execution before its JS task runner has finished booting, so the first Code node waits
 * for it, 0.6-1.7 s, the longer the fewer node types n8n had to load first (a running n8n has its
 * runner up). W2 waits longer, for the RSS baseline (see nodeWorkflow).
 */
export const SETTLE_S = 3;
export const W2_SETTLE_S = 5;
/** W3: at most this many API requests per (scaled) second, then HTTP 200 {code: 1005}. */
export const W3_RATE = { max: 10, windowMs: 1000 };
/**
 * LOAD (the matrix's load row): 200 items x 4 images under W3's limit, jobs of 0.3-0.8 s (x scale),
 * so that the limit is the bottleneck: one create per item and one read per job need LOAD_FLOOR_S.
 * The node's Run options must allow 800 images and a long run.
 */
export const LOAD = { items: 200, images: 4, resolution: '1080p', ratio: '1:1', imageKind: 'gradient' };
export const LOAD_DURATION_MS = [300, 800];
export const LOAD_OPTIONS = { maxImagesPerRun: LOAD.items * LOAD.images, timeout: 900 };
export const LOAD_FLOOR_S = (((LOAD.items + LOAD.items * LOAD.images) / W3_RATE.max) * W3_RATE.windowMs * SCALE) / 1000;
export const RSS_SAMPLE_MS = 50;

// 24 bytes: Akool's callbacks are encrypted with the API key as an AES key (16, 24 or 32 bytes).
export const API_KEY = 'bench-akool-KEY-4b1d07-c';
export const CLIENT_ID = 'bench-client-id-01';
/** The fake's callbacks in the `cb` runs: Akool retries a callback that did not get HTTP 200. */
export const CALLBACKS = { clientId: CLIENT_ID, retryMs: 1000, maxAttempts: 10 };
export const AKOOL_CRED = { id: 'akoolBenchCred01', name: 'Akool (bench fake)' };
export const HEADER_CRED = { id: 'akoolBenchHdr001', name: 'Akool x-api-key' };
export const AKOOL_PUBLIC_BASE = 'https://openapi.akool.com';
