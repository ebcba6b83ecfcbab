/**
 * Bad input, on every operation and on the credential: the run fails with a NodeOperationError that
 * names the field as the user sees it and says what is allowed, and Akool receives NOTHING (no create,
 * no read, no credit check). Then the per-item rules around it: Continue On Fail and the spending guard.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { API_KEY } from '../../fake-akool';
import { generateParameters, runAkool, useFakeAkool } from '../../harness/akool';

const fake = useFakeAkool();

const JOB_ID = '6650a1b2c3d4e5f6a7b8c9d0';
const TEXT_RATIOS = '1:1, 3:2, 4:3, 16:9, 2:3, 3:4, 9:16';

function transformParameters(overrides: IDataObject = {}): IDataObject {
	return generateParameters({
		operation: 'transform',
		sourceImageUrl: 'https://example.com/photo.jpg',
		similarity: 0.5,
		aspectRatio: 'Original',
		...overrides,
	});
}

function getResultParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'image',
		operation: 'getResult',
		jobIds: JOB_ID,
		...overrides,
		options: { pollInterval: 1, timeout: 30, ...((overrides.options as IDataObject) ?? {}) },
	};
}

function upscaleParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'image',
		operation: 'upscaleOrVary',
		jobId: JOB_ID,
		button: 'U1',
		...overrides,
		options: { pollInterval: 1, timeout: 30, ...((overrides.options as IDataObject) ?? {}) },
	};
}

const getCreditsParameters: IDataObject = { resource: 'account', operation: 'getCredits' };

interface BadInput {
	name: string;
	parameters: IDataObject;
	items?: IDataObject[];
	/** Replaces the credential; `baseUrl` is filled in with the fake's unless given. */
	credential?: ICredentialDataDecryptedObject;
	/** The start of the message: names the field as the user sees it. */
	message: string | RegExp;
	/** What the description must say: the allowed values. */
	description: RegExp;
	/** The item the error is about, when it is not the first. */
	itemIndex?: number;
}

const field = (name: string) => new RegExp(`^Invalid "${name.replace(/[()]/g, '\\$&')}": `);

