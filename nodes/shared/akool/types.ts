/** Shapes of Akool's API, with Akool's own snake_case names. */
import type { IDataObject } from 'n8n-workflow';

/** Every Akool JSON answer. Success is `code === 1000`, whatever the HTTP status. */
export interface AkoolEnvelope<T = unknown> {
	code: number;
	msg?: string;
	data?: T;
}

/** Body of `POST /api/open/v4/content/image/createBySourcePrompt`. */
export interface AkoolCreateRequest extends IDataObject {
	prompt?: string;
	model_name?: string;
	source_images?: string[];
	scale?: string;
	resolution?: string;
	batch_quantity?: number;
	similar?: number;
	negative_prompt?: string;
	webhookurl?: string;
	/** Meitu Yunxiu Pro's settings (`people_type`, `all_params`). */
	parameter?: IDataObject;
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
