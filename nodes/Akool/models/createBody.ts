/**
 * A create body from a model's entry in the catalogue: the fields the model takes, checked and mapped
 * to Akool's names (aspectRatio → scale, numberOfImages → batch_quantity, ...), then the user's
 * Additional Body Fields. The operation adds what is its own (the source image).
 */
import type { IDataObject } from 'n8n-workflow';

import type { AkoolCreateRequest } from '../../shared/akool/types';
import { CUSTOM_MODEL, MAX_IMAGES_PER_CREATE, RESOLUTIONS } from './catalogue';
import type { FieldReader, ImageModel } from './modelTypes';

/** Keys the node sets itself: Additional Body Fields may not replace them. */
export const RESERVED_BODY_KEYS = [
	'model_name',
	'prompt',
	'source_images',
	'scale',
	'resolution',
	'batch_quantity',
	'similar',
	'negative_prompt',
	'webhookurl',
	'parameter',
] as const;

export function createBody(model: ImageModel, read: FieldReader): AkoolCreateRequest {
	const { check } = read;
	const body: AkoolCreateRequest = {};
	const modelName = model.value === CUSTOM_MODEL ? check.text('Custom Model ID', read.parameter('customModelId'), { required: true }) : model.modelName;
	if (modelName) body.model_name = modelName;
	if (model.prompt !== 'none') {
		const prompt = check.text('Prompt', read.parameter('prompt'), { required: model.prompt === 'required' });
		if (prompt) body.prompt = prompt;
	}
	if (model.ratios.length) body.scale = check.oneOf('Aspect Ratio', read.parameter('aspectRatio'), model.ratios);
	if (model.sizes) {
		body.resolution = check.oneOf('Resolution', read.parameter('resolution'), RESOLUTIONS);
		body.batch_quantity = check.integer('Number of Images', read.parameter('numberOfImages'), 1, MAX_IMAGES_PER_CREATE);
	}
	if (model.similarity) body.similar = check.number('Similarity', read.parameter('similarity'), 0, 1);
	const negativePrompt = model.negativePrompt ? check.text('Negative Prompt', read.option('negativePrompt'), { required: false }) : '';
	if (negativePrompt) body.negative_prompt = negativePrompt;
	const webhookUrl = check.httpUrl('Webhook URL', read.option('webhookUrl'), { required: false });
	if (webhookUrl) body.webhookurl = webhookUrl;
	Object.assign(body, model.readBodyFields?.(read));
	return { ...body, ...additionalBodyFields(read) };
}

/** The user's extra body fields (for what the node does not offer yet), never replacing the node's own. */
function additionalBodyFields(read: FieldReader): IDataObject {
	const extra = read.check.jsonObject('Additional Body Fields (JSON)', read.option('additionalBodyFields'));
	const reserved = Object.keys(extra).filter((key) => (RESERVED_BODY_KEYS as readonly string[]).includes(key));
	if (reserved.length) {
		read.check.refuse(
			'Additional Body Fields (JSON)',
			`an object without the keys the node sets itself (${reserved.join(', ')}: use the node's own fields for them; reserved: ${RESERVED_BODY_KEYS.join(', ')})`,
			extra,
		);
	}
	return extra;
}
