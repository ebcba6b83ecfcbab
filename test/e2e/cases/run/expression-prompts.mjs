// @ts-check
/** Prompt and aspect ratio from expressions over three items (test/e2e/workflows/expression-prompts.json). */
import assert from 'node:assert/strict';

import { nodeItems } from '../../../../scripts/e2e/n8n.mjs';
import { expectImageItem, expectItems, pairedIndex } from '../../lib/expect.mjs';

/** @type {import('../../lib/workflow-cases.mjs').WorkflowCase} */
export default {
	name: 'Prompt and ratio from expressions over 3 items, pairedItem intact',
	workflow: 'akoolE2ePrompts1',
	check: async (r, ctx) => {
		const input = expectItems(r, 'Prompts', 3);
		const items = expectItems(r, 'Generate from prompts', 3, 'one image per input item');
		items.forEach((it, i) => {
			expectImageItem(it, { prompt: `A photo of ${input[i].json.subject}`, binary: false });
			assert.equal(pairedIndex(it), i, `pairedItem of item ${i}`);
		});
		// the aspect ratio came from an expression per item: check what Akool was sent
		const reqs = await ctx.fake.requests();
		const sent = input.map((inp) => {
			const q = reqs.find((x) => x.kind === 'create' && x.body?.prompt === `A photo of ${inp.json.subject}`);
			return q?.body?.scale;
		});
		assert.deepEqual(sent, input.map((inp) => inp.json.ratio), 'scale sent per item');
		// n8n itself follows pairedItem back through the Akool node: $('Prompts').item
		const tagged = nodeItems(r, 'Tag');
		assert.deepEqual(
			tagged.map((t) => t.json.tag),
			['tag-1', 'tag-2', 'tag-3'],
		);
		assert.deepEqual(
			tagged.map((t) => t.json.jobId),
			items.map((t) => t.json.jobId),
		);
	},
};
