// @ts-check
/**
 * The generic checks of what a row paid for, applied to every row:
 * - creates: each item's create (or button press) is sent once, unless every earlier attempt was
 *   refused (1005 / 429), the number of items that sent one equals `expect.creates`, and the jobs
 *   Akool made are exactly those of the accepted calls (refused attempts made nothing);
 * - sources: every job made from a source image that completed had it downloaded by the fake (as
 *   Akool does), and a sample source arrived byte for byte (rows write sources as SAMPLE_SOURCE).
 */
import { fakeAkool } from './fake.mjs';
import { isRefusal, replacesAnswer } from './records.mjs';
import { clip } from './text.mjs';

/** @typedef {import('./types.mjs').Observation} Observation */

/** The creates (and buttons) rule; sets the table's `creates a/r` cell. @param {Observation} o @returns {string[]} */
export function checkCreates(o) {
	/** @type {string[]} */
	const failures = [];
	const paid = o.requests.filter((rec) => rec.kind === 'create' || rec.kind === 'button');
	/** @type {Map<string, any[]>} */
	const attempts = new Map();
	for (const rec of paid) {
		const key = rec.kind === 'create' ? `create ${JSON.stringify(rec.body)}` : `button ${rec.body?._id} ${rec.body?.button}`;
		attempts.set(key, [...(attempts.get(key) ?? []), rec]);
	}
	for (const [key, list] of attempts) {
		const resentAfter = list.slice(0, -1).filter((rec) => !isRefusal(rec));
		if (resentAfter.length) {
			failures.push(
				`a paid call was sent ${list.length} times though Akool did not refuse it before (${clip(key, 90)}; answers: ${list
					.map((rec) => rec.code ?? rec.status ?? 'none')
					.join(', ')})`,
			);
		}
	}
	const refused = paid.filter(isRefusal).length;
	o.counts.creates = `${o.row.expect.creates ?? 0}/${paid.length}${refused ? ` (${refused} refused)` : ''}`;
	if (o.row.expect.creates !== undefined && attempts.size !== o.row.expect.creates) {
		failures.push(`expected ${o.row.expect.creates} paid call(s) asked, the fake received ${attempts.size} distinct (${paid.length} requests)`);
	}
	const accepted = paid.filter((rec) => rec.code === 1000 && !replacesAnswer(rec.fault));
	const expectedJobs = accepted.reduce((sum, rec) => {
		if (rec.kind === 'button') return sum + 1;
		const quantity = Number(rec.body?.batch_quantity ?? 1);
		const short = rec.fault?.shortArray;
		return sum + (!short ? quantity : short === true ? quantity - 1 : Math.min(short, quantity));
	}, 0);
	if (o.jobs.length !== expectedJobs) {
		failures.push(`the fake made ${o.jobs.length} job(s), but its accepted paid calls account for ${expectedJobs}`);
	}
	return failures;
}

/**
 * The sources rule: Akool downloads the source of each job made from one, and so does the fake; a
 * job that completed had its source downloaded whole, and a sample arrived byte for byte.
 * @param {Observation} o @returns {string[]}
 */
export function checkSources(o) {
	/** @type {string[]} */
	const failures = [];
	for (const job of o.jobs) {
		if (job.status !== 3 || job.sourceState === 'none') continue;
		const fetched = o.fake.sourceFetches.find((/** @type {any} */ f) => f.jobId === job.id);
		if (fetched?.state !== 'ok') {
			failures.push(`job ${job.id} completed without its source downloaded (${fetched?.error ?? 'no download'})`);
			continue;
		}
		const sample = fakeAkool.sampleAt(o.fake.baseUrl, fetched.url);
		if (sample && fetched.sha256 !== sample.sha256)
			failures.push(`job ${job.id}: the fake got ${fetched.bytes} bytes from ${fetched.url}, not the sample's ${sample.bytes.length}`);
	}
	return failures;
}
