/**
 * Node version 2: Model is a top-level field of Generate and Transform, with Custom Model ID,
 * Additional Body Fields and Meitu Yunxiu Pro; each model's body is built from the catalogue.
 */
import type { IDataObject } from 'n8n-workflow';

import { runAkool, useFakeAkool, type AkoolRunOptions } from '../../../../harness/akool';
import { MEITU_PEOPLE_TYPE } from '../../../../../nodes/Akool/models/meitu';

const fake = useFakeAkool();

const poll = { pollInterval: 1, timeout: 30 };

function generate(parameters: IDataObject = {}): IDataObject {
	return { resource: 'image', operation: 'generate', prompt: 'a lighthouse', resolution: '1080p', numberOfImages: 1, ...parameters, options: { ...poll, ...((parameters.options as object) ?? {}) } };
}

function transform(parameters: IDataObject = {}): IDataObject {
	return {
		resource: 'image',
		operation: 'transform',
		sourceImageUrl: fake().sampleSourceUrl('png').replace('127.0.0.1', 'localhost'),
		prompt: 'make it a watercolor',
		resolution: '1080p',
		numberOfImages: 1,
		...parameters,
		options: { ...poll, ...((parameters.options as object) ?? {}) },
	};
}

async function run(parameters: IDataObject, more: Partial<AkoolRunOptions> = {}) {
	return await runAkool(fake(), { parameters, typeVersion: 2, ...more });
}

const createBodies = () => fake().requests.filter((request) => request.kind === 'create').map((request) => request.body as Record<string, unknown>);

describe('Model (node version 2)', () => {
	it('Auto sends no model_name; a listed model sends its ID', async () => {
		await run(generate());
		await run(generate({ model: 'wavespeed-ai/flux-krea-dev-lora' }));
		expect(createBodies().map((body) => body.model_name)).toEqual([undefined, 'wavespeed-ai/flux-krea-dev-lora']);
	});

	it('Custom Model ID sends the typed ID', async () => {
		const { error } = await run(transform({ model: 'custom', customModelId: ' wavespeed-ai/flux-kontext-dev ' }));
		expect(error).toBeUndefined();
		expect(createBodies()[0].model_name).toBe('wavespeed-ai/flux-kontext-dev');
	});

	it('Custom Model ID must be filled', async () => {
		const { error } = await run(generate({ model: 'custom', customModelId: '={{ "" }}' }));
		expect(error?.message).toBe('Invalid "Custom Model ID": it is empty');
		expect(fake().count('create')).toBe(0);
	});

	it('refuses a model the operation does not offer, naming the ones it does', async () => {
		const { error } = await run(generate({ model: 'meitu/yunxiu-pro/image-to-image' }));
		expect((error as { description?: string }).description).toBe('"Model" must be one of auto, wavespeed-ai/flux-krea-dev-lora, custom.');
		expect(fake().count('create')).toBe(0);
	});
});

describe('Additional Body Fields (JSON)', () => {
	it('are merged into the create body', async () => {
		const { error } = await run(generate({ options: { additionalBodyFields: '{ "seed": 7, "style": { "tone": "warm" } }' } }));
		expect(error).toBeUndefined();
		expect(createBodies()[0]).toMatchObject({ prompt: 'a lighthouse', seed: 7, style: { tone: 'warm' } });
	});

	it.each([
		['bad JSON', '{ seed: 7 }', /must be valid JSON/],
		['a list', '[1, 2]', /must be a JSON object/],
		['a key the node sets', '{ "prompt": "other", "model_name": "x", "seed": 1 }', /without the keys the node sets itself \(prompt, model_name:/],
	])('refuses %s before any create', async (_, json, allowed) => {
		const { error } = await run(generate({ options: { additionalBodyFields: json } }));
		expect(error?.message).toMatch(/^Invalid "Additional Body Fields \(JSON\)"/);
		expect((error as { description?: string }).description).toMatch(allowed);
		expect(fake().count('create')).toBe(0);
	});
});

describe('Meitu Yunxiu Pro', () => {
	const meitu = (parameters: IDataObject = {}) => transform({ model: 'meitu/yunxiu-pro/image-to-image', prompt: undefined, ...parameters });

	it('sends parameter (the documented people_type, all_params) and no prompt; the job completes', async () => {
		const { output, error } = await run(meitu({ allParams: '{ "exposure": 10, "remove_pouch": [50, 50, 0, 50, 50] }' }));
		expect(error).toBeUndefined();
		const [body] = createBodies();
		expect(body.model_name).toBe('meitu/yunxiu-pro/image-to-image');
		expect(body.prompt).toBeUndefined();
		expect(body.parameter).toEqual({ people_type: MEITU_PEOPLE_TYPE, all_params: { exposure: 10, remove_pouch: [50, 50, 0, 50, 50] } });
		expect(output[0].json.status).toBe('completed');
	});

	it.each([
		['four people types', JSON.stringify(MEITU_PEOPLE_TYPE.slice(0, 4)), 'got 4 entries'],
		['the wrong order', JSON.stringify([MEITU_PEOPLE_TYPE[1], MEITU_PEOPLE_TYPE[0], ...MEITU_PEOPLE_TYPE.slice(2)]), 'entry 1 must have key "man", got "woman"'],
		['a bad gender', JSON.stringify([{ ...MEITU_PEOPLE_TYPE[0], gender: 2 }, ...MEITU_PEOPLE_TYPE.slice(1)]), '"man".gender must be 0 or 1'],
	])('refuses People Type with %s before any create', async (_, peopleType, problem) => {
		const { error } = await run(meitu({ peopleType }));
		expect(error?.message).toMatch(/^Invalid "People Type \(JSON\)"/);
		expect((error as { description?: string }).description).toContain(problem);
		expect(fake().count('create')).toBe(0);
	});

	it('refuses All Params that is not an object', async () => {
		const { error } = await run(meitu({ allParams: '"bright"' }));
		expect(error?.message).toMatch(/^Invalid "All Params \(JSON\)"/);
		expect(fake().count('create')).toBe(0);
	});

	it.each([
		['an IP-address URL', 'https://203.0.113.5/photo.jpg', /refuses IP-address URLs/],
		['a GIF', 'https://images.example.com/anim.gif', /the URL names a \.gif file/],
	])('refuses %s as source before any create', async (_, sourceImageUrl, allowed) => {
		const { error } = await run(meitu({ sourceImageUrl }));
		expect(error?.message).toMatch(/^Invalid "Source Image URL"/);
		expect((error as { description?: string }).description).toMatch(allowed);
		expect(fake().count('create')).toBe(0);
	});
});

describe('node version 1 still loads as it was', () => {
	it('reads Model from Options and sends the same body', async () => {
		const { error } = await runAkool(fake(), { parameters: generate({ options: { model: 'wavespeed-ai/flux-krea-dev-lora' } }) });
		expect(error).toBeUndefined();
		expect(createBodies()[0]).toEqual({
			prompt: 'a lighthouse',
			model_name: 'wavespeed-ai/flux-krea-dev-lora',
			scale: '1:1',
			resolution: '1080p',
			batch_quantity: 1,
		});
	});
});
