/** Image → Transform: image-to-image through createBySourcePrompt, from a source image URL or binary data. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AkoolCreateRequest } from '../../../shared/akool/types';
import { executeCreate, type CreateRun } from '../../engine/createJobs';
import type { FailurePolicy, ItemResult } from '../../engine/jobs';
import { modelFields, ORIGINAL_RATIO, TRANSFORM_MODELS } from '../../models/catalogue';
import { createBody } from '../../models/createBody';
import { fieldReader, readModel } from '../../models/readModel';
import { aspectRatioOptions, promptField } from '../fields/descriptions';
import { createJobFields, forModelsThat, FROM_VERSION_2 } from '../fields/options';
import { readSourceImageUrl, sourceImageFields } from './sourceImage';

const properties: INodeProperties[] = [
	...modelFields(TRANSFORM_MODELS, FROM_VERSION_2),
	...sourceImageFields,
	forModelsThat(
		{ ...promptField, description: 'How to change the image, e.g. "make it a watercolor painting"' },
		TRANSFORM_MODELS,
		(model) => model.prompt !== 'none',
	),
	forModelsThat(similarityField(), TRANSFORM_MODELS, (model) => model.similarity),
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: [{ name: 'Original', value: ORIGINAL_RATIO, description: 'Keep the source image’s ratio' }, ...aspectRatioOptions],
		default: ORIGINAL_RATIO,
		description: 'Width to height of the result',
	},
	...createJobFields(TRANSFORM_MODELS),
];

function similarityField(): INodeProperties {
	return {
		displayName: 'Similarity',
		name: 'similarity',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		description: 'How close the result stays to the source image, from 0 (more creative) to 1 (more similar)',
	};
}

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['transform'] } }, properties);

/**
 * The create body for one item, from its model's catalogue entry, plus the source image. The source
 * comes last: for binary data it stores and signs a file, which only a valid item should do.
 */
export async function readTransformBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: CreateRun,
): Promise<AkoolCreateRequest> {
	const read = fieldReader(ctx, itemIndex);
	const model = readModel(ctx, read, TRANSFORM_MODELS);
	const body = createBody(model, read);
	return { ...body, source_images: [await readSourceImageUrl(ctx, itemIndex, run, model)] };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	policy: FailurePolicy,
): Promise<ItemResult[]> {
	return await executeCreate(this, items, readTransformBody, policy);
}
