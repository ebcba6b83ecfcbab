/**
 * Bad input, on every operation and on the credential: the run fails with a NodeOperationError that
 * names the field as the user sees it and says what is allowed, and Akool receives NOTHING (no create,
 * no read, no credit check). The per-item rules around it: Continue On Fail in
 * actions/router.test.ts, the spending guard in engine/runJobs.test.ts.
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

type Message = string | RegExp;

interface BadInput {
	name: string;
	parameters: IDataObject;
	items?: IDataObject[];
	/** Replaces the credential; `baseUrl` is filled in with the fake's unless given. */
	credential?: ICredentialDataDecryptedObject;
	/** The start of the message: names the field as the user sees it. */
	message: Message;
	/** What the description must say: the allowed values. */
	description: RegExp;
	/** The item the error is about, when it is not the first. */
	itemIndex?: number;
}

const field = (name: string) => new RegExp(`^Invalid "${name.replace(/[()]/g, '\\$&')}": `);

/** A bad value typed in a field: [case, the parameters that differ, message, description]. */
type Row = [name: string, overrides: IDataObject, message: Message, description: RegExp];
/** A bad value from the items, through an expression; the last column: the item the error is about, when not the first. */
type ItemRow = [name: string, overrides: IDataObject, items: IDataObject[], message: Message, description: RegExp, itemIndex?: number];
type CredentialRow = [name: string, parameters: IDataObject, credential: ICredentialDataDecryptedObject, message: Message, description: RegExp];
type Build = (overrides: IDataObject) => IDataObject;

const casesOf = (operation: string, build: Build, rows: Row[]): BadInput[] =>
	rows.map(([name, overrides, message, description]) => ({ name: `${operation}: ${name}`, parameters: build(overrides), message, description }));
const itemCasesOf = (operation: string, build: Build, rows: ItemRow[]): BadInput[] =>
	rows.map(([name, overrides, items, message, description, itemIndex]) => ({ name: `${operation}: ${name}`, parameters: build(overrides), items, message, description, itemIndex }));
const credentialCases = (rows: CredentialRow[]): BadInput[] =>
	rows.map(([name, parameters, credential, message, description]) => ({ name, parameters, credential, message, description }));

