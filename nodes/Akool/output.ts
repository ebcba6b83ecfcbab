/** Akool's job shapes → the node's output item (`AkoolImageItem`). */
import type { IDataObject } from 'n8n-workflow';

import type { AkoolCreatedJob, AkoolJobResult, AkoolImageItem, AkoolStatusName } from './types';

/** Akool deletes result files 7 days after creation. */
export const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

const STATUS_NAMES: Record<number, AkoolStatusName> = {
	1: 'queueing',
	2: 'processing',
	3: 'completed',
	4: 'failed',
};

export function statusName(code: unknown): AkoolStatusName {
	return (typeof code === 'number' && STATUS_NAMES[code]) || 'unknown';
}

/** The final image URL: `image`, else the first of `upscaled_urls` (seen in public client code). */
export function imageUrlOf(result: Partial<AkoolJobResult> | undefined): string | null {
	if (!result) return null;
	if (typeof result.image === 'string' && result.image !== '') return result.image;
	const upscaled = result.upscaled_urls?.find((url) => typeof url === 'string' && url !== '');
	return upscaled ?? null;
}

/** n8n's signed binary URLs (a binary source served to Akool): a capability, echoed back by Akool. */
const SIGNED_BINARY_TOKEN = /(\/binary-data\/signed\?(?:[^#]*&)?token=)[^&#]+/g;

/** Akool's fields with the token of any n8n signed URL replaced: output items outlive the URL's purpose. */
export function redactSignedUrls(akool: IDataObject): IDataObject {
	const redact = (value: unknown): unknown =>
		typeof value === 'string'
			? value.replace(SIGNED_BINARY_TOKEN, '$1redacted')
			: Array.isArray(value)
				? value.map(redact)
				: value;
	return Object.fromEntries(Object.entries(akool).map(([key, value]) => [key, redact(value)])) as IDataObject;
}

function isoDate(ms: unknown, offsetMs = 0): string | null {
	if (typeof ms !== 'number' || !Number.isFinite(ms)) return null;
	return new Date(ms + offsetMs).toISOString();
}

function stringOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * One output item for one job. `created` is what the create call said (may be absent for Get Result),
 * `latest` the last result read (absent when not waiting); the latest wins where both have a field.
 */
export function toImageItem(
	jobId: string,
	batchIndex: number,
	created?: AkoolCreatedJob,
	latest?: AkoolJobResult,
): AkoolImageItem {
	const akool = redactSignedUrls({ ...(created ?? {}), ...(latest ?? {}) });
	const statusCode = typeof akool.image_status === 'number' ? akool.image_status : 0;
	const credits = akool.deduction_credit;
	const createdAtMs = akool.create_time;
	return {
		jobId,
		status: statusName(statusCode),
		statusCode,
		imageUrl: statusCode === 3 ? imageUrlOf(akool as Partial<AkoolJobResult>) : null,
		prompt: stringOrNull(akool.prompt),
		model: stringOrNull(akool.model_name),
		creditsCharged: typeof credits === 'number' ? credits : null,
		createdAt: isoDate(createdAtMs),
		expiresAt: isoDate(createdAtMs, RETENTION_MS),
		batchIndex,
		akool,
	};
}
