// @ts-check
/**
 * examples/*.json started by a Manual Trigger, as a user imports them: each runs to success, every
 * Akool node in it ran, and the files it writes are PNGs. (An example started by a form or a webhook
 * runs in test/e2e/binary.mjs, on `n8n start`.)
 */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { AKOOL_NODE_TYPE, nodeItems } from '../../../../scripts/e2e/n8n.mjs';
import { asExample, examplesDir } from '../../lib/examples.mjs';
import { expectPng, expectSourcesFetched } from '../../lib/expect.mjs';
import { loadWorkflows } from '../../lib/workflows.mjs';
import { GOOD_CRED, OPENAI_CRED } from './credentials.mjs';

/** @typedef {import('../../lib/workflows.mjs').WorkflowJson} WorkflowJson */

/** The examples `n8n execute` can start, on this instance. @param {string} fakeBaseUrl @returns {Promise<WorkflowJson[]>} */
export async function manualExamples(fakeBaseUrl) {
	return (await loadWorkflows(examplesDir))
		.filter((w) => w.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger'))
		.map((w, i) => asExample(w, { id: `akoolE2eExample${i}`.slice(0, 16), fakeBaseUrl, akool: GOOD_CRED, openAi: OPENAI_CRED }));
}

/** @param {WorkflowJson} wf @returns {import('../../lib/workflow-cases.mjs').WorkflowCase} */
export const exampleCase = (wf) => ({
	name: `Example ${wf.__file}: "${wf.name}" runs to success`,
	workflow: wf.id,
	check: async (r, ctx) => {
		const akoolNodes = wf.nodes.filter((n) => n.type === AKOOL_NODE_TYPE || n.type === `${AKOOL_NODE_TYPE}Tool`);
		assert.ok(akoolNodes.length > 0, 'the example uses the Akool node');
		for (const n of akoolNodes) {
			assert.ok(r.runData[n.name]?.length, `Akool node "${n.name}" ran`);
			if (n.parameters?.operation === 'transform' && n.parameters?.sourceImage !== 'binaryData') expectSourcesFetched(ctx, nodeItems(r, n.name));
		}
		// files written by "Read/Write Files from Disk" land under ~/.n8n-files (n8n 2.x restriction)
		for (const n of wf.nodes.filter((x) => x.type === 'n8n-nodes-base.readWriteFile' && x.parameters?.operation === 'write')) {
			const written = nodeItems(r, n.name);
			assert.ok(written.length > 0, `"${n.name}" wrote files`);
			for (const it of written) {
				const file = String(it.json.fileName ?? '');
				const abs = path.isAbsolute(file) ? file : path.join(String(ctx.filesDir), file);
				expectPng(await fsp.readFile(abs), `${file} is a PNG`);
			}
		}
	},
});