const badInputs: BadInput[] = [
	// Generate
	{
		name: 'Generate: a prompt expression resolving to an empty text',
		parameters: generateParameters({ prompt: '={{ "" }}' }),
		message: 'Invalid "Prompt": it is empty',
		description: /"Prompt" must be a non-empty text/,
	},
	{
		name: 'Generate: whitespace prompt',
		parameters: generateParameters({ prompt: ' \n\t ' }),
		message: 'Invalid "Prompt": it is empty',
		description: /"Prompt" must be a non-empty text/,
	},
	{
		name: 'Generate: a prompt expression resolving to a number',
		parameters: generateParameters({ prompt: '={{ 42 }}' }),
		message: field('Prompt'),
		description: /"Prompt" must be a text/,
	},
	{
		name: 'Generate: a prompt expression resolving to an object',
		parameters: generateParameters({ prompt: '={{ { a: 1 } }}' }),
		message: field('Prompt'),
		description: /"Prompt" must be a text/,
	},
	{
		name: 'Generate: 0 images',
		parameters: generateParameters({ numberOfImages: 0 }),
		message: 'Invalid "Number of Images": got number 0',
		description: /a whole number from 1 to 4/,
	},
	{
		name: 'Generate: 5 images',
		parameters: generateParameters({ numberOfImages: 5 }),
		message: 'Invalid "Number of Images": got number 5',
		description: /a whole number from 1 to 4/,
	},
	{
		name: 'Generate: 2.5 images',
		parameters: generateParameters({ numberOfImages: 2.5 }),
		message: 'Invalid "Number of Images": got number 2.5',
		description: /a whole number from 1 to 4/,
	},
	{
		name: 'Generate: "two" images',
		parameters: generateParameters({ numberOfImages: 'two' }),
		message: 'Invalid "Number of Images": got "two"',
		description: /a whole number from 1 to 4/,
	},
	{
		name: 'Generate: the Original ratio (image-to-image only)',
		parameters: generateParameters({ aspectRatio: 'Original' }),
		message: 'Invalid "Aspect Ratio": got "Original"',
		description: new RegExp(`must be one of ${TEXT_RATIOS}\\.$`),
	},
	{
		name: 'Generate: an unknown ratio',
		parameters: generateParameters({ aspectRatio: '5:4' }),
		message: 'Invalid "Aspect Ratio": got "5:4"',
		description: new RegExp(`must be one of ${TEXT_RATIOS}\\.$`),
	},
	{
		name: 'Generate: an unknown resolution',
		parameters: generateParameters({ resolution: '8k' }),
		message: 'Invalid "Resolution": got "8k"',
		description: /one of 1080p, 4k/,
	},
	{
		name: 'Generate: a webhook URL that is not a URL',
		parameters: generateParameters({ options: { webhookUrl: 'my server' } }),
		message: 'Invalid "Webhook URL": got "my server"',
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Generate: an ftp:// webhook URL',
		parameters: generateParameters({ options: { webhookUrl: 'ftp://example.com/hook' } }),
		message: 'Invalid "Webhook URL": got "ftp://example.com/hook"',
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Generate: an unknown model',
		parameters: generateParameters({ options: { model: 'dall-e-3' } }),
		message: 'Invalid "Model": got "dall-e-3"',
		description: /one of auto, wavespeed-ai\/flux-krea-dev-lora/,
	},
	{
		name: 'Generate: the image-to-image model',
		parameters: generateParameters({ options: { model: 'wavespeed-ai/flux-kontext-dev' } }),
		message: 'Invalid "Model": got "wavespeed-ai/flux-kontext-dev"',
		description: /one of auto, wavespeed-ai\/flux-krea-dev-lora\.$/,
	},
	{
		name: 'Generate: Poll Interval 0.1 s',
		parameters: generateParameters({ options: { pollInterval: 0.1 } }),
		message: 'Invalid "Poll Interval (Seconds)": got number 0.1',
		description: /a number from 1 to 60/,
	},
	{
		name: 'Generate: Poll Interval 61 s',
		parameters: generateParameters({ options: { pollInterval: 61 } }),
		message: 'Invalid "Poll Interval (Seconds)": got number 61',
		description: /a number from 1 to 60/,
	},
	{
		name: 'Generate: Timeout 3 s',
		parameters: generateParameters({ options: { timeout: 3 } }),
		message: 'Invalid "Timeout (Seconds)": got number 3',
		description: /a number from 5 to 3600/,
	},
	{
		name: 'Generate: Concurrency 0',
		parameters: generateParameters({ options: { concurrency: 0 } }),
		message: 'Invalid "Concurrency": got number 0',
		description: /a whole number from 1 to 20/,
	},
	{
		name: 'Generate: Concurrency 21',
		parameters: generateParameters({ options: { concurrency: 21 } }),
		message: 'Invalid "Concurrency": got number 21',
		description: /a whole number from 1 to 20/,
	},
	{
		name: 'Generate: Max Images per Run -1',
		parameters: generateParameters({ options: { maxImagesPerRun: -1 } }),
		message: 'Invalid "Max Images per Run": got number -1',
		description: /a whole number from 0\b/,
	},
	{
		name: 'Generate: Request Timeout 1 s',
		parameters: generateParameters({ options: { requestTimeout: 1 } }),
		message: 'Invalid "Request Timeout (Seconds)": got number 1',
		description: /a number from 5 to 300/,
	},
	{
		name: 'Generate: Max Image Size 0 MB',
		parameters: generateParameters({ options: { maxImageSizeMb: 0 } }),
		message: 'Invalid "Max Image Size (MB)": got number 0',
		description: /a number from 1 to 512/,
	},
	{
		name: 'Generate: a blank Binary Property',
		parameters: generateParameters({ options: { binaryPropertyName: '  ' } }),
		message: 'Invalid "Binary Property": it is empty',
		description: /a non-empty text/,
	},
	// Expressions resolving to bad values, from the items
	{
		name: 'Generate: a prompt expression resolving to blanks on the second item',
		parameters: generateParameters({ prompt: '={{ $json.p }}' }),
		items: [{ p: 'a cat' }, { p: '   ' }],
		message: 'Invalid "Prompt": it is empty',
		description: /"Prompt" must be a non-empty text/,
		itemIndex: 1,
	},
	{
		name: 'Generate: a prompt expression resolving to a number from the item',
		parameters: generateParameters({ prompt: '={{ $json.p }}' }),
		items: [{ p: 7 }],
		message: 'Invalid "Prompt": got number 7',
		description: /"Prompt" must be a text/,
	},
	{
		name: 'Generate: a prompt expression resolving to a missing field',
		parameters: generateParameters({ prompt: '={{ $json.p }}' }),
		items: [{ q: 'wrong field' }],
		message: field('Prompt'),
		description: /"Prompt" must be a non-empty text/,
	},
	{
		name: 'Generate: Number of Images from the item is 9',
		parameters: generateParameters({ numberOfImages: '={{ $json.n }}' }),
		items: [{ n: 2 }, { n: 2 }, { n: 9 }],
		message: 'Invalid "Number of Images": got number 9',
		description: /a whole number from 1 to 4/,
		itemIndex: 2,
	},
	{
		name: 'Generate: an aspect ratio from the item that Akool does not know',
		parameters: generateParameters({ aspectRatio: '={{ $json.ratio }}' }),
		items: [{ ratio: '21:9' }],
		message: 'Invalid "Aspect Ratio": got "21:9"',
		description: new RegExp(`one of ${TEXT_RATIOS}`),
	},
	// Transform
	{
		name: 'Transform: similarity -0.1',
		parameters: transformParameters({ similarity: -0.1 }),
		message: 'Invalid "Similarity": got number -0.1',
		description: /a number from 0 to 1/,
	},
	{
		name: 'Transform: similarity 1.5',
		parameters: transformParameters({ similarity: 1.5 }),
		message: 'Invalid "Similarity": got number 1.5',
		description: /a number from 0 to 1/,
	},
	{
		name: 'Transform: an ftp:// source URL',
		parameters: transformParameters({ sourceImageUrl: 'ftp://example.com/photo.jpg' }),
		message: 'Invalid "Source Image URL": got "ftp://example.com/photo.jpg"',
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Transform: a source URL that is not a URL',
		parameters: transformParameters({ sourceImageUrl: 'photo.jpg' }),
		message: 'Invalid "Source Image URL": got "photo.jpg"',
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Transform: a source URL expression resolving to an empty text',
		parameters: transformParameters({ sourceImageUrl: '={{ $json.url }}' }),
		items: [{ url: '' }],
		message: 'Invalid "Source Image URL": it is empty',
		description: /a non-empty text/,
	},
	{
		name: 'Transform: a source URL from the item that is a data: URL',
		parameters: transformParameters({ sourceImageUrl: '={{ $json.url }}' }),
		items: [{ url: 'data:image/png;base64,iVBORw0KGgo=' }],
		message: field('Source Image URL'),
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Transform: a whitespace prompt',
		parameters: transformParameters({ prompt: '   ' }),
		message: 'Invalid "Prompt": it is empty',
		description: /a non-empty text/,
	},
	{
		name: 'Transform: 5 images',
		parameters: transformParameters({ numberOfImages: 5 }),
		message: 'Invalid "Number of Images": got number 5',
		description: /a whole number from 1 to 4/,
	},
	{
		name: 'Transform: an unknown ratio',
		parameters: transformParameters({ aspectRatio: 'square' }),
		message: 'Invalid "Aspect Ratio": got "square"',
		description: new RegExp(`one of Original, ${TEXT_RATIOS}`),
	},
	{
		name: 'Transform: the text-to-image model',
		parameters: transformParameters({ options: { model: 'wavespeed-ai/flux-krea-dev-lora' } }),
		message: 'Invalid "Model": got "wavespeed-ai/flux-krea-dev-lora"',
		description: /one of auto, wavespeed-ai\/flux-kontext-dev/,
	},
	{
		name: 'Transform: similarity from the item is "high"',
		parameters: transformParameters({ similarity: '={{ $json.s }}' }),
		items: [{ s: 'high' }],
		message: 'Invalid "Similarity": got "high"',
		description: /a number from 0 to 1/,
	},
	// Get Result
	{
		name: 'Get Result: a job ID list expression resolving to an empty text',
		parameters: getResultParameters({ jobIds: '={{ $json.ids }}' }),
		items: [{ ids: '' }],
		message: field('Job IDs'),
		description: /one or more job IDs/,
	},
	{
		name: 'Get Result: a job ID list of separators only',
		parameters: getResultParameters({ jobIds: ' , ;, ' }),
		message: field('Job IDs'),
		description: /one or more job IDs/,
	},
	{
		name: 'Get Result: a malformed job ID',
		parameters: getResultParameters({ jobIds: `${JOB_ID}, not/an id!` }),
		message: 'Invalid "Job IDs": got "not/an"',
		description: /job IDs as Akool returns them \(letters, digits, - and _\)/,
	},
	{
		name: 'Get Result: job IDs from the item are an empty list',
		parameters: getResultParameters({ jobIds: '={{ $json.ids }}' }),
		items: [{ ids: [] }],
		message: field('Job IDs'),
		description: /one or more job IDs/,
	},
	{
		name: 'Get Result: job IDs from the item hold a number',
		parameters: getResultParameters({ jobIds: '={{ $json.ids }}' }),
		items: [{ ids: [JOB_ID, 42] }],
		message: 'Invalid "Job IDs": got number 42',
		description: /job IDs as Akool returns them/,
	},
	{
		name: 'Get Result: job IDs from the item are an object',
		parameters: getResultParameters({ jobIds: '={{ $json.ids }}' }),
		items: [{ ids: { id: JOB_ID } }],
		message: 'Invalid "Job IDs": got an object',
		description: /one or more job IDs/,
	},
	{
		name: 'Get Result: Poll Interval 61 s',
		parameters: getResultParameters({ options: { pollInterval: 61 } }),
		message: 'Invalid "Poll Interval (Seconds)": got number 61',
		description: /a number from 1 to 60/,
	},
	{
		name: 'Get Result: Concurrency 21',
		parameters: getResultParameters({ options: { concurrency: 21 } }),
		message: 'Invalid "Concurrency": got number 21',
		description: /a whole number from 1 to 20/,
	},
	// Upscale or Vary
	{
		name: 'Upscale or Vary: an unknown button',
		parameters: upscaleParameters({ button: 'U5' }),
		message: 'Invalid "Button": got "U5"',
		description: /one of U1, U2, U3, U4, V1, V2, V3, V4/,
	},
	{
		name: 'Upscale or Vary: a button from the item in lower case',
		parameters: upscaleParameters({ button: '={{ $json.b }}' }),
		items: [{ b: 'v2' }],
		message: 'Invalid "Button": got "v2"',
		description: /one of U1, U2, U3, U4, V1, V2, V3, V4/,
	},
	{
		name: 'Upscale or Vary: a job ID expression resolving to nothing',
		parameters: upscaleParameters({ jobId: '={{ $json.id }}' }),
		items: [{ other: JOB_ID }],
		message: field('Job ID'),
		description: /job ID/,
	},
	{
		name: 'Upscale or Vary: a malformed job ID',
		parameters: upscaleParameters({ jobId: 'https://akool.com/job/1' }),
		message: field('Job ID'),
		description: /job IDs as Akool returns them/,
	},
	{
		name: 'Upscale or Vary: a bad webhook URL',
		parameters: upscaleParameters({ options: { webhookUrl: 'javascript:alert(1)' } }),
		message: 'Invalid "Webhook URL": got "javascript:alert(1)"',
		description: /an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Upscale or Vary: Timeout 3 s',
		parameters: upscaleParameters({ options: { timeout: 3 } }),
		message: 'Invalid "Timeout (Seconds)": got number 3',
		description: /a number from 5 to 3600/,
	},
	{
		name: 'Upscale or Vary: Max Images per Run -1',
		parameters: upscaleParameters({ options: { maxImagesPerRun: -1 } }),
		message: 'Invalid "Max Images per Run": got number -1',
		description: /a whole number from 0\b/,
	},
	// The credential
	{
		name: 'Generate: a credential base URL that is not a URL',
		parameters: generateParameters(),
		credential: { apiKey: API_KEY, baseUrl: 'openapi.akool.com' },
		message: 'Invalid "Base URL" in the Akool credential: got "openapi.akool.com"',
		description: /"Base URL" must be an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Get Credits: a credential base URL with another scheme',
		parameters: getCreditsParameters,
		credential: { apiKey: API_KEY, baseUrl: 'ftp://openapi.akool.com' },
		message: 'Invalid "Base URL" in the Akool credential: got "ftp://openapi.akool.com"',
		description: /"Base URL" must be an http:\/\/ or https:\/\/ URL/,
	},
	{
		name: 'Get Credits: a blank API key',
		parameters: getCreditsParameters,
		credential: { apiKey: '   ' },
		message: /^The Akool credential has no API key/,
		description: /paste the API key/i,
	},
	{
		name: 'Generate: no API key at all',
		parameters: generateParameters(),
		credential: {},
		message: /^The Akool credential has no API key/,
		description: /paste the API key/i,
	},
	{
		name: 'Get Result: an empty API key',
		parameters: getResultParameters(),
		credential: { apiKey: '' },
		message: /^The Akool credential has no API key/,
		description: /paste the API key/i,
	},
	{
		name: 'Upscale or Vary: a credential base URL that is not a URL',
		parameters: upscaleParameters(),
		credential: { apiKey: API_KEY, baseUrl: 'http//127.0.0.1' },
		message: /^Invalid "Base URL" in the Akool credential/,
		description: /"Base URL" must be an http:\/\/ or https:\/\/ URL/,
	},
];

