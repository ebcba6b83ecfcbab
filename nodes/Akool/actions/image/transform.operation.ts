/** Image → Transform: image-to-image through createBySourcePrompt, from a source image URL or binary data. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { IMAGE_TO_IMAGE_MODEL, type AkoolCreateRequest } from '../../types';
import { ORIGINAL_RATIO, ParameterChecker, TEXT_ASPECT_RATIOS } from '../../validation';
import { executeCreate, readCreateFields, type CreateRun } from '../common/createJobs';
import { aspectRatioOptions, promptField } from '../common/descriptions';
import { createJobFields } from '../common/options';
import type { ItemResult } from '../node.type';
import { readSourceImageUrl, sourceImageFields } from './sourceImage';

const TRANSFORM_RATIOS = [ORIGINAL_RATIO, ...TEXT_ASPECT_RATIOS] as const;

const properties: INodeProperties[] = [
	...sourceImageFields,
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

/**
 * The create body for one item: the shared fields plus the source image and similarity. The source
 * comes last: for binary data it stores and signs a file, which only a valid item should do.
 */
export async function readTransformBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: CreateRun,
): Promise<AkoolCreateRequest> {
	const check = new ParameterChecker(ctx.getNode(), itemIndex);
	const similar = check.number('Similarity', ctx.getNodeParameter('similarity', itemIndex), 0, 1);
	const fields = readCreateFields(ctx, itemIndex, { ratios: TRANSFORM_RATIOS, model: IMAGE_TO_IMAGE_MODEL });
	const sourceImageUrl = await readSourceImageUrl(ctx, itemIndex, run);
	return { ...fields, source_images: [sourceImageUrl], similar };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	return await executeCreate(this, items, readTransformBody);
}
