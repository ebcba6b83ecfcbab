/** Fields shared by several operations, defined once. */
import type { INodeProperties } from 'n8n-workflow';

import { BINARY_PROPERTY_OPTION, RUN_OPTIONS, type NumberOption, type RunOptionName } from '../../engine/runOptions';
import { TEXT_ASPECT_RATIOS } from '../../models/catalogue';

export const aspectRatioOptions = TEXT_ASPECT_RATIOS.map((ratio) => ({
	name: ratio,
	value: ratio,
	description: ratioDescription(ratio),
}));

function ratioDescription(ratio: string): string {
	const [width, height] = ratio.split(':').map(Number);
	if (width === height) return 'Square';
	return width > height ? 'Landscape' : 'Portrait';
}

export const resolutionField: INodeProperties = {
	displayName: 'Resolution',
	name: 'resolution',
	type: 'options',
	options: [
		{ name: '4K', value: '4k', description: 'Short side 2160 px (Akool’s default)' },
		{ name: '1080p', value: '1080p', description: 'Short side 1080 px' },
	],
	default: '4k',
	description: 'Output resolution. Both cost the same credits per image.',
};

export const numberOfImagesField: INodeProperties = {
	displayName: 'Number of Images',
	name: 'numberOfImages',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 },
	default: 1,
	description:
		'How many images to generate for each input item (1 to 4). Each image costs credits and becomes its own output item.',
};

export const promptField: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	required: true,
	placeholder: 'e.g. A lighthouse on a cliff at sunset, watercolor',
	description: 'What the image should show',
};

/** Wait for Completion and Download Image, on every operation that produces images. */
export const waitFields: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until Akool has finished each image. Off: output the job IDs at once and fetch the images later with Get Result.',
	},
	{
		displayName: 'Download Image',
		name: 'downloadImage',
		type: 'boolean',
		default: true,
		displayOptions: { show: { waitForCompletion: [true] } },
		description:
			'Whether to download each finished image into the item’s binary data. Akool deletes its image URLs after 7 days, so keeping the file is how you keep the image.',
	},
];

/** Only on the operations that create jobs: Get Result has no callback to wait for. */
export const waitModeField: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	displayOptions: { show: { waitForCompletion: [true] } },
	options: [
		{
			name: 'Polling',
			value: 'poll',
			description: 'Read the jobs’ results until they finish; the execution runs meanwhile',
		},
		{
			name: 'Callback',
			value: 'callback',
			description:
				'Akool calls this execution back when jobs finish; the execution waits, saved, holding no worker',
		},
	],
	default: 'poll',
	hint: 'Callback needs the credential’s Client ID, and an n8n reachable by Akool: set WEBHOOK_URL to n8n’s public HTTPS address. On Timeout the node outputs its input items unchanged.',
};

export const negativePromptOption: INodeProperties = {
	displayName: 'Negative Prompt',
	name: 'negativePrompt',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder: 'e.g. low quality, blurry, text',
	description: 'What the image should NOT show',
};

export const webhookUrlOption: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/akool-callback',
	description:
		'A public URL Akool calls (signed and encrypted) when each job changes status, e.g. an Akool Trigger’s production URL',
};

export const additionalBodyFieldsOption: INodeProperties = {
	displayName: 'Additional Body Fields (JSON)',
	name: 'additionalBodyFields',
	type: 'json',
	default: '{}',
	description:
		'More fields for Akool’s create call, as a JSON object merged into its body: for what Akool adds before this node offers it. The fields the node sets itself (model_name, prompt, source_images, scale, resolution, batch_quantity, similar, negative_prompt, webhookurl, parameter) are refused.',
};

/** A number option of the run, its default and bounds from the engine's one table. */
function runOption(name: RunOptionName, description: string): INodeProperties {
	const { displayName, default: fallback, min, max, integer }: NumberOption = RUN_OPTIONS[name];
	const bounded = max < Number.MAX_SAFE_INTEGER ? { maxValue: max } : {};
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: min, ...bounded, ...(integer ? { numberPrecision: 0 } : {}) },
		default: fallback,
		description,
	};
}

const { concurrency, pollInterval, timeout, requestTimeout } = RUN_OPTIONS;

/** Options about waiting, downloading and pacing: the same on every image operation. */
const { default: binaryPropertyDefault } = BINARY_PROPERTY_OPTION;

export const runOptions: INodeProperties[] = [
	{
		displayName: BINARY_PROPERTY_OPTION.displayName,
		name: 'binaryPropertyName',
		type: 'string',
		default: binaryPropertyDefault,
		description: 'Name of the binary property the downloaded image is put in',
	},
	runOption(
		'concurrency',
		`The most requests this node has under way at any moment (${concurrency.min} to ${concurrency.max}): creates, result reads and image downloads share this one bound, also when a callback resumes the run. Items are processed together, not one by one. When Akool refuses requests as too frequent, the node also paces them at the rate Akool accepts, by itself.`,
	),
	runOption('maxImageSizeMb', 'Downloads larger than this fail with an error instead of filling memory or disk'),
	runOption(
		'maxImagesPerRun',
		'Spending guard: before creating anything, the node refuses to run when its input items would order more images than this (items × Number of Images). 0 means no limit.',
	),
	runOption(
		'pollInterval',
		`Typical time between two reads of the same unfinished job (${pollInterval.min} to ${pollInterval.max}). The node reads less often (up to 3×) while many jobs of a large batch are pending and more often (down to a third) when few are left; a job’s first read waits until jobs of this run are seen finishing.`,
	),
	runOption(
		'requestTimeout',
		`How long one request to Akool or to the image host may take (${requestTimeout.min} to ${requestTimeout.max})`,
	),
	runOption(
		'timeout',
		`How long to wait for all jobs of this run to finish (${timeout.min} to ${timeout.max}). Unfinished jobs keep running at Akool: the error lists their IDs for Get Result.`,
	),
];