describe('bad input is refused before any request', () => {
	it('covers every operation with at least 30 cases', () => {
		expect(badInputs.length).toBeGreaterThanOrEqual(30);
		const operations = new Set(badInputs.map(({ parameters }) => `${parameters.resource}:${parameters.operation}`));
		expect([...operations].sort()).toEqual([
			'account:getCredits',
			'image:generate',
			'image:getResult',
			'image:transform',
			'image:upscaleOrVary',
		]);
	});

	it.each(badInputs)('$name', async ({ parameters, items, credential, message, description, itemIndex }) => {
		const run = await runAkool(fake(), {
			parameters,
			items,
			credential: credential && { baseUrl: fake().baseUrl, clientId: '', ...credential },
		});
		const error = run.error;
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeOperationError');
		if (typeof message === 'string') expect(error?.message).toBe(message);
		else expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(description);
		if (itemIndex !== undefined) expect(error?.context?.itemIndex).toBe(itemIndex);
		expect(run.output).toEqual([]);
		expect(fake().requests).toEqual([]);
		expect(fake().requests.length).toBe(0);
	});
});

describe('required fields left literally empty', () => {
	// n8n's engine checks `required` parameters before the node runs: the node only ever sees empty
	// values that come from expressions (covered above). This pins that the field is marked required.
	it.each([
		['Prompt', generateParameters({ prompt: '' })],
		['Prompt', transformParameters({ prompt: '' })],
		['Source Image URL', transformParameters({ sourceImageUrl: '' })],
		['Job IDs', getResultParameters({ jobIds: '' })],
		['Job ID', upscaleParameters({ jobId: '' })],
	])('"%s" is refused by n8n before the node runs', async (name, parameters) => {
		await expect(runAkool(fake(), { parameters })).rejects.toThrow(`Parameter "${name}" is required.`);
		expect(fake().requests.length).toBe(0);
	});
});

