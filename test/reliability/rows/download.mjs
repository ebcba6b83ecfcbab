// @ts-check
/**
 * Faults of the download from Akool's CDN (safe, and carrying no credentials): server errors and cut
 * bodies retried within a bound; a gone, wrong or oversized file fails at once; every failure names
 * the job, finished and charged, to fetch again with Get Result.
 */
import { attemptsPerSubject, generate, jobOfRequest, prompts, recordsOf } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Observation} Observation */

const CHARGED = /finished and charged[\s\S]*Get Result/;

/** Downloads of the job a fault hit. @param {Observation} o */
function downloadsOfFaultedJob(o) {
	const faulted = recordsOf(o, 'download').find((rec) => rec.fault);
	const job = faulted ? jobOfRequest(o.fake, faulted) : undefined;
	return job ? recordsOf(o, 'download').filter((rec) => jobOfRequest(o.fake, rec) === job).length : 0;
}

/**
 * A fault on the first download of three items: that item's error names its job; the others are whole.
 * @param {string} id @param {object} fault @param {RegExp} message @param {{ tries: number, concurrency?: number, times?: number, options?: object }} how
 * @returns {Row}
 */
function failsItem(id, fault, message, { tries, concurrency = 5, times = 1, options = {} }) {
	return {
		id,
		group: 'download',
		items: prompts(3),
		params: generate({ options: { concurrency, ...options } }),
		cof: true,
		plan: { download: [{ nth: 1, times, ...fault }] },
		expect: {
			text: `hit job: ${tries === 1 ? 'not retried' : `≤${tries} tries`}, error item naming it; others whole`,
			creates: 3,
			errorItems: 'faulted',
			errorItem: { message, description: CHARGED },
		},
		check: (o) => {
			const n = downloadsOfFaultedJob(o);
			const ok = tries === 1 ? n === 1 : n >= 2 && n <= tries;
			return [...(ok ? [] : [`the failing image was downloaded ${n} times; expected ${tries === 1 ? 1 : `2 to ${tries}`}`]), ...attemptsPerSubject(o, 'download', { minGapMs: tries === 1 ? undefined : 900 })];
		},
	};
}

/** @type {Row[]} */
export const rows = [
	failsItem('download 404', { status: 404 }, /HTTP 404: the image is gone/, { tries: 1 }),
	{
		id: 'download 410 (CoF off)',
		group: 'download',
		params: generate(),
		plan: { download: [{ always: true, status: 410 }] },
		expect: {
			text: 'not retried; fails naming item 0 and the charged job',
			creates: 1,
			error: { name: 'NodeApiError', message: /HTTP 410: the image is gone/, description: CHARGED, itemIndex: 0 },
		},
		check: (o) => attemptsPerSubject(o, 'download', { max: 1 }),
	},
	{
		id: 'download 500 once',
		group: 'download',
		items: prompts(2),
		params: generate(),
		cof: true,
		plan: { download: [{ nth: 1, status: 500 }] },
		expect: { text: 'retried after a back-off; all whole', creates: 2, errorItems: [] },
		check: (o) => attemptsPerSubject(o, 'download', { max: 2, minGapMs: 900 }),
	},
	{
		id: 'download 500 every try (CoF off)',
		group: 'download',
		params: generate(),
		plan: { download: [{ always: true, status: 500 }] },
		expect: {
			text: 'gives up after ≤3 tries; fails naming the charged job',
			creates: 1,
			error: { message: /HTTP 500 from the image host/, description: CHARGED, itemIndex: 0 },
		},
		check: (o) => attemptsPerSubject(o, 'download', { max: 3, min: 2, minGapMs: 900 }),
	},
	failsItem('download 500 every try (CoF on)', { status: 500 }, /HTTP 500 from the image host/, { tries: 3, concurrency: 1, times: 3 }),
	{
		id: 'download cut short once',
		group: 'download',
		params: generate({ numberOfImages: 2 }),
		plan: { download: [{ nth: 1, truncate: 300 }] },
		expect: { text: 'retried; whole images only', creates: 1 },
		check: (o) => attemptsPerSubject(o, 'download', { max: 2 }),
	},
	failsItem('download cut short every try', { truncate: 300 }, /cut short|connection (broke|failed)/, { tries: 3, concurrency: 1, times: 3 }),
	failsItem(
		'download HTML page instead of an image',
		{ raw: '<!DOCTYPE html><html><body>Access denied</body></html>', contentType: 'text/html; charset=utf-8' },
		/text\/html instead of an image/,
		{ tries: 1 },
	),
	failsItem('download JSON instead of an image', { json: { error: 'signature expired' } }, /application\/json instead of an image/, { tries: 1 }),
	failsItem('download over the size cap', { oversize: 2 * 1024 * 1024 }, /larger than the size cap[\s\S]*Max Image Size/, {
		tries: 1,
		options: { maxImageSizeMb: 1 },
	}),
	{
		id: 'download redirect to another host',
		group: 'download',
		otherHost: true,
		items: prompts(2),
		params: generate(),
		cof: true,
		plan: ({ other }) => ({ download: [{ nth: 1, redirect: `${other?.baseUrl}/images/elsewhere.png` }] }),
		expect: { text: 'followed without credentials; all whole', creates: 2, errorItems: [] },
		check: (o) => {
			const got = o.other?.requests ?? [];
			return got.length === 1 ? [] : [`the other host got ${got.length} request(s), expected the 1 redirected download`];
		},
	},
];
