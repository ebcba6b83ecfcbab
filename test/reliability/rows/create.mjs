// @ts-check
/**
 * Faults of the create call (paid): never sent twice unless Akool refused it (1005 / 429) before
 * making a job; any other failure is the item's error, saying it may have been charged.
 */
import { attemptsPerSubject, generate, prompts, recordsOf, transform } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row */

const NOT_RESENT = /not sent again/;
const MAY_BE_CHARGED = /may have created \(and charged\)/;

/**
 * A fault on the 2nd create of three items (Continue On Fail on): the item it hit is an error item
 * saying the create was not sent again; the two others are whole.
 * @param {string} id @param {object} fault @param {RegExp} message @param {RegExp} [description]
 * @returns {Row}
 */
function faultOnOneOfThree(id, fault, message, description = NOT_RESENT) {
	return {
		id,
		group: 'create',
		items: prompts(3),
		params: generate(),
		cof: true,
		plan: { create: [{ nth: 2, ...fault }] },
		expect: {
			text: 'hit item: error item, not resent; others whole',
			creates: 3,
			errorItems: 'faulted',
			errorItem: { message, description },
		},
		check: (o) => attemptsPerSubject(o, 'create', { max: 1 }),
	};
}

/**
 * The same fault on a lone item, Continue On Fail off: the execution fails naming item 0, one create.
 * @param {string} id @param {object} fault @param {RegExp} message @param {RegExp} [description]
 * @returns {Row}
 */
function faultStops(id, fault, message, description = NOT_RESENT) {
	return {
		id,
		group: 'create',
		params: generate(),
		plan: { create: [{ nth: 1, ...fault }] },
		expect: { text: 'fails naming item 0, 1 create, no job', creates: 1, error: { name: 'NodeApiError', message, description, itemIndex: 0 } },
	};
}

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/** @param {number} code @param {string} msg */
const business = (code, msg) => ({ json: { code, msg, data: null } });

