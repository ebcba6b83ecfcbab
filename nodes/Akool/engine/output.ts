/** Akool's job shapes → the node's output item (`AkoolImageItem`). */
import type { IDataObject } from 'n8n-workflow';

import { AkoolJobStatus, imageUrlOf, statusName, type AkoolStatusName } from '../../shared/akool/status';
import type { AkoolCreatedJob, AkoolJobResult } from '../../shared/akool/types';

/** Akool deletes result files 7 days after creation. */
export const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** n8n's signed binary URLs (a binary source served to Akool): a capability, echoed back by Akool. */
const SIGNED_BINARY_TOKEN = /(\/binary-data\/signed\?(?:[^#]*&)?token=)[^&#]+/g;

/** Whether `url` is an n8n signed binary URL (the token aside). */
export function isSignedBinaryUrl(url: string): boolean {
	return new RegExp(SIGNED_BINARY_TOKEN.source).test(url);
}

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
		imageUrl: statusCode === AkoolJobStatus.Completed ? imageUrlOf(akool as Partial<AkoolJobResult>) : null,
		prompt: stringOrNull(akool.prompt),
		model: stringOrNull(akool.model_name),
		creditsCharged: typeof credits === 'number' ? credits : null,
		createdAt: isoDate(createdAtMs),
		expiresAt: isoDate(createdAtMs, RETENTION_MS),
		batchIndex,
		akool,
	};
}

/** The json of one output item: one image (or one job when not waiting). */
export interface AkoolImageItem extends IDataObject {
	/** Akool's `_id`: what Get Result and Upscale or Vary take. */
	jobId: string;
	status: AkoolStatusName;
	statusCode: number;
	/** Akool's CDN URL once completed; it expires 7 days after creation. */
	imageUrl: string | null;
	prompt: string | null;
	model: string | null;
	creditsCharged: number | null;
	/** ISO 8601. */
	createdAt: string | null;
	/** ISO 8601: createdAt + 7 days, when Akool deletes the image. */
	expiresAt: string | null;
	/** Position of this image among the images its input item ordered (0-based). */
	batchIndex: number;
	/** Akool's own fields, as last seen. */
	akool: IDataObject;
}
