/** Image → Generate: text-to-image through createBySourcePrompt. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { TEXT_TO_IMAGE_MODEL, type AkoolCreateRequest } from '../../types';
import { TEXT_ASPECT_RATIOS } from '../../validation';
import { executeCreate, readCreateFields } from '../common/createJobs';
import { aspectRatioOptions, promptField } from '../common/descriptions';
import { createJobFields } from '../common/options';
import type { ItemResult } from '../node.type';

const properties: INodeProperties[] = [
	{ ...promptField, description: 'What the image should show. Akool’s text-to-image model needs a prompt.' },
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: aspectRatioOptions,
		default: '1:1',
		description: 'Width to height of the image',
	},
	...createJobFields(TEXT_TO_IMAGE_MODEL, 'text-to-image'),
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['generate'] } }, properties);

/** The create body for one item, checked; the names are Akool's. */
export function readGenerateBody(ctx: IExecuteFunctions, itemIndex: number): AkoolCreateRequest {
	return readCreateFields(ctx, itemIndex, { ratios: TEXT_ASPECT_RATIOS, model: TEXT_TO_IMAGE_MODEL });
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	return await executeCreate(this, items, readGenerateBody);
}