/** @type {Row[]} */
export const rows = [
	faultOnOneOfThree('create 500 (CoF on)', { status: 500 }, /HTTP 500/, MAY_BE_CHARGED),
	faultStops('create 500 (CoF off)', { status: 500 }, /HTTP 500/),
	faultOnOneOfThree('create 502 (CoF on)', { status: 502 }, /HTTP 502/),
	faultStops('create 502 (CoF off)', { status: 502 }, /HTTP 502/),
	faultOnOneOfThree('create 503 (CoF on)', { status: 503 }, /HTTP 503/),
	faultStops('create 503 (CoF off)', { status: 503 }, /HTTP 503/),
	faultOnOneOfThree('create reset (CoF on)', { reset: true }, /connection was reset/),
	faultStops('create reset (CoF off)', { reset: true }, /connection was reset/),
	{
		id: 'create no answer past timeout',
		group: 'create',
		items: prompts(2),
		params: generate({ options: { requestTimeout: 5 } }),
		cof: true,
		plan: { create: [{ nth: 1, hangMs: 7000 }] },
		expect: {
			text: 'after 5 s: error item, not resent; other whole',
			creates: 2,
			errorItems: 'faulted',
			errorItem: { message: /no answer within the request timeout/, description: NOT_RESENT },
		},
		check: (o) => {
			const hung = recordsOf(o, 'create').find((rec) => rec.fault);
			return o.ms < 4500 || o.ms > 20000 ? [`took ${o.ms} ms; the request timeout is 5 s`] : hung ? [] : ['no create hung'];
		},
	},
	faultOnOneOfThree(
		'create malformed JSON',
		{ raw: '{"code":1000,"msg":"OK","data":{"_id":"6650a1b2', contentType: 'application/json' },
		/not Akool JSON/,
	),
	faultStops('create HTML page (200)', { raw: HTML, contentType: 'text/html; charset=utf-8' }, /HTML page/),
	faultOnOneOfThree('create HTML page (502)', { raw: HTML, status: 502, contentType: 'text/html' }, /HTTP 502 with an HTML page/),
	faultOnOneOfThree('create 1003 on HTTP 200', business(1003, 'Parameter error'), /Akool error 1003/, /rejected a parameter/),
	faultStops('create 1006 on HTTP 200', business(1006, 'Your quota is not enough'), /Akool error 1006/, /not enough credits/),
	faultOnOneOfThree('create 1101 on HTTP 200', business(1101, 'Invalid authorization'), /Akool error 1101/, /API key is invalid or expired/),
	faultOnOneOfThree('create 1104 on HTTP 200', business(1104, 'Insufficient credit'), /Akool error 1104/, /not enough credits/),
	faultStops('create 1108 on HTTP 200', business(1108, 'Image generation failed'), /Akool error 1108/, /try again later/),
	faultOnOneOfThree('create 1200 on HTTP 200', business(1200, 'Account banned'), /Akool error 1200/, /banned/),
	{
		id: 'create 1005 once, then accepted',
		group: 'create',
		items: prompts(2),
		params: generate(),
		plan: { create: [{ nth: 1, json: { code: 1005, msg: 'Too frequent', data: null } }] },
		expect: { text: 'refused create resent once; all whole', creates: 2 },
		check: (o) => {
			const records = recordsOf(o, 'create');
			return [
				...(records.length === 3 ? [] : [`expected 3 create requests (1 refused), got ${records.length}`]),
				...attemptsPerSubject(o, 'create', { minGapMs: 900 }),
			];
		},
	},
	{
		id: 'create 1005 three times (CoF on)',
		group: 'create',
		items: prompts(3),
		params: generate({ numberOfImages: 2 }),
		cof: true,
		plan: { create: [{ nth: 1, times: 3, json: { code: 1005, msg: 'Too frequent', data: null } }] },
		expect: { text: 'refusals resent with back-off; all whole', creates: 3, errorItems: [] },
	},
	{
		id: 'create 1005 always (Retry-After 0)',
		group: 'create',
		params: generate(),
		plan: { create: [{ always: true, json: { code: 1005, msg: 'Too frequent', data: null }, headers: { 'Retry-After': '0' } }] },
		expect: {
			text: 'gives up after a bound, says nothing charged',
			creates: 1,
			error: { message: /Akool error 1005/, description: /still refused after \d+ tries[\s\S]*nothing was charged/, itemIndex: 0 },
		},
		check: (o) => {
			const n = recordsOf(o, 'create').length;
			return n >= 2 && n <= 10 ? [] : [`${n} create attempts; expected a bound of 2 to 10`];
		},
	},
	{
		id: 'create 429 with Retry-After',
		group: 'create',
		params: generate(),
		plan: { create: [{ nth: 1, status: 429, headers: { 'Retry-After': '2' } }] },
		expect: { text: 'resent after Retry-After (2 s); whole', creates: 1 },
		check: (o) => attemptsPerSubject(o, 'create', { max: 2, minGapMs: 1900 }),
	},
	{
		id: 'create 429 without Retry-After',
		group: 'create',
		items: prompts(2),
		params: generate(),
		cof: true,
		plan: { create: [{ nth: 1, status: 429 }] },
		expect: { text: 'resent after a back-off; all whole', creates: 2, errorItems: [] },
		check: (o) => attemptsPerSubject(o, 'create', { max: 2, minGapMs: 900 }),
	},
	faultOnOneOfThree(
		'create success without _id',
		{ json: { code: 1000, msg: 'OK', data: { uid: 1, image_status: 1 } } },
		/named no job ID/,
		/may have created \(and charged\)/,
	),
	{
		id: 'create success, data an empty array',
		group: 'create',
		params: generate({ numberOfImages: 2 }),
		plan: { create: [{ nth: 1, json: { code: 1000, msg: 'OK', data: [] } }] },
		expect: { text: 'fails naming item 0; not resent', creates: 1, error: { message: /named no job ID/, itemIndex: 0 } },
	},
	{
		id: 'create short array (CoF on)',
		group: 'create',
		items: prompts(2),
		params: generate({ numberOfImages: 4 }),
		cof: true,
		plan: { create: [{ nth: 1, shortArray: true }] },
		expect: {
			text: 'hit item: 3 images + error naming them; other whole',
			creates: 2,
			errorItems: 'faulted',
			partial: 3,
			errorItem: { message: /created only 3 of the 4 images/ },
		},
		check: (o) => {
			// which item was short is known only now: it keeps its 3 images
			const [short] = o.faulted;
			const images = o.output.filter((item) => item.pairedItem?.item === short && !item.json.error);
			const error = o.output.find((item) => item.pairedItem?.item === short && item.json.error);
			const ids = o.jobs.filter((job) => job.prompt === `item ${short}`).map((job) => job.id);
			/** @type {string[]} */
			const failures = [];
			if (images.length !== 3) failures.push(`the short item kept ${images.length} images, expected 3`);
			for (const id of ids) if (!JSON.stringify(error?.json ?? {}).includes(id)) failures.push(`the error item does not name ${id}`);
			return failures;
		},
	},
	{
		id: 'create short array (CoF off)',
		group: 'create',
		params: generate({ numberOfImages: 4 }),
		plan: { create: [{ nth: 1, shortArray: 2 }] },
		expect: {
			text: 'fails naming the 2 jobs made, Get Result',
			creates: 1,
			error: { message: /created only 2 of the 4 images/, itemIndex: 0 },
		},
	},
	{
		id: 'create fails mid-run (CoF off)',
		group: 'create',
		items: prompts(3),
		params: generate({ options: { concurrency: 1 } }),
		plan: { create: [{ nth: 2, status: 500 }] },
		expect: {
			text: "fails at item 1, names item 0's charged job; item 2 not created",
			creates: 2,
			error: { message: /HTTP 500/, itemIndex: 1 },
		},
	},
	{
		id: 'create redirect to another host',
		group: 'create',
		otherHost: true,
		params: generate(),
		plan: ({ other }) => ({ create: [{ nth: 1, redirect: `${other?.baseUrl}/collect` }] }),
		expect: { text: 'not followed: error, nothing to the other host', creates: 1, error: { message: /redirect, not followed/, itemIndex: 0 } },
		check: (o) => (o.other?.requests.length ? [`the other host got ${o.other.requests.length} request(s)`] : []),
	},
	{
		id: 'create with a wrong API key (1101)',
		group: 'create',
		params: generate(),
		credential: ({ fake }) => ({ apiKey: 'sk-wrong-key-0000', baseUrl: fake.baseUrl, clientId: '' }),
		expect: {
			text: 'fails at once: 1101, key hint; 1 create',
			creates: 1,
			error: { message: /Akool error 1101/, description: /update the Akool credential/, itemIndex: 0 },
		},
	},
	{
		id: 'transform create 503 (CoF on)',
		group: 'create',
		items: prompts(2),
		params: transform(),
		cof: true,
		plan: { create: [{ nth: 2, status: 503 }] },
		expect: { text: 'hit item: error item, not resent; other whole', creates: 2, errorItems: 'faulted', errorItem: { message: /HTTP 503/, description: NOT_RESENT } },
	},
	{
		id: 'transform create 1005 then accepted',
		group: 'create',
		items: prompts(2),
		params: transform({ numberOfImages: 2 }),
		plan: { create: [{ nth: 2, status: 429 }] },
		expect: { text: 'refused create resent; all whole', creates: 2 },
	},
];
