// @ts-check
/**
 * The generic checks of a row's outcome, applied to every row but cancelled executions:
 * - Continue On Fail on: every input item yields output (its images, or an error item), every output
 *   item has `pairedItem: { item: i }` in input order, error items name the item's jobs that are not
 *   in the output, and the items not expected to fail are whole;
 * - Continue On Fail off: the execution error matches, names the item index, and names every job the
 *   fake made (paid for), saying they were charged and can be fetched with Get Result;
 * - images: each names a job the fake made for its item, and carries that job's PNG when downloading.
 */
import { imageSize, readPngSize } from './fake.mjs';
import { isErrorItem, isResultItem } from './output.mjs';
import { itemOfJob, recordsOf } from './records.mjs';
import { clip, errorText } from './text.mjs';

/** @typedef {import('./types.mjs').Observation} Observation @typedef {import('./types.mjs').Obj} Obj */

/** @param {Obj} params */
function numberOfImages(params) {
	return typeof params.numberOfImages === 'number' ? params.numberOfImages : 1;
}

/** Continue On Fail on. @param {Observation} o @returns {string[]} */
export function checkContinueOnFail(o) {
	const { row, output, items } = o;
	/** @type {string[]} */
	const failures = [];
	if (o.taskError) {
		failures.push(
			`the node failed as a whole under Continue On Fail ("${o.taskError.message}"): n8n passed the input items through instead of one error item per item`,
		);
	}
	let last = -1;
	output.forEach((item, index) => {
		const paired = item.pairedItem;
		const ok = paired && typeof paired === 'object' && !Array.isArray(paired) && Number.isInteger(paired.item);
		if (!ok || paired.item < 0 || paired.item >= items.length || Object.keys(paired).some((k) => k !== 'item' && k !== 'input')) {
			failures.push(`output ${index} has pairedItem ${JSON.stringify(paired)}`);
			return;
		}
		if (paired.item < last) failures.push(`output ${index} (item ${paired.item}) comes after item ${last}: not in input order`);
		last = Math.max(last, paired.item);
	});
	const expected = expectedErrorItems(o);
	const perItem = row.expect.perItem ?? numberOfImages(o.params);
	for (let i = 0; i < items.length; i++) {
		const mine = output.filter((item) => item.pairedItem?.item === i);
		const errors = mine.filter(isErrorItem);
		const success = mine.filter(isResultItem);
		const stray = mine.length - errors.length - success.length;
		if (stray) failures.push(`item ${i}: ${stray} output item(s) that are neither a result nor an error item`);
		if (expected.has(i)) {
			if (errors.length !== 1) failures.push(`item ${i}: expected one error item, got ${errors.length}`);
			const partial = typeof row.expect.partial === 'number' ? row.expect.partial : row.expect.partial?.[i] ?? 0;
			if (success.length !== partial) failures.push(`item ${i}: expected ${partial} result(s) beside its error, got ${success.length}`);
			for (const error of errors) {
				const { message, description } = row.expect.errorItem ?? {};
				if (message && !message.test(String(error.json.error))) failures.push(`item ${i}: error "${error.json.error}" does not match ${message}`);
				if (description && !description.test(String(error.json.description ?? ''))) {
					failures.push(`item ${i}: description "${clip(String(error.json.description ?? ''), 200)}" does not match ${description}`);
				}
				const inOutput = new Set(success.map((item) => item.json.jobId));
				const text = JSON.stringify(error.json);
				for (const job of o.jobs.filter((job) => itemOfJob(job) === i && !inOutput.has(job.id))) {
					if (!text.includes(job.id)) failures.push(`item ${i}: its error item does not name its job ${job.id}`);
				}
			}
		} else {
			if (errors.length) failures.push(`item ${i}: unexpected error item "${errors[0].json.error}"`);
			if (success.length !== perItem) failures.push(`item ${i}: expected ${perItem} result(s), got ${success.length}`);
		}
		failures.push(...checkImages(o, i, success));
	}
	return failures;
}

/** @param {Observation} o @returns {Set<number>} */
function expectedErrorItems(o) {
	const spec = o.row.expect.errorItems;
	if (spec === 'all') return new Set(o.items.map((_, i) => i));
	if (spec === 'faulted') {
		if (o.faulted.size === 0) return new Set([-1]); // a planned fault that hit nothing: fails the row below
		return o.faulted;
	}
	return new Set(spec ?? []);
}