describe('Continue On Fail with an invalid item', () => {
	it('creates the images of the good items and turns the bad one into an error item', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: '={{ $json.n }}' }),
			items: [
				{ p: 'a red fox', n: 1 },
				{ p: 'a blue owl', n: 7 },
				{ p: 'a green frog', n: 1 },
			],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ status: 'completed', prompt: 'a red fox' });
		expect(output[2].json).toMatchObject({ status: 'completed', prompt: 'a green frog' });
		expect(output[0].binary?.data?.mimeType).toBe('image/png');
		expect(output[2].binary?.data?.mimeType).toBe('image/png');
		expect(output[1].json).toEqual({
			error: 'Invalid "Number of Images": got number 7',
			description: '"Number of Images" must be a whole number from 1 to 4.',
		});
		expect(output[1].binary).toBeUndefined();
		// Only the two good items were sent.
		const creates = fake().requests.filter((request) => request.kind === 'create');
		expect(creates.map((request) => request.body.prompt).sort()).toEqual(['a green frog', 'a red fox']);
		expect(fake().count('download')).toBe(2);
	});

	it('without Continue On Fail refuses the whole run, even the good items, before any request', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}' }),
			items: [{ p: 'a red fox' }, { p: '' }, { p: 'a green frog' }],
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Invalid "Prompt": it is empty');
		expect(error?.context?.itemIndex).toBe(1);
		expect(output).toEqual([]);
		expect(fake().requests.length).toBe(0);
	});
});

