/** Image → Transform: image-to-image through createBySourcePrompt with a source image URL. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { IMAGE_TO_IMAGE_MODEL, type AkoolCreateRequest } from '../../types';
import { ORIGINAL_RATIO, ParameterChecker, TEXT_ASPECT_RATIOS } from '../../validation';
import { executeCreate, readCreateFields } from '../common/createJobs';
import { aspectRatioOptions, promptField } from '../common/descriptions';
import { createJobFields } from '../common/options';
import type { ItemResult } from '../node.type';

const TRANSFORM_RATIOS = [ORIGINAL_RATIO, ...TEXT_ASPECT_RATIOS] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Source Image URL',
		name: 'sourceImageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/photo.jpg',
		description: 'The image to transform, as an http(s) URL',
		hint: 'Akool downloads the image itself, so the URL must be public. Akool has no upload call: binary data cannot be sent.',
	},
	{ ...promptField, description: 'How to change the image, e.g. "make it a watercolor painting"' },
	{
		displayName: 'Similarity',
		name: 'similarity',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		description: 'How close the result stays to the source image, from 0 (more creative) to 1 (more similar)',
	},
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: [{ name: 'Original', value: ORIGINAL_RATIO, description: 'Keep the source image’s ratio' }, ...aspectRatioOptions],
		default: ORIGINAL_RATIO,
		description: 'Width to height of the result',
	},
	...createJobFields(IMAGE_TO_IMAGE_MODEL, 'image-to-image'),
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['transform'] } }, properties);

/** The create body for one item: the shared fields plus the source image and similarity. */
export function readTransformBody(ctx: IExecuteFunctions, itemIndex: number): AkoolCreateRequest {
	const check = new ParameterChecker(ctx.getNode(), itemIndex);
	const sourceImageUrl = check.httpUrl('Source Image URL', ctx.getNodeParameter('sourceImageUrl', itemIndex), {
		required: true,
	}) as string;
	const similar = check.number('Similarity', ctx.getNodeParameter('similarity', itemIndex), 0, 1);
	const fields = readCreateFields(ctx, itemIndex, { ratios: TRANSFORM_RATIOS, model: IMAGE_TO_IMAGE_MODEL });
	return { ...fields, source_images: [sourceImageUrl], similar };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	return await executeCreate(this, items, readTransformBody);
}
