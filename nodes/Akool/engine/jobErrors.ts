/** Errors about jobs, each naming the job IDs concerned (they are paid for and can be fetched later). */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { akoolApiError } from '../../shared/transport/errors';
import { isSignedBinaryUrl } from './output';
import type { JobOutcome } from './polling/waitForJobs';

export type NodeError = NodeApiError | NodeOperationError;

/** Keys the router reads back into Continue On Fail error items. */
export function tagError<T extends NodeError>(error: T, tags: { jobIds?: string[]; akoolCode?: number }): T {
	if (tags.jobIds?.length) error.context.jobIds = tags.jobIds;
	if (tags.akoolCode !== undefined) error.context.akoolCode = tags.akoolCode;
	return error;
}

/** What a Continue On Fail error item says of an error: its message, description and tags. */
export interface ErrorFields extends IDataObject {
	error: string;
	description?: string;
	akoolCode?: number;
	jobIds?: string[];
}

export function errorFields(error: NodeError): ErrorFields {
	const fields: ErrorFields = { error: error.message };
	if (error.description) fields.description = error.description;
	if (error.context.akoolCode !== undefined) fields.akoolCode = error.context.akoolCode as number;
	if (error.context.jobIds !== undefined) fields.jobIds = error.context.jobIds as string[];
	return fields;
}

/** The error `fields` were read from (kept across a wait): it gives the same error item again. */
export function errorOfFields(node: INode, fields: ErrorFields, itemIndex: number): NodeOperationError {
	const error = new NodeOperationError(node, fields.error, { itemIndex, description: fields.description });
	return tagError(error, { jobIds: fields.jobIds, akoolCode: fields.akoolCode });
}

export function appendDescription(error: NodeError, sentence: string): void {
	error.description = [error.description, sentence].filter(Boolean).join('. ');
}

const GET_RESULT_HINT = 'Use the Get Result operation with these job IDs later instead of running this again, which would pay again';

export function timeoutError(node: INode, itemIndex: number, jobIds: string[], timeoutMs: number): NodeOperationError {
	const ids = jobIds.join(', ');
	return tagError(
		new NodeOperationError(
			node,
			`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for Akool job(s) ${ids}`,
			{
				itemIndex,
				description: `The jobs are still running at Akool and are charged. ${GET_RESULT_HINT} (job IDs: ${ids}), or raise the Timeout option`,
			},
		),
		{ jobIds },
	);
}

/** `sourceImage`: the jobs' source URL (image-to-image), which Akool may have failed to download. */
export function failedJobError(node: INode, itemIndex: number, jobIds: string[], sourceImage?: string): NodeApiError {
	const ids = jobIds.join(', ');
	return tagError(
		new NodeApiError(
			node,
			{ failedJobIds: ids },
			{
				message: `Akool job(s) ${ids} failed (status 4)`,
				description: ['Akool reported the generation as failed. Try a different prompt or try again later', sourceHint(sourceImage)]
					.filter(Boolean)
					.join('. '),
				itemIndex,
			},
		),
		{ jobIds },
	);
}

/** What to check when a job with a source failed; names only the source's origin (its URL may grant access). */
function sourceHint(sourceImage: string | undefined): string | undefined {
	if (!sourceImage) return undefined;
	let origin: string;
	try {
		origin = new URL(sourceImage).origin;
	} catch {
		return undefined;
	}
	if (isSignedBinaryUrl(sourceImage)) {
		return `Akool also fails a job when it cannot download the source image. This n8n served it at ${origin}: check that Akool can reach that address (WEBHOOK_URL must be n8n’s public HTTPS address) and that Akool started the job before the link expired (the Timeout option plus 5 minutes)`;
	}
	return `Akool also fails a job when it cannot download the source image: check that the source URL (on ${origin}) is public and still valid`;
}

/**
 * The problem of an item's jobs, as one error; undefined when all its jobs completed. Whatever the
 * first problem, every job that may still deliver (unreadable or unfinished, and paid for) is named.
 */
export function jobProblem(
	node: INode,
	itemIndex: number,
	outcomes: Array<[string, JobOutcome]>,
	timeoutMs: number,
	sourceImage?: string,
): NodeError | undefined {
	const of = (...states: Array<JobOutcome['state']>) =>
		outcomes.filter(([, outcome]) => states.includes(outcome.state)).map(([id]) => id);
	const failed = of('failed');
	const fetchable = of('unreadable', 'timedOut');
	const unreadable = outcomes.find(([, outcome]) => outcome.state === 'unreadable')?.[1];
	let error: NodeError;
	if (failed.length) {
		error = failedJobError(node, itemIndex, failed, sourceImage);
	} else if (unreadable?.state === 'unreadable') {
		error = unreadable.error;
		error.context.itemIndex = itemIndex;
	} else if (fetchable.length) {
		return timeoutError(node, itemIndex, fetchable, timeoutMs);
	} else {
		return undefined;
	}
	if (fetchable.length) appendDescription(error, `${GET_RESULT_HINT} (job IDs: ${fetchable.join(', ')})`);
	return tagError(error, { jobIds: [...failed, ...fetchable] });
}

/** Akool made fewer jobs than asked: the item reports it, naming the jobs it did make. */
export function shortfallError(node: INode, itemIndex: number, jobIds: string[], expected: number): NodeError {
	return tagError(
		akoolApiError(
			node,
			{
				message: `Akool created only ${jobIds.length} of the ${expected} images asked`,
				details: [
					`The images it did create are charged: with Continue On Fail they are in the output; otherwise fetch them with Get Result (job IDs: ${jobIds.join(', ') || 'none'})`,
				],
			},
			itemIndex,
		),
		{ jobIds },
	);
}
