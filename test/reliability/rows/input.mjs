// @ts-check
/**
 * Bad input on every operation and on the credential: a NodeOperationError naming the field (as the
 * user sees it) and what is allowed, before ANY request (the fake receives nothing).
 */
import { API_KEY, SAMPLE_SOURCE, generate, getCredits, getResult, prompts, transform, upscaleOrVary } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Env} Env */

/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NON_EMPTY = /must be a non-empty text/;
const A_TEXT = /must be a text/;
const IMAGES = /must be a whole number from 1 to 4/;
const TEXT_RATIOS = /must be one of 1:1, 3:2, 4:3, 16:9, 2:3, 3:4, 9:16\./;
const TRANSFORM_RATIOS = /must be one of Original, 1:1, 3:2, 4:3, 16:9, 2:3, 3:4, 9:16\./;
const HTTP_URL = /must be an http:\/\/ or https:\/\/ URL/;
const JOB_IDS = /must be one or more job IDs/;
const JOB_ID_SHAPE = /must be job IDs as Akool returns them \(letters, digits, - and _\)/;
const BUTTONS = /must be one of U1, U2, U3, U4, V1, V2, V3, V4/;

/**
 * @param {string} id @param {object} params @param {string} field @param {RegExp} allowed
 * @param {{ items?: object[], itemIndex?: number | null, credential?: (env: Env) => object, message?: RegExp, typeVersion?: number }} [more]
 * @returns {Row}
 */
function bad(id, params, field, allowed, { items, itemIndex = 0, credential, message, typeVersion } = {}) {
	return {
		id,
		group: 'bad input',
		params,
		items,
		credential,
		typeVersion,
		expect: {
			text: `error names "${field}" + allowed; 0 requests`,
			requests: 0,
			creates: 0,
			error: {
				name: 'NodeOperationError',
				message: message ?? new RegExp(`^Invalid "${escape(field)}"`),
				description: allowed,
				itemIndex,
			},
		},
	};
}

const SECOND_ITEM_BAD = { itemIndex: 1 };

