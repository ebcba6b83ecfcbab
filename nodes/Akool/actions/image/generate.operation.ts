/** Image → Generate: text-to-image through createBySourcePrompt, with the model's own fields. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AkoolCreateRequest } from '../../../shared/akool/types';
import { executeCreate } from '../../engine/createJobs';
import type { FailurePolicy, ItemResult } from '../../engine/jobs';
import { GENERATE_MODELS, modelFields } from '../../models/catalogue';
import { createBody } from '../../models/createBody';
import { fieldReader, readModel } from '../../models/readModel';
import { aspectRatioOptions, promptField } from '../fields/descriptions';
import { createJobFields, FROM_VERSION_2 } from '../fields/options';

const properties: INodeProperties[] = [
	...modelFields(GENERATE_MODELS, FROM_VERSION_2),
	{ ...promptField, description: 'What the image should show. Akool’s text-to-image model needs a prompt.' },
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: aspectRatioOptions,
		default: '1:1',
		description: 'Width to height of the image',
	},
	...createJobFields(GENERATE_MODELS),
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['generate'] } }, properties);

/** The create body for one item, checked, from its model's catalogue entry. */
export function readGenerateBody(ctx: IExecuteFunctions, itemIndex: number): AkoolCreateRequest {
	const read = fieldReader(ctx, itemIndex);
	return createBody(readModel(ctx, read, GENERATE_MODELS), read);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	policy: FailurePolicy,
): Promise<ItemResult[]> {
	return await executeCreate(this, items, readGenerateBody, policy);
}
