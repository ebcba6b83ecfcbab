// @ts-check
/**
 * A model, not a measurement: drives the BUILT PollPlan (dist/nodes/Akool/engine/polling/pollPlan.js) with a
 * virtual clock over the fake Akool's job durations (same RNG, same draw order as the fake), the way
 * waitForJobs does (rounds of due reads, 5 in flight, a read seeing a job finished once its URL is
 * shown), and prints reads per image and when the last job is seen. Use it to try a schedule change
 * in seconds before running the benchmark; the benchmark's figures are the ones that count (n8n's own
 * per-read and per-round costs are not in the model: it reads a little less than the real runs).
 *
 *   node bench/poll-sim.mjs [--scale 0.5] [--items 20] [--images 4] [--duration-ms 20000-40000] [--seeds 1,2,3]
 *
 * Variants: `node` = the built PollPlan as it is; `fixed` = every pending job read every Poll Interval
 * (what a per-item poll loop does), for comparison.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
/** @type {any} the built class (its TypeScript privates are plain properties at run time) */
const PollPlan = require('../dist/nodes/Akool/engine/polling/pollPlan.js').PollPlan;
/** @type {{ mulberry32: (seed: number) => () => number }} */
const { mulberry32 } = require('../test/fake-akool/rng.js');

const { values } = parseArgs({
	options: {
		scale: { type: 'string', default: '0.5' },
		items: { type: 'string', default: '20' },
		images: { type: 'string', default: '4' },
		'duration-ms': { type: 'string', default: '20000-40000' },
		seeds: { type: 'string', default: '1,2,3' },
		'poll-s': { type: 'string', default: '3' },
	},
});
const SCALE = Number(values.scale);
const ITEMS = Number(values.items);
const IMAGES = Number(values.images);
const [DMIN, DMAX] = String(values['duration-ms']).split('-').map(Number);
const SEEDS = String(values.seeds).split(',').map(Number);
const INTERVAL = Number(values['poll-s']) * 1000 * SCALE;
const CONCURRENCY = 5;
const READ_MS = 6; // one result call on loopback
const CREATE_MS = 60;

/** The baseline most image nodes use: every pending job read every interval from its creation. */
class FixedInterval {
	/** @param {number} intervalMs */
	constructor(intervalMs) {
		this.intervalMs = intervalMs;
	}

	learnFinished() {}

	/** @param {any[]} pending */
	dueTimes(pending) {
		return pending.map((job) => (job.lastReadAt ?? job.createdAt) + this.intervalMs);
	}
}

/** @param {number} seed */
function makeJobs(seed) {
	const rng = mulberry32(seed);
	const jobs = [];
	for (let item = 0; item < ITEMS; item++) {
		const createdAt = (Math.floor(item / CONCURRENCY) + 1) * CREATE_MS;
		for (let k = 0; k < IMAGES; k++) {
			const readyAt = createdAt + Math.round((DMIN + (DMAX - DMIN) * rng()) * SCALE);
			jobs.push({ id: String(jobs.length), createdAt, readyAt, reads: 0, lastReadAt: undefined, seenAt: undefined });
		}
	}
	return jobs;
}

/** @param {number} seed @param {any} Plan */
function simulate(seed, Plan) {
	const jobs = makeJobs(seed);
	const plan = new Plan(INTERVAL, jobs.length);
	let pending = [...jobs];
	let now = Math.max(...jobs.map((j) => j.createdAt));
	while (pending.length > 0) {
		const due = plan.dueTimes(pending);
		const ready = pending.filter((_, i) => due[i] <= now);
		if (ready.length === 0) {
			now = Math.min(...due);
			continue;
		}
		ready.forEach((job, i) => {
			const at = now + Math.floor(i / CONCURRENCY) * READ_MS;
			job.reads++;
			job.lastReadAt = at + READ_MS;
			if (at >= job.readyAt) {
				job.seenAt = at;
				plan.learnFinished(job, at + READ_MS);
			}
		});
		now += Math.ceil(ready.length / CONCURRENCY) * READ_MS;
		pending = pending.filter((job) => job.seenAt === undefined);
	}
	const last = jobs.reduce((a, b) => (b.readyAt > a.readyAt ? b : a));
	return {
		readsPerImage: jobs.reduce((sum, j) => sum + j.reads, 0) / jobs.length,
		lastSeenAfterS: (last.seenAt - last.readyAt) / 1000,
		meanDelayS: jobs.reduce((sum, j) => sum + (j.seenAt - j.readyAt), 0) / jobs.length / 1000,
	};
}

console.log(
	`${ITEMS} items x ${IMAGES} images, jobs ${(DMIN * SCALE) / 1000}-${(DMAX * SCALE) / 1000} s, Poll Interval ${INTERVAL / 1000} s, seeds ${SEEDS.join(',')}`,
);
/** @type {[string, any][]} */
const variants = [
	['node', PollPlan],
	['fixed', FixedInterval],
];
for (const [name, Plan] of variants) {
	const runs = SEEDS.map((seed) => simulate(seed, Plan));
	const mean = (/** @type {'readsPerImage' | 'lastSeenAfterS' | 'meanDelayS'} */ k) => runs.reduce((a, r) => a + r[k], 0) / runs.length;
	console.log(
		`  ${name.padEnd(9)} reads/image ${mean('readsPerImage').toFixed(2)} · last job seen ${mean('lastSeenAfterS').toFixed(2)} s after its image (max ${Math.max(...runs.map((r) => r.lastSeenAfterS)).toFixed(2)}) · mean detection delay ${mean('meanDelayS').toFixed(2)} s`,
	);
}