describe('the spending guard (Max Images per Run)', () => {
	const thirtyItems = Array.from({ length: 30 }, (_, index) => ({ p: `picture ${index}` }));

	it('refuses 30 items × 4 images with the default limit of 100, before any create', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4 }),
			items: thirtyItems,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/\b120\b/);
		expect(error?.message).toMatch(/\b100\b/);
		expect(error?.message).toMatch(/Max Images per Run/);
		expect(error?.message).toBe('This run would order 120 images, more than Max Images per Run (100)');
		expect(error?.description).toMatch(/"Max Images per Run" \(0 = no limit\)/);
		expect(error?.description).toMatch(/Nothing was created/);
		expect(output).toEqual([]);
		expect(fake().requests.length).toBe(0);
	});

	it('counts exactly: 25 items × 4 images = 100 is allowed by the default limit', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4, waitForCompletion: false }),
			items: thirtyItems.slice(0, 25),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(100);
		expect(fake().count('create')).toBe(25);
	});

	it('is lifted by Max Images per Run 0: 30 creates of 4 images are sent', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({
				prompt: '={{ $json.p }}',
				numberOfImages: 4,
				waitForCompletion: false,
				options: { maxImagesPerRun: 0 },
			}),
			items: thirtyItems,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(120);
		expect(fake().count('create')).toBe(30);
		const creates = fake().requests.filter((request) => request.kind === 'create');
		expect(creates.every((request) => request.body.batch_quantity === 4)).toBe(true);
		expect(new Set(creates.map((request) => request.body.prompt)).size).toBe(30);
		expect(fake().count('result')).toBe(0);
	});

	it('does not count invalid items skipped by Continue On Fail', async () => {
		// 26 items × 4 = 104 > 100, but one of them is invalid: 25 × 4 = 100 is within the limit.
		const items = thirtyItems.slice(0, 26).map((item, index) => (index === 3 ? { p: ' ' } : item));
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4, waitForCompletion: false }),
			items,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(fake().count('create')).toBe(25);
		expect(output.filter((item) => item.json.error)).toEqual([
			{ json: expect.objectContaining({ error: 'Invalid "Prompt": it is empty' }), pairedItem: { item: 3 } },
		]);
	});
});
