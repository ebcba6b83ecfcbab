/**
 * Akool's business codes and the n8n errors they become. Kept apart from the HTTP code so that
 * every error the node raises is built from our own plain objects: never from an HTTP client's
 * error object, whose request config carries the `x-api-key` header.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const AKOOL_SUCCESS = 1000;
export const AKOOL_TOO_FREQUENT = 1005;

/** What the user can do about each code (from Akool's code table). */
const CODE_HINTS: Record<number, string> = {
	1003: 'Akool rejected a parameter: check the prompt, aspect ratio, resolution, number of images and URLs',
	1005: 'Akool is rate-limiting this account (too frequent): lower the Concurrency option or spread the run out',
	1006: 'The Akool account has not enough credits: top up in the Akool console',
	1104: 'The Akool account has not enough credits: top up in the Akool console',
	1103: 'The Akool account needs a paid plan for this: check the subscription in the Akool console',
	1213: 'The Akool account needs a subscription for this: check the subscription in the Akool console',
	1221: 'The Akool account needs a subscription for this: check the subscription in the Akool console',
	1008: 'Akool does not know this job or resource: check the job ID (results are deleted after 7 days)',
	1014: 'Akool does not know this job or resource: check the job ID (results are deleted after 7 days)',
	1009: 'The Akool account has no permission for this operation',
	1010: 'Akool cannot operate on this job yet: wait until the job is completed',
	1011: 'This was already done on this job (each Upscale or Vary button works once)',
	1101: 'The API key is invalid or expired: update the Akool credential (API key from the Akool console)',
	1102: 'No API key was sent: set the API key in the Akool credential',
	1108: 'Akool failed to generate the image: try again later',
	1109: 'The Akool account does not exist: check the API key in the credential',
	1200: 'The Akool account has been banned: contact Akool support',
};

export function akoolCodeHint(code: number): string | undefined {
	return CODE_HINTS[code];
}

export interface AkoolFailure {
	/** Akool's business code, when Akool answered with one. */
	code?: number;
	/** Akool's own message, or what went wrong on the way. */
	message: string;
	httpStatus?: number;
	/** What the call was about, e.g. "job 6650a1b2…", put into the message. */
	subject?: string;
	/** Extra sentences for the description (job IDs, what was charged, what to do). */
	details?: string[];
}

/**
 * The one way the node reports a failed call to Akool: message "Akool error <code>: <msg>",
 * the hint of the code table and any details in the description, Akool's code kept on the error.
 */
export function akoolApiError(node: INode, failure: AkoolFailure, itemIndex?: number): NodeApiError {
	const about = failure.subject ? ` (${failure.subject})` : '';
	const message =
		failure.code !== undefined
			? `Akool error ${failure.code}${about}: ${failure.message}`
			: `Akool request failed${about}: ${failure.message}`;
	const hint = failure.code !== undefined ? akoolCodeHint(failure.code) : undefined;
	const description = [hint, ...(failure.details ?? [])].filter(Boolean).join('. ');
	const response: JsonObject = { akoolCode: failure.code ?? null, akoolMessage: failure.message };
	const error = new NodeApiError(node, response, {
		message,
		description: description || undefined,
		httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	// NodeApiError replaces messages of known HTTP statuses with generic ones: keep ours.
	error.message = message;
	if (failure.code !== undefined) error.context.akoolCode = failure.code;
	return error;
}
