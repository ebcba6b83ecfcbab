/**
 * Shapes of Akool's API (prefixed `Akool`) and of this node's own output (`AkoolImageItem`).
 * Akool's fields keep Akool's snake_case names; ours are camelCase.
 */
import type { IDataObject } from 'n8n-workflow';

/** Every Akool JSON answer. Success is `code === 1000`, whatever the HTTP status. */
export interface AkoolEnvelope<T = unknown> {
	code: number;
	msg?: string;
	data?: T;
}

/** 1 queueing, 2 processing, 3 completed, 4 failed. */
export type AkoolImageStatus = 1 | 2 | 3 | 4;

export const TEXT_TO_IMAGE_MODEL = 'wavespeed-ai/flux-krea-dev-lora';
export const IMAGE_TO_IMAGE_MODEL = 'wavespeed-ai/flux-kontext-dev';

/** Body of `POST /api/open/v4/content/image/createBySourcePrompt`. */
export interface AkoolCreateRequest {
	prompt: string;
	model_name?: string;
	source_images?: string[];
	scale: string;
	resolution: string;
	batch_quantity: number;
	similar?: number;
	negative_prompt?: string;
	webhookurl?: string;
}

/** Body of `POST /api/open/v3/content/image/createbybutton`. */
export interface AkoolButtonRequest {
	_id: string;
	button: string;
	webhookUrl?: string;
}

/** One job as the create call answers it (one object, or one element of the array). */
export interface AkoolCreatedJob extends IDataObject {
	_id: string;
	create_time?: number;
	prompt?: string;
	image_status?: number;
	deduction_credit?: number;
	model_name?: string;
	sub_type?: number;
	/** The source URL as sent, for image-to-image (it may be an n8n signed URL: output.ts redacts it). */
	source_image?: string;
}

/** `data` of `GET /api/open/v3/content/image/infobymodelid`. */
export interface AkoolJobResult extends IDataObject {
	_id: string;
	create_time?: number;
	image_status: number;
	image?: string;
	upscaled_urls?: string[];
	buttons?: string[];
	used_buttons?: string[];
	deduction_credit?: number;
	prompt?: string;
	model_name?: string;
	source_image?: string;
}

/** `data` of `GET /api/open/v3/faceswap/quota/info`. */
export interface AkoolQuota {
	credit: number;
}

export type AkoolStatusName = 'queueing' | 'processing' | 'completed' | 'failed' | 'unknown';

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
