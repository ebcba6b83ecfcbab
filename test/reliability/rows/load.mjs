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

/** @type {Row[]} */
export const rows = [
	{
		id: 'load: 200 items × 4, rate-limited',
		group: 'load',
		items: prompts(200),
		params: generate({ numberOfImages: 4, options: { maxImagesPerRun: 800, timeout: 900 } }),
		cof: true,
		fake: { rateLimit: { max: 10, windowMs: 1000 }, durationMs: [300, 800] },
		expect: { text: '800 images, 200 creates, 800 jobs, no error items', creates: 200, errorItems: [] },
		check: (o) => {
			/** @type {string[]} */
			const failures = [];
			const images = o.output.filter((item) => item.json?.jobId && item.binary?.data);
			if (images.length !== 800) failures.push(`${images.length} images out, expected 800`);
			if (o.jobs.length !== 800) failures.push(`${o.jobs.length} jobs made, expected 800`);
			const accepted = recordsOf(o, 'create').filter((rec) => rec.code === 1000).length;
			if (accepted !== 200) failures.push(`${accepted} creates accepted, expected 200`);
			const refused = o.requests.filter((rec) => rec.code === 1005).length;
			const served = o.requests.filter((rec) => rec.host === 'api' && rec.code === 1000).length;
			o.counts.note =
				`${(o.ms / 1000).toFixed(1)} s (the rate limit alone needs ${Math.ceil(served / 10)} s for the ${served} API calls served), ` +
				`${recordsOf(o, 'result').length} result reads, ${refused} requests refused (1005), ${recordsOf(o, 'download').length} downloads`;
			return failures;
		},
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
	{
		id: 'cancel during a 1005 back-off',
		group: 'cancel',
		quiet: true,
		params: generate(),
		plan: { create: [{ always: true, json: { code: 1005, msg: 'Too frequent', data: null }, headers: { 'Retry-After': '30' } }] },
		onStart: cancelWhen((fake) => fake.count('create') >= 1),
		settleMs: 2500,
		expect: { text: 'stops waiting: no request after the cancel', creates: 1, skipItems: true },
		check: stoppedWithin(1000),
	},
	{
		id: 'cancel during a read retry back-off',
		group: 'cancel',
		quiet: true,
		params: generate(),
		plan: { result: [{ always: true, status: 503 }] },
		onStart: cancelWhen((fake) => fake.count('result') >= 1),
		settleMs: 2500,
		expect: { text: 'stops retrying: no request after 1 s', creates: 1, skipItems: true },
		check: stoppedWithin(1000),
	},
];
