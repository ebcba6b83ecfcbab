// @ts-check
/**
 * Cases on the models workflow (test/e2e/workflows/models.json, node version 2): Meitu Yunxiu Pro,
 * and a Custom Model ID with Additional Body Fields.
 */
import assert from 'node:assert/strict';

import { expectImageItem, expectItems } from '../../lib/expect.mjs';
import { sampleAt } from '../../lib/fake-akool.mjs';

/** @typedef {import('../../lib/workflow-cases.mjs').WorkflowCase} WorkflowCase */

const workflow = 'akoolE2eModels01';

/** @type {WorkflowCase} */
export const meitu = {
	name: 'Node version 2, Meitu Yunxiu Pro: parameter (the documented people_type) and no prompt; the source fetched; the image out',
	workflow,
	check: async (r, ctx) => {
		const items = expectItems(r, 'Meitu', 1);
		expectImageItem(items[0], { prompt: null });
		// Meitu refuses IP-address URLs: the workflow names the fake's sample on localhost
		const fetched = ctx.sourceFetches.find((f) => f.jobId === items[0].json.jobId);
		assert.equal(fetched?.state, 'ok', `the source was fetched: ${fetched?.error}`);
		const sample = sampleAt(ctx.fake.baseUrl, String(fetched?.url).replace('//localhost:', '//127.0.0.1:'));
		assert.equal(fetched?.sha256, sample?.sha256, `the sample's bytes, from ${fetched?.url}`);
		const create = (await ctx.fake.requests()).find((q) => q.kind === 'create' && q.body?.model_name === 'meitu/yunxiu-pro/image-to-image');
		assert.ok(create, 'a Meitu create was sent');
		assert.equal(create.body.prompt, undefined, 'no prompt');
		assert.equal(create.body.parameter.people_type.length, 5, 'the five documented people types');
		assert.deepEqual(create.body.parameter.all_params, { exposure: 20, remove_pouch: [50, 50, 0, 50, 50] });
	},
};

/** @type {WorkflowCase} */
export const customModel = {
	name: 'Node version 2, Custom Model ID and Additional Body Fields: the typed model_name and the extra field reach Akool',
	workflow,
	check: async (r, ctx) => {
		const items = expectItems(r, 'Custom model', 1);
		expectImageItem(items[0], { prompt: 'a paper boat on a pond' });
		const create = (await ctx.fake.requests()).find((q) => q.kind === 'create' && q.body?.prompt === 'a paper boat on a pond');
		assert.equal(create?.body?.model_name, 'wavespeed-ai/flux-krea-dev-lora');
		assert.equal(create?.body?.seed, 42);
	},
};
