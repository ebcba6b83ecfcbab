// @ts-check
/**
 * Faults of the result call (safe): retried with back-off within a bound, then the item's error
 * naming its job IDs (paid for: fetch them later with Get Result). Business errors are not retried.
 */
import { attemptsPerSubject, generate, jobOfRequest, prompts, recordsOf } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Observation} Observation */

const GET_RESULT = /Get Result/;

/** Reads of the job a fault hit. @param {Observation} o */
function readsOfFaultedJob(o) {
	const faulted = recordsOf(o, 'result').find((rec) => rec.fault);
	const job = faulted ? jobOfRequest(o.fake, faulted) : undefined;
	return job ? recordsOf(o, 'result').filter((rec) => jobOfRequest(o.fake, rec) === job).length : 0;
}

/**
 * One faulted read (or a few), then the job reads fine: everything whole, the retry after a back-off.
 * @param {string} id @param {object} fault @param {Partial<Row>} [more] @returns {Row}
 */
function recovers(id, fault, more = {}) {
	return {
		id,
		group: 'result',
		items: prompts(2),
		params: generate(),
		cof: true,
		plan: { result: [{ nth: 1, ...fault }] },
		expect: { text: 'read retried after a back-off; all whole', creates: 2, errorItems: [] },
		check: (o) => [
			...(recordsOf(o, 'result').some((rec) => rec.fault) ? [] : ['the fault hit no read']),
			...attemptsPerSubject(o, 'result', { minGapMs: 900 }),
		],
		...more,
	};
}

/**
 * Every read of one job fails (concurrency 1, so the faulted reads are the same job's attempts):
 * retried a bounded number of times with back-off, then that item's error names its job.
 * @param {string} id @param {object} fault @param {RegExp} message @returns {Row}
 */
function givesUp(id, fault, message) {
	return {
		id,
		group: 'result',
		items: prompts(3),
		params: generate({ options: { concurrency: 1 } }),
		cof: true,
		plan: { result: [{ nth: 1, times: 4, ...fault }] },
		expect: {
			text: 'hit job: ≤4 reads with back-off, error naming it; others whole',
			creates: 3,
			errorItems: 'faulted',
			errorItem: { message, description: GET_RESULT },
		},
		check: (o) => {
			const reads = readsOfFaultedJob(o);
			return [
				...(reads >= 2 && reads <= 4 ? [] : [`the failing job was read ${reads} times; expected 2 to 4 tries`]),
				...attemptsPerSubject(o, 'result', { minGapMs: 900 }),
			];
		},
	};
}

/** @param {number} code @param {string} msg */
const business = (code, msg) => ({ json: { code, msg, data: null } });

