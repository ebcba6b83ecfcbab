/** Image → Upscale or Vary: one of the buttons a finished job lists (U1..U4 upscale, V1..V4 variation). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { AkoolClient } from '../../../shared/transport/akoolClient';
import { ParameterChecker } from '../../../shared/validation';
import { callbackFor, callbackUrl, planItems, startedJobs } from '../../engine/createJobs';
import type { FailurePolicy, ItemResult, StartedJob } from '../../engine/jobs';
import { runImageJobs } from '../../engine/runJobs';
import { readRunSettings } from '../../engine/runSettings';
import { waitFields, waitModeField, webhookUrlOption } from '../fields/descriptions';
import { optionsCollection } from '../fields/options';

/** The buttons Akool lists on a finished job: U1-U4 upscale, V1-V4 variation of image 1-4. */
const BUTTONS = ['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 6650a1b2c3d4e5f6a7b8c9d0',
		description: 'The finished job to upscale or vary: the Job ID field of a Generate or Get Result output'
	},
	{
		displayName: 'Button',
		name: 'button',
		type: 'options',
		options: BUTTONS.map((button) => ({
			name: `${button[0] === 'U' ? 'Upscale' : 'Variation of'} Image ${button[1]} (${button})`,
			value: button,
		})),
		default: 'U1',
		description:
			'One of the buttons the job’s result lists ("buttons" under "akool"). Each button works once, and costs credits.',
	},
	...waitFields,
	waitModeField,
	optionsCollection([webhookUrlOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['upscaleOrVary'] } },
	properties,
);

/** Reads the job (safe), checks that it lists the button, then presses it (paid, once). */
async function pressButton(
	ctx: IExecuteFunctions,
	api: AkoolClient,
	{ jobId, button, webhookUrl, itemIndex }: { jobId: string; button: string; webhookUrl?: string; itemIndex: number },
): Promise<StartedJob[]> {
	const parent = await api.getResult(jobId, itemIndex);
	const refusal = buttonRefusal(parent.buttons ?? [], parent.used_buttons ?? [], button);
	if (refusal) {
		throw new NodeOperationError(ctx.getNode(), `Job ${jobId} has no button ${button} to press: ${refusal}`, {
			itemIndex,
			description: 'Nothing was created or charged. Pick one of the listed buttons.',
		});
	}
	const jobs = await api.createByButton({ _id: jobId, button, ...(webhookUrl ? { webhookUrl } : {}) }, itemIndex);
	return startedJobs(ctx.getNode(), jobs, itemIndex);
}

/** Why `button` cannot be pressed on a job listing `listed` and `used`; undefined when it can. */
function buttonRefusal(listed: string[], used: string[], button: string): string | undefined {
	if (used.includes(button)) return `it was already used (each button works once)`;
	if (listed.includes(button)) return undefined;
	if (listed.length === 0) {
		return 'the job lists no buttons (Akool offers Upscale or Vary only on jobs whose result lists them)';
	}
	const usable = listed.filter((listedButton) => !used.includes(listedButton));
	return `the job lists only ${usable.join(', ') || 'buttons that were already used'}`;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	policy: FailurePolicy,
): Promise<ItemResult[]> {
	const settings = readRunSettings(this, { creates: true });
	const callback = callbackFor(this, settings);
	const requests = await planItems(items, (itemIndex) => {
		const check = new ParameterChecker(this.getNode(), itemIndex);
		const [jobId] = check.jobIds('Job ID', this.getNodeParameter('jobId', itemIndex));
		const button = check.oneOf('Button', this.getNodeParameter('button', itemIndex), BUTTONS);
		const options = this.getNodeParameter('options', itemIndex, {}) as { webhookUrl?: unknown };
		const userUrl = check.httpUrl('Webhook URL', options.webhookUrl, { required: false });
		const webhookUrl = callbackUrl(this.getNode(), itemIndex, userUrl, callback);
		return {
			itemIndex,
			imagesOrdered: 1,
			expectedJobs: 1,
			start: async (api: AkoolClient) => await pressButton(this, api, { jobId, button, webhookUrl, itemIndex }),
		};
	});
	return await runImageJobs(this, requests, settings, { ...policy, callback });
}