/** @type {Row[]} */
export const rows = [
	// Generate
	{
		id: 'generate: empty prompt (literal)',
		group: 'bad input',
		params: generate({ prompt: '' }),
		expect: {
			text: "n8n's own check names \"Prompt\"; 0 requests",
			requests: 0,
			creates: 0,
			error: { name: 'WorkflowHasIssuesError', message: /Parameter "Prompt" is required/, itemIndex: null },
		},
	},
	bad('generate: empty prompt (expr)', generate({ prompt: '={{ "" }}' }), 'Prompt', NON_EMPTY),
	bad('generate: whitespace prompt', generate({ prompt: '  \n\t ' }), 'Prompt', NON_EMPTY),
	bad('generate: prompt is a number (expr)', generate({ prompt: '={{ 42 }}' }), 'Prompt', A_TEXT),
	bad('generate: prompt is an object (expr)', generate({ prompt: '={{ { text: "a cat" } }}' }), 'Prompt', A_TEXT),
	bad('generate: prompt from a missing field', generate({ prompt: '={{ $json.nothing }}' }), 'Prompt', NON_EMPTY),
	bad('generate: 0 images', generate({ numberOfImages: 0 }), 'Number of Images', IMAGES),
	bad('generate: 5 images', generate({ numberOfImages: 5 }), 'Number of Images', IMAGES),
	bad('generate: 2.5 images', generate({ numberOfImages: 2.5 }), 'Number of Images', IMAGES),
	bad('generate: "two" images', generate({ numberOfImages: 'two' }), 'Number of Images', IMAGES),
	bad('generate: -1 images (expr, item 1)', generate({ numberOfImages: '={{ $json.n }}' }), 'Number of Images', IMAGES, {
		items: [{ prompt: 'item 0', n: 2 }, { prompt: 'item 1', n: -1 }],
		...SECOND_ITEM_BAD,
	}),
	bad('generate: Original ratio', generate({ aspectRatio: 'Original' }), 'Aspect Ratio', TEXT_RATIOS),
	bad('generate: unknown ratio 5:4', generate({ aspectRatio: '5:4' }), 'Aspect Ratio', TEXT_RATIOS),
	bad('generate: unknown resolution 8k', generate({ resolution: '8k' }), 'Resolution', /must be one of 1080p, 4k/),
	bad('generate: resolution 720p (expr, item 1)', generate({ resolution: '={{ $json.res }}' }), 'Resolution', /must be one of 1080p, 4k/, {
		items: [{ prompt: 'item 0', res: '4k' }, { prompt: 'item 1', res: '720p' }],
		...SECOND_ITEM_BAD,
	}),
	bad('generate: negative prompt a number', generate({ options: { negativePrompt: '={{ 7 }}' } }), 'Negative Prompt', A_TEXT),
	bad('generate: webhook URL not a URL', generate({ options: { webhookUrl: 'call me back' } }), 'Webhook URL', HTTP_URL),
	bad('generate: unknown model', generate({ options: { model: 'gpt-image-1' } }), 'Model', /must be one of auto, wavespeed-ai\/flux-krea-dev-lora/),
	// Transform
	bad('transform: source URL ftp://', transform({ sourceImageUrl: 'ftp://example.com/a.png' }), 'Source Image URL', HTTP_URL),
	bad('transform: source URL not a URL', transform({ sourceImageUrl: 'a photo of a cat' }), 'Source Image URL', HTTP_URL),
	bad('transform: empty source URL (expr)', transform({ sourceImageUrl: '={{ $json.url }}' }), 'Source Image URL', NON_EMPTY),
	bad('transform: file:// URL (expr, item 1)', transform({ sourceImageUrl: '={{ $json.url }}' }), 'Source Image URL', HTTP_URL, {
		items: [{ prompt: 'item 0', url: SAMPLE_SOURCE }, { prompt: 'item 1', url: 'file:///etc/passwd' }],
		...SECOND_ITEM_BAD,
	}),
	bad('transform: similarity -0.1', transform({ similarity: -0.1 }), 'Similarity', /must be a number from 0 to 1/),
	bad('transform: similarity 1.5', transform({ similarity: 1.5 }), 'Similarity', /must be a number from 0 to 1/),
	bad('transform: similarity "very" (expr)', transform({ similarity: '={{ "very" }}' }), 'Similarity', /must be a number from 0 to 1/),
	bad('transform: whitespace prompt', transform({ prompt: '   ' }), 'Prompt', NON_EMPTY),
	bad('transform: unknown ratio', transform({ aspectRatio: 'square' }), 'Aspect Ratio', TRANSFORM_RATIOS),
	// Get Result
	bad('get result: empty job IDs (expr)', getResult({ jobIds: '={{ "" }}' }), 'Job IDs', JOB_IDS),
	bad('get result: only separators', getResult({ jobIds: ' , ,, ' }), 'Job IDs', JOB_IDS),
	bad('get result: malformed job ID', getResult({ jobIds: '6650a1b2c3d4e5f6a7b8c9d0, abc/def' }), 'Job IDs', JOB_ID_SHAPE),
	bad('get result: job IDs a number (expr)', getResult({ jobIds: '={{ 42 }}' }), 'Job IDs', JOB_IDS),
	bad('get result: job IDs an empty list (expr)', getResult({ jobIds: '={{ [] }}' }), 'Job IDs', JOB_IDS),
	// Upscale or Vary
	bad('upscale: unknown button U5', upscaleOrVary({ jobId: '6650a1b2c3d4e5f6a7b8c9d0', button: 'U5' }), 'Button', BUTTONS),
	bad('upscale: button "upscale" (expr)', upscaleOrVary({ jobId: '6650a1b2c3d4e5f6a7b8c9d0', button: '={{ "upscale" }}' }), 'Button', BUTTONS),
	bad('upscale: empty job ID (expr)', upscaleOrVary({ jobId: '={{ $json.id }}' }), 'Job ID', JOB_IDS),
	bad('upscale: malformed job ID', upscaleOrVary({ jobId: 'not an id!' }), 'Job ID', JOB_ID_SHAPE),
	bad(
		'upscale: webhook javascript:',
		upscaleOrVary({ jobId: '6650a1b2c3d4e5f6a7b8c9d0', options: { webhookUrl: 'javascript:alert(1)' } }),
		'Webhook URL',
		HTTP_URL,
	),
	// Run options (read once, from the first item)
	bad('option: concurrency 0', generate({ options: { concurrency: 0 } }), 'Concurrency', /must be a whole number from 1 to 20/),
	bad('option: concurrency 21', generate({ options: { concurrency: 21 } }), 'Concurrency', /must be a whole number from 1 to 20/),
	bad('option: poll interval 0.5 s', generate({ options: { pollInterval: 0.5 } }), 'Poll Interval (Seconds)', /must be a number from 1 to 60/),
	bad('option: timeout 4 s', generate({ options: { timeout: 4 } }), 'Timeout (Seconds)', /must be a number from 5 to 3600/),
	bad('option: request timeout 301 s', getResult({ jobIds: 'abc', options: { requestTimeout: 301 } }), 'Request Timeout (Seconds)', /must be a number from 5 to 300/),
	bad('option: max image size 0 MB', generate({ options: { maxImageSizeMb: 0 } }), 'Max Image Size (MB)', /must be a number from 1 to 512/),
	bad('option: max images per run -1', generate({ options: { maxImagesPerRun: -1 } }), 'Max Images per Run', /must be a whole number from 0\b/),
	bad('option: empty binary property', generate({ options: { binaryPropertyName: '' } }), 'Binary Property', NON_EMPTY),
	// The credential
	bad('credential: no API key', generate(), 'API key', /paste the API key/, {
		itemIndex: null,
		message: /credential has no API key/,
		credential: ({ fake }) => ({ baseUrl: fake.baseUrl, clientId: '' }),
	}),
	bad('credential: whitespace API key', generate(), 'API key', /paste the API key/, {
		itemIndex: null,
		message: /credential has no API key/,
		credential: ({ fake }) => ({ apiKey: '   ', baseUrl: fake.baseUrl }),
	}),
	bad('credential: no API key (Get Credits)', getCredits(), 'API key', /paste the API key/, {
		itemIndex: null,
		message: /credential has no API key/,
		credential: ({ fake }) => ({ apiKey: '', baseUrl: fake.baseUrl }),
	}),
	bad('credential: base URL not a URL', generate(), 'Base URL', HTTP_URL, {
		itemIndex: null,
		message: /^Invalid "Base URL"/,
		credential: () => ({ apiKey: API_KEY, baseUrl: 'akool api' }),
	}),
	bad('credential: base URL ftp://', getResult({ jobIds: 'abc' }), 'Base URL', HTTP_URL, {
		itemIndex: null,
		message: /^Invalid "Base URL"/,
		credential: ({ fake }) => ({ apiKey: API_KEY, baseUrl: fake.baseUrl.replace('http:', 'ftp:') }),
	}),
	bad('credential: base URL javascript: (Get Credits)', getCredits(), 'Base URL', HTTP_URL, {
		itemIndex: null,
		message: /^Invalid "Base URL"/,
		credential: () => ({ apiKey: API_KEY, baseUrl: 'javascript:alert(1)' }),
	}),
	// Continue On Fail: the bad item becomes an error item, the good ones are whole
	{
		id: 'CoF: item 1 whitespace prompt',
		group: 'bad input',
		items: prompts(3, (i) => (i === 1 ? { prompt: '   ' } : {})),
		params: generate(),
		cof: true,
		expect: {
			text: 'item 1: error item naming "Prompt"; 0, 2 whole',
			creates: 2,
			errorItems: [1],
			errorItem: { message: /^Invalid "Prompt"/, description: NON_EMPTY },
		},
	},
	{
		id: 'CoF: item 1 ratio "bogus" (transform)',
		group: 'bad input',
		items: prompts(3, (i) => ({ ratio: ['Original', 'bogus', '16:9'][i] })),
		params: transform({ aspectRatio: '={{ $json.ratio }}' }),
		cof: true,
		expect: {
			text: 'item 1: error item naming "Aspect Ratio"; others whole',
			creates: 2,
			errorItems: [1],
			errorItem: { message: /^Invalid "Aspect Ratio"/, description: TRANSFORM_RATIOS },
		},
	},
	{
		id: 'CoF: item 1 asks 7 images',
		group: 'bad input',
		items: prompts(3, (i) => ({ n: i === 1 ? 7 : 2 })),
		params: generate({ numberOfImages: '={{ $json.n }}' }),
		cof: true,
		expect: {
			text: 'item 1: error item; 0, 2 whole (2 images each)',
			creates: 2,
			perItem: 2,
			errorItems: [1],
			errorItem: { message: /^Invalid "Number of Images"/, description: IMAGES },
		},
	},
	{
		id: 'CoF: bad option (concurrency 0)',
		group: 'bad input',
		items: prompts(2),
		params: generate({ options: { concurrency: 0 } }),
		cof: true,
		expect: {
			text: 'every item: error item naming "Concurrency"; 0 requests',
			requests: 0,
			creates: 0,
			errorItems: 'all',
			errorItem: { message: /^Invalid "Concurrency"/ },
		},
	},
	{
		id: 'CoF: no API key',
		group: 'bad input',
		items: prompts(2),
		params: generate(),
		cof: true,
		credential: ({ fake }) => ({ apiKey: '', baseUrl: fake.baseUrl }),
		expect: {
			text: 'every item: error item naming the API key; 0 requests',
			requests: 0,
			creates: 0,
			errorItems: 'all',
			errorItem: { message: /API key/ },
		},
	},

	// Node version 2: models from the catalogue, Custom Model ID, Additional Body Fields
	...modelRows(),
];