/** @type {Row[]} */
export const rows = [
	recovers('result 500 once', { status: 500 }),
	givesUp('result 500 every try', { status: 500 }, /HTTP 500/),
	recovers('result 502 once', { status: 502 }),
	recovers('result 503 once', { status: 503 }),
	{
		id: 'result 503 always (CoF off)',
		group: 'result',
		params: generate({ numberOfImages: 2 }),
		plan: { result: [{ always: true, status: 503 }] },
		expect: {
			text: 'gives up after ≤4 tries; error names the job, Get Result',
			creates: 1,
			error: { name: 'NodeApiError', message: /HTTP 503/, description: /Gave up after \d tries/, itemIndex: 0 },
		},
		check: (o) => attemptsPerSubject(o, 'result', { max: 4, min: 2, minGapMs: 900 }),
	},
	{
		id: 'result 500 always, 2 images (CoF on)',
		group: 'result',
		params: generate({ numberOfImages: 2 }),
		cof: true,
		plan: { result: [{ always: true, status: 500 }] },
		expect: {
			text: 'error item naming BOTH jobs of the item (both paid)',
			creates: 1,
			errorItems: [0],
			errorItem: { message: /HTTP 500/, description: GET_RESULT },
		},
	},
	recovers('result reset once', { reset: true }),
	givesUp('result reset every try', { reset: true }, /connection was reset/),
	recovers('result no answer once', { hangMs: 7000 }, { params: generate({ options: { requestTimeout: 5 } }) }),
	{
		id: 'result no answer every try',
		group: 'result',
		params: generate({ options: { requestTimeout: 5 } }),
		cof: true,
		plan: { result: [{ always: true, hangMs: 7000 }] },
		expect: {
			text: 'timeouts retried ≤4 times; error item naming the job',
			creates: 1,
			errorItems: [0],
			errorItem: { message: /no answer within the request timeout/, description: GET_RESULT },
		},
		check: (o) => attemptsPerSubject(o, 'result', { max: 4, min: 2 }),
	},
	recovers('result malformed JSON once', { raw: '{"code":1000,"data":{"image_status":3', contentType: 'application/json' }),
	givesUp('result malformed JSON every try', { raw: 'not json at all', contentType: 'application/json' }, /not Akool JSON/),
	recovers('result 1005 once', business(1005, 'Too frequent')),
	{
		id: 'result 1008 unknown job (CoF on)',
		group: 'result',
		items: prompts(2),
		params: generate(),
		cof: true,
		plan: { result: [{ nth: 1, ...business(1008, 'Content does not exist') }] },
		expect: {
			text: 'hit job: not retried, error naming it; other whole',
			creates: 2,
			errorItems: 'faulted',
			errorItem: { message: /Akool error 1008/, description: /does not know this job[\s\S]*Get Result/ },
		},
		check: (o) => (readsOfFaultedJob(o) === 1 ? [] : [`the unknown job was read ${readsOfFaultedJob(o)} times, expected 1`]),
	},
	{
		id: 'result 1014 unknown job (CoF off)',
		group: 'result',
		params: generate(),
		plan: { result: [{ nth: 1, ...business(1014, 'Resource does not exist') }] },
		expect: { text: 'not retried; error names item 0 and the job', creates: 1, error: { message: /Akool error 1014/, itemIndex: 0 } },
		check: (o) => attemptsPerSubject(o, 'result', { max: 1 }),
	},
	{
		id: 'result status 4 (CoF on)',
		group: 'result',
		items: prompts(3),
		params: generate({ numberOfImages: 2 }),
		cof: true,
		plan: { result: [{ nth: 2, jobStatus: 4 }] },
		expect: {
			text: 'failed job: its item errors naming it; others whole',
			creates: 3,
			errorItems: 'faulted',
			partial: 1,
			errorItem: { message: /failed \(status 4\)/ },
		},
	},
	{
		id: 'result status 4 (CoF off)',
		group: 'result',
		params: generate(),
		plan: { result: [{ always: true, jobStatus: 4 }] },
		expect: { text: 'fails naming item 0 and the failed job', creates: 1, error: { name: 'NodeApiError', message: /failed \(status 4\)/, itemIndex: 0 } },
	},
	{
		id: 'job fails at Akool ([fail] prompt)',
		group: 'result',
		items: prompts(3, (i) => (i === 1 ? { prompt: 'item 1 [fail]' } : {})),
		params: generate(),
		cof: true,
		expect: { text: 'item 1: error naming its job; 0 and 2 whole', creates: 3, errorItems: [1], errorItem: { message: /failed \(status 4\)/ } },
	},
	{
		id: 'result status 3, URL late (urlDelayMs)',
		group: 'result',
		items: prompts(2),
		params: generate(),
		fake: { urlDelayMs: 2500 },
		expect: { text: 'read again until the URL shows; all whole', creates: 2 },
		check: (o) => (o.jobs.some((job) => job.reads >= 2) ? [] : ['no job was read again while its URL was missing']),
	},
	{
		id: 'result status 3 without URL (noUrl ×3)',
		group: 'result',
		params: generate(),
		plan: { result: [{ nth: 1, times: 3, noUrl: true }] },
		expect: { text: 'read again until the URL shows; whole', creates: 1 },
		check: (o) => (recordsOf(o, 'result').length >= 4 ? [] : [`${recordsOf(o, 'result').length} reads, expected 4 or more`]),
	},
	{
		id: 'result upscaled_urls only',
		group: 'result',
		params: generate({ numberOfImages: 2 }),
		fake: { urlInUpscaledOnly: true },
		expect: { text: 'URL read from upscaled_urls[0]; whole', creates: 1 },
	},
	{
		id: 'result status going back (2, then 1)',
		group: 'result',
		params: generate(),
		plan: { result: [{ nth: 1, jobStatus: 2 }, { nth: 2, jobStatus: 1 }] },
		expect: { text: 'keeps waiting; whole', creates: 1 },
		check: (o) => (recordsOf(o, 'result').length >= 3 ? [] : [`${recordsOf(o, 'result').length} reads, expected 3 or more`]),
	},
	{
		id: 'result stuck queueing (CoF off)',
		group: 'result',
		items: prompts(2),
		params: generate({ numberOfImages: 2, options: { timeout: 5 } }),
		plan: { result: [{ always: true, jobStatus: 1 }] },
		expect: {
			text: 'times out at 5 s naming all 4 jobs, charged, Get Result',
			creates: 2,
			error: { message: /Timed out after 5 s/, description: /charged[\s\S]*Get Result/, itemIndex: 0 },
		},
		check: (o) => (o.ms >= 5000 && o.ms < 12000 ? [] : [`took ${o.ms} ms for a 5 s timeout`]),
	},
	{
		id: 'result stuck queueing (CoF on)',
		group: 'result',
		items: prompts(2),
		params: generate({ options: { timeout: 5 } }),
		cof: true,
		plan: { result: [{ always: true, jobStatus: 1 }] },
		expect: {
			text: 'both items: timeout error items naming their jobs',
			creates: 2,
			errorItems: 'all',
			errorItem: { message: /Timed out after 5 s/, description: /charged[\s\S]*Get Result/ },
		},
	},
];
