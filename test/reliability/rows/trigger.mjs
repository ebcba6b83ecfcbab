// @ts-check
/**
 * The Akool Trigger (issue 14): a job's status starts the workflow once, and a request that fails
 * verification is answered 4xx and leaves no execution, with the credential's Client ID set or not.
 * Each row POSTs its requests to the BUILT trigger's production webhook in one n8n process
 * (kit/trigger.mjs); the genuine callback is a failed job's, signed with the run's API key.
 */
import { API_KEY, CLIENT_ID, callbackBody } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Obj} Obj */

/** How long Akool's signed timestamp is accepted, either way (Akool's documented 10 minutes). */
const WINDOW_MS = 10 * 60_000;
const OK = /** @type {[number, string]} */ ([200, 'ok']);
const DUPLICATE = /** @type {[number, string]} */ ([200, 'ignored: already started the workflow']);
const NO_CLIENT_ID = /** @type {[number, string]} */ ([401, 'rejected: The Akool credential has no Client ID, needed to verify callbacks']);

/** The genuine callback, as it is. @param {Obj} callback */
const genuine = (callback) => callback;

/** Requests that are not Akool's callback, made from a genuine one. @type {Array<[string, (callback: Obj) => unknown, [number, string]]>} */
const FORGERIES = [
	['bad signature', (callback) => ({ ...callback, signature: 'f'.repeat(40) }), [401, 'rejected: bad signature']],
	['garbled', () => 'garbled: not a callback {{{', [400, 'rejected: malformed']],
	['unsigned', ({ signature, ...unsigned }) => unsigned, [400, 'rejected: malformed']],
	[
		'signed, another key',
		({ timestamp }) => callbackBody({ _id: 'job-forged', status: 3, url: 'http://127.0.0.1:9/x.png' }, { apiKey: 'k'.repeat(32), clientId: CLIENT_ID }, { timestamp }),
		[400, 'rejected: undecryptable'],
	],
];

/** @type {Row[]} */
const onceRows = [
	{
		id: 'trigger: Akool retries a callback ×3',
		group: 'trigger',
		trigger: { steps: [{ send: genuine }, { send: genuine }, { send: genuine }, { send: genuine }] },
		expect: { text: '1 execution, 1 item on; the 3 copies: 200 ignored', answers: [OK, DUPLICATE, DUPLICATE, DUPLICATE], executions: 1, received: 1 },
	},
	{
		id: 'trigger: a copy while the first runs',
		group: 'trigger',
		trigger: { steps: [{ send: genuine, hold: true }, { send: genuine }, { send: genuine }] },
		expect: {
			text: 'the copy’s execution ends at the trigger: 1 item on; 3rd: ignored',
			answers: [OK, OK, DUPLICATE],
			executions: 2,
			received: 1,
		},
	},
	{
		id: 'trigger: replay in window, then stale',
		group: 'trigger',
		// signed 5 s before its window closes: replayed at once, then sent again once the window has closed
		trigger: {
			signedAt: (now) => now - WINDOW_MS + 5000,
			steps: [{ send: genuine }, { send: genuine }, { send: genuine, at: ({ timestamp }) => timestamp + WINDOW_MS + 500 }],
		},
		expect: { text: 'replay: 200 ignored; stale: 401; 1 execution', answers: [OK, DUPLICATE, [401, 'rejected: stale']], executions: 1, received: 1 },
	},
];

/** @type {typeof FORGERIES} */
const STALE = [['stale (11 min old)', (callback) => callbackBody({ _id: 'job-stale', status: 4 }, { apiKey: API_KEY, clientId: CLIENT_ID }, { timestamp: callback.timestamp - 11 * 60_000 }), [401, 'rejected: stale']]];

/** @type {Row[]} */
const withClientId = [...FORGERIES, ...STALE].map(([label, send, answer]) => ({
	id: `trigger: forged, ${label}`,
	group: 'trigger',
	trigger: { steps: [{ send }] },
	expect: { text: `${answer[0]} ${answer[1]}; no execution`, answers: [answer], executions: 0, received: 0 },
}));

/** Without a Client ID nothing can be verified: every request, the genuine one too, gets 401 saying what is missing. */
/** @type {Row[]} */
const withoutClientId = [/** @type {[string, (callback: Obj) => unknown]} */ (['genuine', genuine]), ...FORGERIES.slice(0, 3)].map(([label, send]) => ({
	id: `trigger: no Client ID, ${label}`,
	group: 'trigger',
	trigger: { noClientId: true, steps: [{ send }] },
	expect: { text: '401 names the missing Client ID (logged); no execution', answers: [NO_CLIENT_ID], executions: 0, received: 0, logged: /callback refused: The Akool credential has no Client ID/ },
}));

/** @type {Row[]} */
export const rows = [...onceRows, ...withClientId, ...withoutClientId];