/** Version 2's model fields: each refused before any create, naming the field. @returns {Row[]} */
function modelRows() {
	const v2 = { typeVersion: 2 };
	const meitu = (/** @type {object} */ o = {}) => transform({ model: 'meitu/yunxiu-pro/image-to-image', prompt: '', ...o });
	const people = [
		{ age: [15, 49], gender: 1, key: 'man', name: '' },
		{ age: [15, 49], gender: 0, key: 'woman', name: '' },
		{ age: [0, 14], gender: 0, key: 'child', name: '' },
		{ age: [50, 100], gender: 0, key: 'oldwoman', name: '' },
		{ age: [50, 100], gender: 1, key: 'oldman', name: '' },
	];
	const BODY_FIELDS = 'Additional Body Fields (JSON)';
	return [
		bad('v2: Additional Body Fields, bad JSON', generate({ options: { additionalBodyFields: '{ seed: 1 }' } }), BODY_FIELDS, /must be valid JSON/, v2),
		bad('v2: Additional Body Fields, a list', generate({ options: { additionalBodyFields: '[1]' } }), BODY_FIELDS, /must be a JSON object/, v2),
		bad('v2: Additional Body Fields, reserved key', generate({ options: { additionalBodyFields: '{"batch_quantity": 4}' } }), BODY_FIELDS, /the keys the node sets itself \(batch_quantity:/, v2),
		bad('v2: Custom Model ID empty', generate({ model: 'custom', customModelId: '={{ "" }}' }), 'Custom Model ID', NON_EMPTY, v2),
		bad('v2: a model of another operation', generate({ model: 'meitu/yunxiu-pro/image-to-image' }), 'Model', /must be one of auto, wavespeed-ai\/flux-krea-dev-lora, custom/, v2),
		bad('v2: Meitu without People Type', meitu({ peopleType: '={{ null }}' }), 'People Type (JSON)', /exactly five entries .*got no list/, v2),
		bad('v2: Meitu with 4 people types', meitu({ peopleType: JSON.stringify(people.slice(0, 4)) }), 'People Type (JSON)', /got 4 entries/, v2),
		bad('v2: Meitu people types out of order', meitu({ peopleType: JSON.stringify([people[1], people[0], ...people.slice(2)]) }), 'People Type (JSON)', /entry 1 must have key "man"/, v2),
		bad('v2: Meitu All Params not an object', meitu({ allParams: '"bright"' }), 'All Params (JSON)', /must be a JSON object/, v2),
		bad('v2: Meitu GIF source', meitu({ sourceImageUrl: 'https://images.example.com/anim.gif' }), 'Source Image URL', /the URL names a \.gif file/, v2),
		bad('v2: Meitu IP-address source', meitu({ sourceImageUrl: 'https://203.0.113.5/photo.jpg' }), 'Source Image URL', /refuses IP-address URLs/, v2),
	];
}
