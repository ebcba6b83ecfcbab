/** Image → Get Result: reads existing jobs (never creates anything), optionally waiting and downloading. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ParameterChecker } from '../../../shared/validation';
import { planItems } from '../../engine/createJobs';
import { waitFields } from '../fields/descriptions';
import type { FailurePolicy, ItemResult, JobRequest } from '../../engine/jobs';
import { runImageJobs } from '../../engine/runJobs';
import { optionsCollection } from '../fields/options';
import { readRunSettings } from '../../engine/runSettings';

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

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	policy: FailurePolicy,
): Promise<ItemResult[]> {
	const settings = readRunSettings(this, { creates: false });
	const requests = await planItems(items, (itemIndex): JobRequest => {
		const check = new ParameterChecker(this.getNode(), itemIndex);
		const jobIds = check.jobIds('Job IDs', this.getNodeParameter('jobIds', itemIndex));
		return {
			itemIndex,
			imagesOrdered: 0,
			// Without waiting, one read per job says where it stands; waiting reads it anyway.
			start: async (client) =>
				settings.waitForCompletion
					? jobIds.map((id) => ({ id }))
					: await Promise.all(jobIds.map(async (id) => ({ id, created: await client.getResult(id, itemIndex) }))),
		};
	});
	return await runImageJobs(this, requests, settings, policy);
}
