// @ts-check
/**
 * examples/*.json as a user imports them, on a suite's instance: written for a user's own credentials
 * and public images, they get ours and the fake's samples.
 */
import path from 'node:path';

import { AKOOL_CREDENTIAL_TYPE, projectRoot } from '../../../scripts/e2e/n8n.mjs';
import { sampleSourceUrl } from './fake-akool.mjs';

/** @typedef {import('./workflows.mjs').WorkflowJson} WorkflowJson */

export const examplesDir = process.env.AKOOL_E2E_EXAMPLES_DIR || path.join(projectRoot, 'examples');

// A public image URL in an example (a user's source image): http(s), not loopback, ending in an image
// file name. Matched in the workflow's JSON text, so it stops at a quote or a backslash.
const PUBLIC_IMAGE_URL = /https?:\/\/(?!127\.|localhost[:/]|\[::1\])[^\s"'`\\<>]+?\.(jpe?g|png|webp)(?=[?#"'`\s\\]|$)/gi;

/**
 * The example's public source images (right for users) become the fake's samples of the same type:
 * the fake, like Akool, downloads every source, but only from loopback.
 * @param {WorkflowJson['nodes']} nodes @param {string} fakeBaseUrl
 */
function loopbackSources(nodes, fakeBaseUrl) {
	const text = JSON.stringify(nodes).replace(PUBLIC_IMAGE_URL, (_url, /** @type {string} */ ext) =>
		sampleSourceUrl(fakeBaseUrl, ext.toLowerCase() === 'png' ? 'png' : 'jpeg'),
	);
	return JSON.parse(text);
}

/**
 * The example on this instance: every Akool credential is `akool`, every OpenAI one `openAi`, every
 * public source image a sample of the fake; the id given (where it has none), inactive.
 * @param {WorkflowJson} wf @param {{ id: string, fakeBaseUrl: string, akool: { id: string, name: string }, openAi?: { id: string, name: string } }} o
 * @returns {WorkflowJson}
 */
export function asExample(wf, { id, fakeBaseUrl, akool, openAi }) {
	const nodes = loopbackSources(wf.nodes, fakeBaseUrl);
	for (const node of nodes) {
		if (node.credentials?.[AKOOL_CREDENTIAL_TYPE]) node.credentials[AKOOL_CREDENTIAL_TYPE] = { ...akool };
		if (openAi && node.credentials?.openAiApi) node.credentials.openAiApi = { ...openAi };
	}
	return { ...wf, id: wf.id || id, nodes, active: false };
}
