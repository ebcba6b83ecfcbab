// @ts-check
'use strict';

const { sendJson, sendRaw, statusText } = require('./http');

/**
 * @typedef {'create' | 'result' | 'button' | 'credits' | 'download'} FaultKind
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 */

/**
 * One planned misbehaviour. Which requests it hits: `nth` (1-based, counted per kind from when the
 * plan was set) for `times` requests (default 1); without `nth`, faults take the next requests in
 * array order (the first without nth gets requests 1..times, the next one the following ones...);
 * `always` hits every request. The first matching fault of the array wins.
 *
 * What it does: `reset`, `hangMs`, `redirect`, `json`, `raw` or a bare `status` REPLACE the answer
 * (the request then creates or changes nothing). The other fields MODIFY the real answer:
 * `truncate`, `oversize` (download), `jobStatus`, `noUrl` (result), `shortArray` (create).
 * `headers` are added to either kind of answer (e.g. Retry-After on a 429).
 * @typedef {object} Fault
 * @property {number} [nth] 1-based index of the request of this kind
 * @property {number} [times] how many requests in a row (default 1)
 * @property {boolean} [always] every request of this kind
 * @property {number} [status] HTTP status (alone: answered with its reason phrase as text)
 * @property {Record<string, string>} [headers] extra response headers
 * @property {any} [json] answer this JSON (HTTP `status`, default 200)
 * @property {string} [raw] answer this text verbatim (HTTP `status`, default 200), e.g. bad JSON or HTML
 * @property {string} [contentType] Content-Type of `raw` (default 'text/plain; charset=utf-8')
 * @property {boolean} [reset] destroy the socket without answering
 * @property {number} [hangMs] answer nothing for this many real ms (not scaled), then destroy the socket
 * @property {number} [truncate] download: announce the full Content-Length, send this many bytes, destroy the socket
 * @property {string} [redirect] answer 302 (or `status`) with this Location
 * @property {number} [oversize] download: serve a valid PNG padded to more than this many bytes
 * @property {number} [jobStatus] result: report this image_status (URL only when it is 3)
 * @property {boolean} [noUrl] result: report status 3 with an empty image and no upscaled_urls
 * @property {boolean | number} [shortArray] create: report (and create) fewer jobs than asked, as an array: quantity-1, or this many
 */

/** @type {readonly FaultKind[]} */
const FAULT_KINDS = ['create', 'result', 'button', 'credits', 'download'];
const FAULT_KEYS = new Set(
	'nth times always status headers json raw contentType reset hangMs truncate redirect oversize jobStatus noUrl shortArray'.split(
		' ',
	),
);

/** @param {Fault} fault */
const replacesAnswer = (fault) =>
	Boolean(fault.reset) ||
	fault.hangMs !== undefined ||
	fault.redirect !== undefined ||
	'json' in fault ||
	fault.raw !== undefined ||
	fault.status !== undefined;

/** @param {unknown} n */
const isCount = (n) => Number.isInteger(n) && Number(n) >= 1;

/** @param {FaultKind} kind @param {Fault} fault */
function checkFault(kind, fault) {
	const unknown = Object.keys(fault).filter((key) => !FAULT_KEYS.has(key));
	if (unknown.length > 0)
		throw new Error(`fake-akool: unknown fault field(s) ${unknown.join(', ')} for ${kind}`);
	if (fault.nth !== undefined && !isCount(fault.nth))
		throw new Error('fake-akool: fault nth must be an integer >= 1');
	if (fault.times !== undefined && !isCount(fault.times))
		throw new Error('fake-akool: fault times must be an integer >= 1');
}

/** The fault plans of one fake, one per request kind. */
class FaultPlans {
	/** @type {Map<FaultKind, { seen: number, rules: { fault: Fault, from: number, to: number }[] }>} */
	#plans = new Map();

	/**
	 * Replace the plan of `kind` (an empty array removes it); its request count starts over.
	 * @param {FaultKind} kind
	 * @param {Fault[]} faults
	 */
	set(kind, faults) {
		if (!FAULT_KINDS.includes(kind))
			throw new Error(`fake-akool: no faults for kind ${kind}; use ${FAULT_KINDS.join(', ')}`);
		let next = 1; // where the next fault without nth starts
		const rules = faults.map((fault) => {
			checkFault(kind, fault);
			const from = fault.nth ?? next;
			const to = from + (fault.times ?? 1);
			if (fault.nth === undefined) next = to;
			return { fault, from, to };
		});
		if (rules.length === 0) this.#plans.delete(kind);
		else this.#plans.set(kind, { seen: 0, rules });
	}

	/**
	 * Count one more request of `kind` and return the fault it gets, if any.
	 * @param {FaultKind} kind
	 * @returns {Fault | null}
	 */
	take(kind) {
		const plan = this.#plans.get(kind);
		if (!plan) return null;
		plan.seen += 1;
		const rule = plan.rules.find(
			(r) => r.fault.always || (plan.seen >= r.from && plan.seen < r.to),
		);
		return rule ? rule.fault : null;
	}

	clear() {
		this.#plans.clear();
	}
}

/**
 * Answer (or don't) in place of the real handler, for a fault that `replacesAnswer`.
 * @param {import('node:http').ServerResponse} res
 * @param {RecordedRequest} rec
 * @param {Fault} fault
 * @param {Set<NodeJS.Timeout>} timers hang timers, cleared by close()
 */
function answerFault(res, rec, fault, timers) {
	if (fault.reset) {
		res.socket?.destroy();
	} else if (fault.hangMs !== undefined) {
		const timer = setTimeout(() => {
			timers.delete(timer);
			res.destroy();
		}, fault.hangMs);
		timers.add(timer);
	} else if (fault.redirect !== undefined) {
		sendRaw(res, rec, fault.status ?? 302, '', 'text/plain; charset=utf-8', {
			Location: fault.redirect,
		});
	} else if ('json' in fault) {
		sendJson(res, rec, fault.status ?? 200, fault.json);
	} else if (fault.raw !== undefined) {
		sendRaw(
			res,
			rec,
			fault.status ?? 200,
			fault.raw,
			fault.contentType ?? 'text/plain; charset=utf-8',
		);
	} else {
		const status = fault.status ?? 500;
		sendRaw(res, rec, status, statusText(status), fault.contentType ?? 'text/plain; charset=utf-8');
	}
}

module.exports = { FaultPlans, FAULT_KINDS, replacesAnswer, answerFault };
