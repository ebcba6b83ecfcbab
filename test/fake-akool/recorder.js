// @ts-check
'use strict';

/**
 * @typedef {'create' | 'result' | 'button' | 'credits' | 'download' | 'other'} RequestKind
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./jobs').Job} Job
 */

/**
 * One request as the fake saw it, whatever happened to it (faulted, rejected, unanswered).
 * @typedef {object} RecordedRequest
 * @property {RequestKind} kind
 * @property {string} method
 * @property {string} path without the query string
 * @property {Record<string, string>} query
 * @property {Record<string, string>} headers names lower-cased
 * @property {any} body parsed JSON, or the raw text when it is not JSON, or undefined when empty
 * @property {'api' | 'cdn'} host which server got it
 * @property {number} at ms (the fake's clock) when it arrived
 * @property {number | null} doneAt ms (the fake's clock) when its answer ended or its socket closed
 * @property {Fault | null} fault the planned fault applied to it, if any
 * @property {number | null} status HTTP status answered; null when the fault gave no answer (reset, hang)
 * @property {number | null} code the JSON envelope's code, when the answer had one
 * @property {number} bytes body bytes of a CDN image answer actually sent (0 otherwise)
 */

/**
 * @typedef {object} FakeAkoolStats
 * @property {number} requests every recorded request
 * @property {Record<RequestKind, number>} byKind
 * @property {{ api: number, cdn: number }} byHost
 * @property {Record<string, number>} byCode envelope codes answered, e.g. { '1000': 9, '1005': 2 }
 * @property {Record<string, number>} byStatus HTTP statuses answered; 'none' for requests given no answer
 * @property {number} faults requests that got a planned fault
 * @property {{ created: number, queueing: number, processing: number, completed: number, failed: number }} jobs
 * @property {Record<string, number>} readsPerJob result calls per job id
 * @property {number} maxReadsPerJob
 * @property {number} downloads whole images served (HTTP 200 on the CDN, not truncated)
 * @property {number} bytesServed image bytes sent by the CDN
 * @property {number} credits balance now
 * @property {number} idealMs the slowest job's time from creation until its URL shows (its source downloaded): the least time any client needs
 * @property {number} spanMs time from the first to the last recorded request
 */

/** @type {readonly RequestKind[]} */
const REQUEST_KINDS = ['create', 'result', 'button', 'credits', 'download', 'other'];

/** @param {Record<string, number>} counts @param {string} key */
const bump = (counts, key) => {
	counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * @param {readonly RecordedRequest[]} requests
 * @param {Iterable<Job>} jobs
 * @param {number} credits
 * @returns {FakeAkoolStats}
 */
function computeStats(requests, jobs, credits) {
	const byKind = /** @type {Record<RequestKind, number>} */ (
		Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0]))
	);
	const byHost = { api: 0, cdn: 0 };
	/** @type {Record<string, number>} */
	const byCode = {};
	/** @type {Record<string, number>} */
	const byStatus = {};
	let faults = 0;
	let downloads = 0;
	let bytesServed = 0;
	for (const r of requests) {
		byKind[r.kind] += 1;
		byHost[r.host] += 1;
		if (r.code !== null) bump(byCode, String(r.code));
		bump(byStatus, r.status === null ? 'none' : String(r.status));
		if (r.fault) faults += 1;
		if (
			r.kind === 'download' &&
			r.method === 'GET' &&
			r.status === 200 &&
			r.fault?.truncate === undefined
		)
			downloads += 1;
		bytesServed += r.bytes;
	}
	const jobStats = { created: 0, queueing: 0, processing: 0, completed: 0, failed: 0 };
	const statusNames = /** @type {const} */ (['', 'queueing', 'processing', 'completed', 'failed']);
	/** @type {Record<string, number>} */
	const readsPerJob = {};
	let idealMs = 0;
	for (const job of jobs) {
		jobStats.created += 1;
		jobStats[statusNames[job.status]] += 1;
		readsPerJob[job.id] = job.reads;
		// a job with a source cannot show its URL before the source download ended
		const urlShowsAt = Math.max(job.urlAt, job.sourceDoneAt ?? -Infinity);
		idealMs = Math.max(idealMs, urlShowsAt - job.createdAt);
	}
	const spanMs = requests.length > 0 ? requests[requests.length - 1].at - requests[0].at : 0;
	return {
		requests: requests.length,
		byKind,
		byHost,
		byCode,
		byStatus,
		faults,
		jobs: jobStats,
		readsPerJob,
		maxReadsPerJob: Math.max(0, ...Object.values(readsPerJob)),
		downloads,
		bytesServed,
		credits,
		idealMs,
		spanMs,
	};
}

module.exports = { computeStats, REQUEST_KINDS };