/** Each image item: its job, its batch index, and its file when downloading. @param {Observation} o @param {number} i @param {any[]} success */
function checkImages(o, i, success) {
	/** @type {string[]} */
	const failures = [];
	const download = o.params.downloadImage !== false && o.params.waitForCompletion !== false;
	const op = o.params.operation;
	if (o.params.resource !== 'image') return failures;
	for (const item of success) {
		const jobId = String(item.json.jobId);
		const job = o.fake.jobs.get(jobId);
		if (!job) {
			failures.push(`item ${i}: output names job ${jobId}, which the fake never made`);
			continue;
		}
		if ((op === 'generate' || op === 'transform') && itemOfJob(job) !== i) {
			failures.push(`item ${i}: output carries job ${jobId} of item ${itemOfJob(job)}`);
		}
		if (!download || o.params.waitForCompletion === false) continue;
		const binary = item.binary?.[o.params.options?.binaryPropertyName ?? 'data'];
		if (!binary) {
			failures.push(`item ${i}: image ${jobId} has no binary data`);
			continue;
		}
		if (binary.mimeType !== 'image/png' || binary.fileName !== `akool-${jobId}.png`) {
			failures.push(`item ${i}: binary ${binary.fileName} ${binary.mimeType}`);
		}
		if (!o.row.otherHost && typeof binary.data === 'string') {
			try {
				const size = readPngSize(Buffer.from(binary.data, 'base64'));
				const want = imageSize(job.ratio, job.resolution);
				if (size.width !== want.width || size.height !== want.height) {
					failures.push(`item ${i}: image ${jobId} is ${size.width}x${size.height}, not ${want.width}x${want.height}`);
				}
			} catch (error) {
				failures.push(`item ${i}: image ${jobId} is not a PNG (${String(error)})`);
			}
		}
	}
	return failures;
}

/** Continue On Fail off. @param {Observation} o @returns {string[]} */
export function checkStopOnFail(o) {
	const { row, error } = o;
	/** @type {string[]} */
	const failures = [];
	const want = row.expect.error;
	if (!want) {
		if (error) return [`unexpected execution error: ${error.message} / ${error.description ?? ''}`];
		const perItem = row.expect.perItem ?? numberOfImages(o.params);
		for (let i = 0; i < o.items.length; i++) {
			const mine = o.output.filter((item) => item.pairedItem?.item === i);
			if (mine.length !== perItem) failures.push(`item ${i}: expected ${perItem} result(s), got ${mine.length}`);
			if (mine.some((item) => JSON.stringify(item.pairedItem) !== JSON.stringify({ item: i }))) {
				failures.push(`item ${i}: pairedItem wrong`);
			}
			failures.push(...checkImages(o, i, mine));
		}
		return failures;
	}
	if (!error) return [`expected the execution to fail (${want.message ?? ''}), it did not (${o.output.length} items out)`];
	if (o.output.length) failures.push(`the failed node still output ${o.output.length} item(s)`);
	if (want.name && error.name !== want.name) failures.push(`error is a ${error.name}, expected ${want.name}`);
	if (want.message && !want.message.test(String(error.message))) failures.push(`message "${error.message}" does not match ${want.message}`);
	if (want.description && !want.description.test(String(error.description ?? ''))) {
		failures.push(`description "${clip(String(error.description ?? ''), 300)}" does not match ${want.description}`);
	}
	const text = errorText(error);
	if (want.itemIndex !== null && want.itemIndex !== undefined) {
		const candidates = want.itemIndex === 'faulted' ? [...o.faulted] : [want.itemIndex];
		const index = error.context?.itemIndex;
		const named = candidates.some((i) => index === i || new RegExp(`\\bitem (index )?${i}\\b`, 'i').test(text));
		if (!named) failures.push(`the error does not name the item index ${candidates.join(' or ')} (context.itemIndex ${index})`);
	}
	if (row.expect.jobsNamed !== false) {
		const missing = o.jobs.filter((job) => !text.includes(job.id));
		if (missing.length) failures.push(`the error does not name the job(s) this run paid for: ${missing.map((job) => job.id).join(', ')}`);
		// A job Akool reported failed (really, or through a jobStatus fault) has nothing to fetch.
		const reportedFailed = new Set(
			recordsOf(o, 'result')
				.filter((rec) => rec.fault?.jobStatus === 4)
				.map((rec) => rec.query.image_model_id),
		);
		const fetchable = o.jobs.filter((job) => job.status !== 4 && !reportedFailed.has(job.id));
		if (fetchable.length) {
			if (!/Get Result/.test(text)) failures.push('jobs were paid for, but the error does not point to Get Result');
			if (!/charged|pay again/i.test(text)) failures.push('jobs were paid for, but the error does not say they were charged');
		}
	}
	return failures;
}
