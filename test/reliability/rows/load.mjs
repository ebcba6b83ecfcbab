// @ts-check
/**
 * The load row (a big unattended batch against a rate-limiting Akool) and the cancel rows (a
 * cancelled execution stops calling Akool within one poll interval).
 */
import { generate, prompts, recordsOf, sleep } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Observation} Observation */

/**
 * Cancels the execution once `ready(fake)` holds (at most 20 s in).
 * @param {(fake: any) => boolean} ready
 * @returns {NonNullable<Row['onStart']>}
 */
const cancelWhen = (ready) => ({ fake, cancel, marks }) => {
	marks.startedAt = Date.now();
	void (async () => {
		const until = Date.now() + 20_000;
		while (!ready(fake) && Date.now() < until) await sleep(20);
		marks.ready = ready(fake);
		marks.cancelledAt = Date.now();
		cancel();
	})();
};

/**
 * Nothing reached the fake more than `withinMs` after the cancel, and the execution ended soon after.
 * @param {number} withinMs @returns {(o: Observation) => string[]}
 */
const stoppedWithin = (withinMs) => (o) => {
	/** @type {string[]} */
	const failures = [];
	const { cancelledAt, startedAt, ready } = o.marks;
	if (!ready) failures.push('the moment to cancel never came');
	const late = o.requests.filter((rec) => rec.at > cancelledAt + withinMs);
	if (late.length) {
		failures.push(
			`${late.length} request(s) reached the fake more than ${withinMs} ms after the cancel: ${late
				.slice(0, 3)
				.map((rec) => `${rec.kind} +${rec.at - cancelledAt} ms`)
				.join(', ')}`,
		);
	}
	const endedAfter = startedAt + o.ms - cancelledAt;
	if (endedAfter > withinMs + 500) failures.push(`the execution ended ${endedAfter} ms after the cancel`);
	o.counts.note = `last request +${Math.max(0, ...o.requests.map((rec) => rec.at - cancelledAt))} ms after cancel`;
	return failures;
};

/**
 * A cancel while the node waits before sending `kind` again (every answer is `fault`): nothing
 * reaches the fake after it.
 * @param {string} id @param {'create' | 'result'} kind @param {object} fault @param {string} text
 * @returns {Row}
 */
const cancelInBackOff = (id, kind, fault, text) => ({
	id,
	group: 'cancel',
	quiet: true,
	params: generate(),
	plan: { [kind]: [{ always: true, ...fault }] },
	onStart: cancelWhen((fake) => fake.count(kind) >= 1),
	settleMs: 2500,
	expect: { text, creates: 1, skipItems: true },
	check: stoppedWithin(1000),
});

/** The load row: a big batch against an Akool that refuses (1005) above 10 requests per second. */
const LOAD = { items: 200, images: 4, rateLimit: { max: 10, windowMs: 1000 } };
/**
 * The least time the limit allows: one create per item and one read per job (once finished), at
 * the limit. The run must stay within this share over it, with no more refusals than the pacing of
 * 2026-11 (a 1 s pause after each refusal: 181.5 s and 87 refused), within the default Concurrency.
 */
const LOAD_BOUND = { overFloor: 1.2, refused: 87, inFlight: 5 };

/** @param {Observation} o @returns {string[]} */
function checkLoad(o) {
	const jobs = LOAD.items * LOAD.images;
	/** @type {string[]} */
	const failures = [];
	const images = o.output.filter((item) => item.json?.jobId && item.binary?.data);
	if (images.length !== jobs) failures.push(`${images.length} images out, expected ${jobs}`);
	if (o.jobs.length !== jobs) failures.push(`${o.jobs.length} jobs made, expected ${jobs}`);
	const accepted = recordsOf(o, 'create').filter((rec) => rec.code === 1000).length;
	if (accepted !== LOAD.items) failures.push(`${accepted} creates accepted, expected ${LOAD.items}`);
	const perSecond = (LOAD.rateLimit.max * 1000) / LOAD.rateLimit.windowMs;
	const floorS = (LOAD.items + jobs) / perSecond;
	const refused = o.requests.filter((rec) => rec.code === 1005).length;
	const served = o.requests.filter((rec) => rec.host === 'api' && rec.code === 1000).length;
	const overFloor = o.ms / 1000 / floorS;
	const { peak } = o.fake.inFlight();
	if (overFloor > LOAD_BOUND.overFloor) failures.push(`${(o.ms / 1000).toFixed(1)} s is ${overFloor.toFixed(2)} × the floor of ${floorS} s, over ${LOAD_BOUND.overFloor} ×`);
	if (refused > LOAD_BOUND.refused) failures.push(`${refused} requests refused, more than ${LOAD_BOUND.refused}`);
	if (peak > LOAD_BOUND.inFlight) failures.push(`${peak} requests in flight at one moment, more than Concurrency (${LOAD_BOUND.inFlight})`);
	o.counts.note =
		`${(o.ms / 1000).toFixed(1)} s (the rate limit alone needs ${Math.ceil(served / perSecond)} s for the ${served} API calls served; ` +
		`${overFloor.toFixed(2)} × the floor of ${floorS} s for one create per item and one read per job), ` +
		`${recordsOf(o, 'result').length} result reads, ${refused} requests refused (1005), at most ${peak} in flight, ${recordsOf(o, 'download').length} downloads`;
	return failures;
}

/** @type {Row[]} */
export const rows = [
	{
		id: 'load: 200 items × 4, rate-limited',
		group: 'load',
		items: prompts(LOAD.items),
		params: generate({ numberOfImages: LOAD.images, options: { maxImagesPerRun: LOAD.items * LOAD.images, timeout: 900 } }),
		cof: true,
		fake: { rateLimit: LOAD.rateLimit, durationMs: [300, 800] },
		expect: { text: '800 images, 200 creates, 800 jobs, no error items', creates: LOAD.items, errorItems: [] },
		check: checkLoad,
	},
	{
		id: 'cancel while waiting for jobs',
		group: 'cancel',
		quiet: true,
		items: prompts(2),
		params: generate({ numberOfImages: 2, options: { pollInterval: 1, timeout: 120 } }),
		fake: { durationMs: 60_000 },
		onStart: cancelWhen((fake) => fake.count('result') >= 3),
		settleMs: 2500,
		expect: { text: 'no request more than 1 poll interval (1 s) after', creates: 2, skipItems: true },
		check: stoppedWithin(1000),
	},
	cancelInBackOff('cancel during a 1005 back-off', 'create', { json: { code: 1005, msg: 'Too frequent', data: null }, headers: { 'Retry-After': '30' } }, 'stops waiting: no request after the cancel'),
	cancelInBackOff('cancel during a read retry back-off', 'result', { status: 503 }, 'stops retrying: no request after 1 s'),
];
