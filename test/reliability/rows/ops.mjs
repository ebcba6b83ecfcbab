// @ts-check
/**
 * Faults on the other operations: Get Result (reads only: never creates), Upscale or Vary (one paid
 * button press after a safe read of the parent) and Get Credits (a safe read).
 */
import { API_KEY, attemptsPerSubject, errorText, finishedJob, getCredits, getResult, recordsOf, upscaleOrVary } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Obj} Obj */

const UNKNOWN_ID = '0123456789abcdef01234567';

/**
 * A row on a job its fake finished in setup (`state.id`): `params` makes the parameters from its ID.
 * @param {Omit<Row, 'params'> & { params: (id: string) => Obj }} row @returns {Row}
 */
function onFinishedJob({ params, ...row }) {
	return { setup: async ({ fake }) => ({ id: await finishedJob(fake) }), ...row, params: ({ state }) => params(state.id) };
}

/** An Upscale or Vary row: `button` pressed on a finished job. @param {string} button @param {Omit<Row, 'params' | 'group'>} row */
const press = (button, row) => onFinishedJob({ group: 'upscale', fake: { buttons: true }, params: (id) => upscaleOrVary({ jobId: id, button }), ...row });

/** @type {Row[]} */
export const rows = [
	{
		id: 'get result: unknown job ID (1008)',
		group: 'get result',
		params: getResult({ jobIds: UNKNOWN_ID }),
		expect: {
			text: 'not retried; error names item 0 and the ID',
			creates: 0,
			error: { message: new RegExp(`Akool error 1008 \\(job ${UNKNOWN_ID}\\)`), itemIndex: 0 },
		},
		check: (o) => [
			...attemptsPerSubject(o, 'result', { max: 1 }),
			...(errorText(o.error).includes(UNKNOWN_ID) ? [] : ['the error does not name the job ID']),
		],
	},
	onFinishedJob({
		id: 'get result: one unknown of two items',
		group: 'get result',
		items: [{ prompt: 'item 0' }, { prompt: 'item 1' }],
		params: (id) => getResult({ jobIds: `={{ $json.prompt === 'item 0' ? '${id}' : '${UNKNOWN_ID}' }}` }),
		cof: true,
		expect: { text: 'item 1: error naming the ID; item 0 whole', creates: 0, perItem: 1, errorItems: [1], errorItem: { message: /Akool error 1008/ } },
		check: (o) => (JSON.stringify(o.output[1]?.json ?? {}).includes(UNKNOWN_ID) ? [] : ['the error item does not name the unknown ID']),
	}),
	onFinishedJob({
		id: 'get result: 503 once',
		group: 'get result',
		params: (id) => getResult({ jobIds: id }),
		plan: { result: [{ nth: 1, status: 503 }] },
		expect: { text: 'retried; the image comes out', creates: 0, perItem: 1 },
		check: (o) => attemptsPerSubject(o, 'result', { max: 2, minGapMs: 900 }),
	}),
	onFinishedJob({
		id: 'get result (no wait): reset once',
		group: 'get result',
		params: (id) => getResult({ jobIds: id, waitForCompletion: false }),
		plan: { result: [{ nth: 1, reset: true }] },
		expect: { text: 'retried; the job comes out, no download', creates: 0, perItem: 1 },
		check: (o) => [...attemptsPerSubject(o, 'result', { max: 2 }), ...(recordsOf(o, 'download').length ? ['downloaded without waiting'] : [])],
	}),
	press('U2', {
		id: 'upscale: button call 503',
		plan: { button: [{ nth: 1, status: 503 }] },
		expect: {
			text: 'not resent; error names the parent job, may be charged',
			creates: 1,
			error: { name: 'NodeApiError', message: /HTTP 503/, description: /may have created \(and charged\)/, itemIndex: 0 },
		},
		check: (o) => (errorText(o.error).includes(o.state.id) ? [] : ['the error does not name the parent job']),
	}),
	press('V3', {
		id: 'upscale: button 1005 once',
		plan: { button: [{ nth: 1, json: { code: 1005, msg: 'Too frequent', data: null } }] },
		expect: { text: 'refused press resent once; the variation comes out', creates: 1, perItem: 1 },
		check: (o) => (recordsOf(o, 'button').length === 2 ? [] : [`${recordsOf(o, 'button').length} button calls, expected 2`]),
	}),
	press('U1', {
		id: 'upscale: parent read 500 once',
		plan: { result: [{ nth: 1, status: 500 }] },
		expect: { text: 'read retried, pressed once; the upscale comes out', creates: 1, perItem: 1 },
	}),
	press('U1', {
		id: 'upscale: button already used',
		setup: async ({ fake }) => {
			const id = await finishedJob(fake);
			await fetch(`${fake.baseUrl}/api/open/v3/content/image/createbybutton`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ _id: id, button: 'U1' }),
			});
			return { id };
		},
		expect: {
			text: 'refused before paying: names the job, no button call',
			creates: 0,
			error: { message: /has no button U1 to press: it was already used/, itemIndex: 0 },
		},
	}),
	{
		id: 'credits: 503 once',
		group: 'credits',
		params: getCredits(),
		plan: { credits: [{ nth: 1, status: 503 }] },
		expect: { text: 'retried; the balance comes out', creates: 0, perItem: 1 },
		check: (o) => attemptsPerSubject(o, 'credits', { max: 2, minGapMs: 900 }),
	},
	{
		id: 'credits: 503 always',
		group: 'credits',
		params: getCredits(),
		plan: { credits: [{ always: true, status: 503 }] },
		expect: { text: 'gives up after ≤4 tries, clear error', creates: 0, error: { message: /HTTP 503/, description: /Gave up after/, itemIndex: 0 } },
		check: (o) => attemptsPerSubject(o, 'credits', { max: 4, min: 2, minGapMs: 900 }),
	},
	{
		id: 'credits: wrong API key (1101)',
		group: 'credits',
		params: getCredits(),
		credential: ({ fake }) => ({ apiKey: 'sk-wrong-key-0000', baseUrl: fake.baseUrl }),
		expect: { text: 'not retried; key hint', creates: 0, error: { message: /Akool error 1101/, description: /update the Akool credential/, itemIndex: 0 } },
		check: (o) => attemptsPerSubject(o, 'credits', { max: 1 }),
	},
];
