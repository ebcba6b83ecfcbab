/** Akool's image calls, typed. Everything goes through AkoolTransport. */
import type { IDataObject } from 'n8n-workflow';

import type {
	AkoolButtonRequest,
	AkoolCreateRequest,
	AkoolCreatedJob,
	AkoolJobResult,
	AkoolQuota,
} from '../akool/types';
import type { AkoolTransport } from './akoolRequest';
import type { Pace } from './rateGate';

export const AKOOL_PATHS = {
	create: '/api/open/v4/content/image/createBySourcePrompt',
	result: '/api/open/v3/content/image/infobymodelid',
	button: '/api/open/v3/content/image/createbybutton',
	credits: '/api/open/v3/faceswap/quota/info',
} as const;

export class AkoolClient {
	constructor(private readonly transport: AkoolTransport) {}

	/** The pace Akool accepts now: calls a second once learned, and the calls that may start now. */
	pace(): Pace {
		return this.transport.pace();
	}

	/** Creates images (paid). */
	async createImages(body: AkoolCreateRequest, itemIndex: number): Promise<AkoolCreatedJob[]> {
		return await this.createJobs(AKOOL_PATHS.create, body, itemIndex);
	}

	/** Upscale (U1..U4) or variation (V1..V4) of a finished job (paid). */
	async createByButton(body: AkoolButtonRequest, itemIndex: number): Promise<AkoolCreatedJob[]> {
		return await this.createJobs(AKOOL_PATHS.button, body, itemIndex, `${body.button} of job ${body._id}`);
	}

	async getResult(jobId: string, itemIndex?: number): Promise<AkoolJobResult> {
		return await this.transport.send<AkoolJobResult>({
			method: 'GET',
			path: AKOOL_PATHS.result,
			qs: { image_model_id: jobId },
			cost: 'safe',
			itemIndex,
			subject: `job ${jobId}`,
		});
	}

	async getCredits(itemIndex: number): Promise<AkoolQuota> {
		return await this.transport.send<AkoolQuota>({
			method: 'GET',
			path: AKOOL_PATHS.credits,
			cost: 'safe',
			itemIndex,
		});
	}

	/** A paid call that makes jobs: Akool answers one object for one image and an array for several. */
	private async createJobs(
		path: string,
		body: AkoolCreateRequest | AkoolButtonRequest,
		itemIndex: number,
		subject?: string,
	): Promise<AkoolCreatedJob[]> {
		const data = await this.transport.send<AkoolCreatedJob | AkoolCreatedJob[] | undefined>({
			method: 'POST',
			path,
			body: body as unknown as IDataObject,
			cost: 'paid',
			itemIndex,
			subject,
		});
		return asJobList(data);
	}
}

/** One object or an array, as Akool answers; entries without `_id` are kept out (the caller counts them). */
function asJobList(data: AkoolCreatedJob | AkoolCreatedJob[] | undefined): AkoolCreatedJob[] {
	const list = Array.isArray(data) ? data : data ? [data] : [];
	return list.filter((job) => job && typeof job._id === 'string' && job._id.length > 0);
}
