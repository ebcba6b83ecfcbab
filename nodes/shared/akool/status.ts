/** Akool's job status (`image_status`, and `status` in its callbacks), named. */
import type { AkoolJobResult } from './types';

export enum AkoolJobStatus {
	Queueing = 1,
	Processing = 2,
	Completed = 3,
	Failed = 4,
}

export type AkoolStatusName = 'queueing' | 'processing' | 'completed' | 'failed' | 'unknown';

const STATUS_NAMES: Record<AkoolJobStatus, AkoolStatusName> = {
	[AkoolJobStatus.Queueing]: 'queueing',
	[AkoolJobStatus.Processing]: 'processing',
	[AkoolJobStatus.Completed]: 'completed',
	[AkoolJobStatus.Failed]: 'failed',
};

export function statusName(code: unknown): AkoolStatusName {
	return (typeof code === 'number' && STATUS_NAMES[code as AkoolJobStatus]) || 'unknown';
}

/** Completed or failed: Akool will not change the job any more. */
export function isFinalStatus(code: unknown): boolean {
	return code === AkoolJobStatus.Completed || code === AkoolJobStatus.Failed;
}

/** The final image URL: `image`, else the first of `upscaled_urls` (seen in public client code). */
export function imageUrlOf(result: Partial<AkoolJobResult> | undefined): string | null {
	if (!result) return null;
	if (typeof result.image === 'string' && result.image !== '') return result.image;
	const upscaled = result.upscaled_urls?.find((url) => typeof url === 'string' && url !== '');
	return upscaled ?? null;
}
