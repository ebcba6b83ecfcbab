// @ts-check
/**
 * Reading the fake's records of a row: which input item and which job a request is about, which
 * answers refused a paid call or replaced Akool's answer, and how often the node tried the same thing.
 */
import { clip } from './text.mjs';

/** @typedef {import('./types.mjs').Observation} Observation */

/** The item a prompt belongs to ('item 3 …' → 3). @param {unknown} prompt */
export function itemOfPrompt(prompt) {
	const match = /item (\d+)/.exec(String(prompt ?? ''));
	return match ? Number(match[1]) : undefined;
}

/** @param {any} job */
export const itemOfJob = (job) => (job ? itemOfPrompt(job.prompt) : undefined);

/** The job a request is about (result, download, button), if any. @param {any} fake @param {any} rec */
export function jobOfRequest(fake, rec) {
	if (rec.kind === 'result') return fake.jobs.get(rec.query.image_model_id);
	if (rec.kind === 'download') return fake.jobs.get(/\/images\/([0-9a-f]{24})\.png/.exec(rec.path)?.[1] ?? '');
	if (rec.kind === 'button') return fake.jobs.get(rec.body?._id);
	return undefined;
}

/** The input item a request is for. @param {any} fake @param {any} rec */
export function itemOfRequest(fake, rec) {
	if (rec.kind === 'create') return itemOfPrompt(rec.body?.prompt);
	return itemOfJob(jobOfRequest(fake, rec));
}

/** The input items that any planned fault hit. @param {any} fake @param {any[]} requests */
export function faultedItems(fake, requests) {
	/** @type {Set<number>} */
	const faulted = new Set();
	for (const rec of requests) {
		if (!rec.fault) continue;
		const item = itemOfRequest(fake, rec);
		if (item !== undefined) faulted.add(item);
	}
	return faulted;
}

/** A fault that replaces Akool's answer (then nothing was created). @param {any} fault */
export const replacesAnswer = (fault) =>
	Boolean(fault) &&
	(Boolean(fault.reset) ||
		fault.hangMs !== undefined ||
		fault.redirect !== undefined ||
		'json' in fault ||
		fault.raw !== undefined ||
		fault.status !== undefined);

/** A refusal Akool answers before making a job: 1005 or HTTP 429. @param {any} rec */
export const isRefusal = (rec) => rec.code === 1005 || rec.status === 429;

/** The fake's records of `kind`. @param {Observation} o @param {string} kind */
export const recordsOf = (o, kind) => o.requests.filter((rec) => rec.kind === kind);

/**
 * Attempts at the same job or item: at most `max`, and when `minGapMs` is given, consecutive ones at
 * least that far apart (a back-off).
 * @param {Observation} o @param {string} kind @param {{ max?: number, min?: number, minGapMs?: number }} bounds
 */
export function attemptsPerSubject(o, kind, { max, min, minGapMs }) {
	/** @type {string[]} */
	const failures = [];
	/** @type {Map<string, any[]>} */
	const bySubject = new Map();
	for (const rec of recordsOf(o, kind)) {
		const subject = kind === 'create' ? JSON.stringify(rec.body) : kind === 'credits' ? 'credits' : jobOfRequest(o.fake, rec)?.id ?? rec.path;
		bySubject.set(subject, [...(bySubject.get(subject) ?? []), rec]);
	}
	for (const [subject, list] of bySubject) {
		if (max !== undefined && list.length > max) failures.push(`${kind} of ${clip(subject, 40)}: ${list.length} attempts, more than ${max}`);
		if (min !== undefined && list.some((rec) => rec.fault) && list.length < min) {
			failures.push(`${kind} of ${clip(subject, 40)}: ${list.length} attempts, fewer than ${min}`);
		}
		if (minGapMs !== undefined) {
			for (let i = 1; i < list.length; i++) {
				if (list[i - 1].fault && list[i].at - list[i - 1].at < minGapMs) {
					failures.push(`${kind} of ${clip(subject, 40)}: retried ${list[i].at - list[i - 1].at} ms after a failure, expected a back-off of ${minGapMs} ms or more`);
				}
			}
		}
	}
	return failures;
}
