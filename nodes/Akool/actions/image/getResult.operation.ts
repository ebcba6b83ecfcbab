/** Image → Get Result: reads existing jobs (never creates anything), optionally waiting and downloading. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ParameterChecker } from '../../validation';
import { planItems } from '../common/createJobs';
import { waitFields } from '../common/descriptions';
import { runImageJobs, type ItemJobRequest } from '../common/imageJobs';
import { optionsCollection } from '../common/options';
import { readRunSettings } from '../common/runSettings';
import type { ItemResult } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Job IDs',
		name: 'jobIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 6650a1b2c3d4e5f6a7b8c9d0, 6650a1b2c3d4e5f6a7b8c9d1',
		description:
			'One or more Akool job IDs (the Job ID field of this node’s output), separated by commas, or an expression that reads them from a previous node'
	},
	...waitFields,
	optionsCollection([]),
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['getResult'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	const settings = readRunSettings(this, { creates: false });
	const requests = await planItems(items, (itemIndex): ItemJobRequest => {
		const check = new ParameterChecker(this.getNode(), itemIndex);
		const jobIds = check.jobIds('Job IDs', this.getNodeParameter('jobIds', itemIndex));
		return {
			itemIndex,
			imagesOrdered: 0,
			// Without waiting, one read per job says where it stands; waiting reads it anyway.
			start: async (api) =>
				settings.waitForCompletion
					? jobIds.map((id) => ({ id }))
					: await Promise.all(jobIds.map(async (id) => ({ id, created: await api.getResult(id, itemIndex) }))),
		};
	});
	return await runImageJobs(this, requests, settings);
}