const badInputs: BadInput[] = [
	...casesOf('Generate', generateParameters, [
		['a prompt expression resolving to an empty text', { prompt: '={{ "" }}' }, 'Invalid "Prompt": it is empty', /"Prompt" must be a non-empty text/],
		['whitespace prompt', { prompt: ' \n\t ' }, 'Invalid "Prompt": it is empty', /"Prompt" must be a non-empty text/],
		['a prompt expression resolving to a number', { prompt: '={{ 42 }}' }, field('Prompt'), /"Prompt" must be a text/],
		['a prompt expression resolving to an object', { prompt: '={{ { a: 1 } }}' }, field('Prompt'), /"Prompt" must be a text/],
		['0 images', { numberOfImages: 0 }, 'Invalid "Number of Images": got number 0', /a whole number from 1 to 4/],
		['5 images', { numberOfImages: 5 }, 'Invalid "Number of Images": got number 5', /a whole number from 1 to 4/],
		['2.5 images', { numberOfImages: 2.5 }, 'Invalid "Number of Images": got number 2.5', /a whole number from 1 to 4/],
		['"two" images', { numberOfImages: 'two' }, 'Invalid "Number of Images": got "two"', /a whole number from 1 to 4/],
		['the Original ratio (image-to-image only)', { aspectRatio: 'Original' }, 'Invalid "Aspect Ratio": got "Original"', new RegExp(`must be one of ${TEXT_RATIOS}\\.$`)],
		['an unknown ratio', { aspectRatio: '5:4' }, 'Invalid "Aspect Ratio": got "5:4"', new RegExp(`must be one of ${TEXT_RATIOS}\\.$`)],
		['an unknown resolution', { resolution: '8k' }, 'Invalid "Resolution": got "8k"', /one of 1080p, 4k/],
		['a webhook URL that is not a URL', { options: { webhookUrl: 'my server' } }, 'Invalid "Webhook URL": got "my server"', /an http:\/\/ or https:\/\/ URL/],
		['an ftp:// webhook URL', { options: { webhookUrl: 'ftp://example.com/hook' } }, 'Invalid "Webhook URL": got "ftp://example.com/hook"', /an http:\/\/ or https:\/\/ URL/],
		['an unknown model', { options: { model: 'dall-e-3' } }, 'Invalid "Model": got "dall-e-3"', /one of auto, wavespeed-ai\/flux-krea-dev-lora/],
		['the image-to-image model', { options: { model: 'wavespeed-ai/flux-kontext-dev' } }, 'Invalid "Model": got "wavespeed-ai/flux-kontext-dev"', /one of auto, wavespeed-ai\/flux-krea-dev-lora\.$/],
		['Poll Interval 0.1 s', { options: { pollInterval: 0.1 } }, 'Invalid "Poll Interval (Seconds)": got number 0.1', /a number from 1 to 60/],
		['Poll Interval 61 s', { options: { pollInterval: 61 } }, 'Invalid "Poll Interval (Seconds)": got number 61', /a number from 1 to 60/],
		['Timeout 3 s', { options: { timeout: 3 } }, 'Invalid "Timeout (Seconds)": got number 3', /a number from 5 to 3600/],
		['Concurrency 0', { options: { concurrency: 0 } }, 'Invalid "Concurrency": got number 0', /a whole number from 1 to 20/],
		['Concurrency 21', { options: { concurrency: 21 } }, 'Invalid "Concurrency": got number 21', /a whole number from 1 to 20/],
		['Max Images per Run -1', { options: { maxImagesPerRun: -1 } }, 'Invalid "Max Images per Run": got number -1', /a whole number from 0\b/],
		['Request Timeout 1 s', { options: { requestTimeout: 1 } }, 'Invalid "Request Timeout (Seconds)": got number 1', /a number from 5 to 300/],
		['Max Image Size 0 MB', { options: { maxImageSizeMb: 0 } }, 'Invalid "Max Image Size (MB)": got number 0', /a number from 1 to 512/],
		['a blank Binary Property', { options: { binaryPropertyName: '  ' } }, 'Invalid "Binary Property": it is empty', /a non-empty text/],
	]),
	...itemCasesOf('Generate', generateParameters, [
		['a prompt expression resolving to blanks on the second item', { prompt: '={{ $json.p }}' }, [{ p: 'a cat' }, { p: '   ' }], 'Invalid "Prompt": it is empty', /"Prompt" must be a non-empty text/, 1],
		['a prompt expression resolving to a number from the item', { prompt: '={{ $json.p }}' }, [{ p: 7 }], 'Invalid "Prompt": got number 7', /"Prompt" must be a text/],
		['a prompt expression resolving to a missing field', { prompt: '={{ $json.p }}' }, [{ q: 'wrong field' }], field('Prompt'), /"Prompt" must be a non-empty text/],
		['Number of Images from the item is 9', { numberOfImages: '={{ $json.n }}' }, [{ n: 2 }, { n: 2 }, { n: 9 }], 'Invalid "Number of Images": got number 9', /a whole number from 1 to 4/, 2],
		['an aspect ratio from the item that Akool does not know', { aspectRatio: '={{ $json.ratio }}' }, [{ ratio: '21:9' }], 'Invalid "Aspect Ratio": got "21:9"', new RegExp(`one of ${TEXT_RATIOS}`)],
	]),
	...casesOf('Transform', transformParameters, [
		['similarity -0.1', { similarity: -0.1 }, 'Invalid "Similarity": got number -0.1', /a number from 0 to 1/],
		['similarity 1.5', { similarity: 1.5 }, 'Invalid "Similarity": got number 1.5', /a number from 0 to 1/],
		['an ftp:// source URL', { sourceImageUrl: 'ftp://example.com/photo.jpg' }, 'Invalid "Source Image URL": got "ftp://example.com/photo.jpg"', /an http:\/\/ or https:\/\/ URL/],
		['a source URL that is not a URL', { sourceImageUrl: 'photo.jpg' }, 'Invalid "Source Image URL": got "photo.jpg"', /an http:\/\/ or https:\/\/ URL/],
		['a whitespace prompt', { prompt: '   ' }, 'Invalid "Prompt": it is empty', /a non-empty text/],
		['5 images', { numberOfImages: 5 }, 'Invalid "Number of Images": got number 5', /a whole number from 1 to 4/],
		['an unknown ratio', { aspectRatio: 'square' }, 'Invalid "Aspect Ratio": got "square"', new RegExp(`one of Original, ${TEXT_RATIOS}`)],
		['the text-to-image model', { options: { model: 'wavespeed-ai/flux-krea-dev-lora' } }, 'Invalid "Model": got "wavespeed-ai/flux-krea-dev-lora"', /one of auto, wavespeed-ai\/flux-kontext-dev/],
	]),
	...itemCasesOf('Transform', transformParameters, [
		['a source URL expression resolving to an empty text', { sourceImageUrl: '={{ $json.url }}' }, [{ url: '' }], 'Invalid "Source Image URL": it is empty', /a non-empty text/],
		['a source URL from the item that is a data: URL', { sourceImageUrl: '={{ $json.url }}' }, [{ url: 'data:image/png;base64,iVBORw0KGgo=' }], field('Source Image URL'), /an http:\/\/ or https:\/\/ URL/],
		['similarity from the item is "high"', { similarity: '={{ $json.s }}' }, [{ s: 'high' }], 'Invalid "Similarity": got "high"', /a number from 0 to 1/],
	]),
	...casesOf('Get Result', getResultParameters, [
		['a job ID list of separators only', { jobIds: ' , ;, ' }, field('Job IDs'), /one or more job IDs/],
		['a malformed job ID', { jobIds: `${JOB_ID}, not/an id!` }, 'Invalid "Job IDs": got "not/an"', /job IDs as Akool returns them \(letters, digits, - and _\)/],
		['Poll Interval 61 s', { options: { pollInterval: 61 } }, 'Invalid "Poll Interval (Seconds)": got number 61', /a number from 1 to 60/],
		['Concurrency 21', { options: { concurrency: 21 } }, 'Invalid "Concurrency": got number 21', /a whole number from 1 to 20/],
	]),
	...itemCasesOf('Get Result', getResultParameters, [
		['a job ID list expression resolving to an empty text', { jobIds: '={{ $json.ids }}' }, [{ ids: '' }], field('Job IDs'), /one or more job IDs/],
		['job IDs from the item are an empty list', { jobIds: '={{ $json.ids }}' }, [{ ids: [] }], field('Job IDs'), /one or more job IDs/],
		['job IDs from the item hold a number', { jobIds: '={{ $json.ids }}' }, [{ ids: [JOB_ID, 42] }], 'Invalid "Job IDs": got number 42', /job IDs as Akool returns them/],
		['job IDs from the item are an object', { jobIds: '={{ $json.ids }}' }, [{ ids: { id: JOB_ID } }], 'Invalid "Job IDs": got an object', /one or more job IDs/],
	]),
	...casesOf('Upscale or Vary', upscaleParameters, [
		['an unknown button', { button: 'U5' }, 'Invalid "Button": got "U5"', /one of U1, U2, U3, U4, V1, V2, V3, V4/],
		['a malformed job ID', { jobId: 'https://akool.com/job/1' }, field('Job ID'), /job IDs as Akool returns them/],
		['a bad webhook URL', { options: { webhookUrl: 'javascript:alert(1)' } }, 'Invalid "Webhook URL": got "javascript:alert(1)"', /an http:\/\/ or https:\/\/ URL/],
		['Timeout 3 s', { options: { timeout: 3 } }, 'Invalid "Timeout (Seconds)": got number 3', /a number from 5 to 3600/],
		['Max Images per Run -1', { options: { maxImagesPerRun: -1 } }, 'Invalid "Max Images per Run": got number -1', /a whole number from 0\b/],
	]),
	...itemCasesOf('Upscale or Vary', upscaleParameters, [
		['a button from the item in lower case', { button: '={{ $json.b }}' }, [{ b: 'v2' }], 'Invalid "Button": got "v2"', /one of U1, U2, U3, U4, V1, V2, V3, V4/],
		['a job ID expression resolving to nothing', { jobId: '={{ $json.id }}' }, [{ other: JOB_ID }], field('Job ID'), /job ID/],
	]),
	// The credential
	...credentialCases([
		['Generate: a credential base URL that is not a URL', generateParameters(), { apiKey: API_KEY, baseUrl: 'openapi.akool.com' }, 'Invalid "Base URL" in the Akool credential: got "openapi.akool.com"', /"Base URL" must be an http:\/\/ or https:\/\/ URL/],
		['Get Credits: a credential base URL with another scheme', getCreditsParameters, { apiKey: API_KEY, baseUrl: 'ftp://openapi.akool.com' }, 'Invalid "Base URL" in the Akool credential: got "ftp://openapi.akool.com"', /"Base URL" must be an http:\/\/ or https:\/\/ URL/],
		['Get Credits: a blank API key', getCreditsParameters, { apiKey: '   ' }, /^The Akool credential has no API key/, /paste the API key/i],
		['Generate: no API key at all', generateParameters(), {}, /^The Akool credential has no API key/, /paste the API key/i],
		['Get Result: an empty API key', getResultParameters(), { apiKey: '' }, /^The Akool credential has no API key/, /paste the API key/i],
		['Upscale or Vary: a credential base URL that is not a URL', upscaleParameters(), { apiKey: API_KEY, baseUrl: 'http//127.0.0.1' }, /^Invalid "Base URL" in the Akool credential/, /"Base URL" must be an http:\/\/ or https:\/\/ URL/],
	]),
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
