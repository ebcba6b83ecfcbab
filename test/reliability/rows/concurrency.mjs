// @ts-check
/**
 * Concurrency is one bound over every request of the run: creates, result reads and image downloads
 * together never exceed it, at any moment, as the fake Akool counts them (API and CDN, from arrival
 * until the answer ended), with every answer held long enough for them to overlap.
 */
import { generate, prompts, recordsOf } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Observation} Observation */

/** Both kinds were in flight at one moment: a download and a read side by side. @param {Observation} o */
function readsBesideDownloads(o) {
	const reads = recordsOf(o, 'result');
	return recordsOf(o, 'download').some((download) =>
		reads.some((read) => read.at < (download.doneAt ?? Infinity) && download.at < (read.doneAt ?? Infinity)),
	);
}

/**
 * The fake's count of requests in flight never went over `concurrency` and reached it (the bound
 * was what held them back), and reads and downloads shared it.
 * @param {number} concurrency @returns {(o: Observation) => string[]}
 */
const honoursConcurrency = (concurrency) => (o) => {
	/** @type {string[]} */
	const failures = [];
	const { peak, byHost } = o.fake.inFlight();
	if (peak > concurrency) failures.push(`${peak} requests in flight at one moment (API ${byHost.api.peak}, CDN ${byHost.cdn.peak} at most), Concurrency is ${concurrency}`);
	if (peak < concurrency) failures.push(`at most ${peak} requests in flight: the bound of ${concurrency} was never reached, so the row proves nothing`);
	if (!readsBesideDownloads(o)) failures.push('no read ran beside a download: the row proves nothing about one bound over both');
	o.counts.note = `at most ${peak} requests in flight (API ${byHost.api.peak}, CDN ${byHost.cdn.peak} at most), Concurrency ${concurrency}`;
	return failures;
};

/** @type {Row[]} */
export const rows = [
	{
		id: 'Concurrency 3: creates, reads, downloads',
		group: 'concurrency',
		items: prompts(8),
		params: generate({ numberOfImages: 4, options: { concurrency: 3 } }),
		cof: true,
		fake: { latencyMs: 100, cdnLatencyMs: 100, durationMs: [150, 400] },
		expect: { text: '≤ 3 requests in flight at every moment; all whole', creates: 8, errorItems: [] },
		check: honoursConcurrency(3),
	},
	{
		id: 'Concurrency 2, Akool rate-limiting',
		group: 'concurrency',
		items: prompts(6),
		params: generate({ numberOfImages: 2, options: { concurrency: 2 } }),
		cof: true,
		fake: { latencyMs: 100, cdnLatencyMs: 100, durationMs: [150, 400], rateLimit: { max: 4, windowMs: 1000 } },
		expect: { text: '≤ 2 in flight, refusals resent; all whole', creates: 6, errorItems: [] },
		check: honoursConcurrency(2),
	},
];
