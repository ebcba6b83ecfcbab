// @ts-check
/**
 * The four workflows the queue suite imports and publishes, each started by a production webhook
 * (served by the webhook process). Every Akool node comes from scripts/e2e/akool-params.mjs.
 */
import { randomUUID } from 'node:crypto';

import { akoolNode, akoolNodeParameters } from '../../../scripts/e2e/n8n.mjs';
import { CRED, IMAGES_PER_PROMPT, PATHS, SIZE_IMAGES_PER_ITEM, WF } from './settings.mjs';

/** The nodes named, each feeding the next on its main output. @param {string[]} names */
function chain(...names) {
	/** @type {Record<string, { main: { node: string, type: 'main', index: number }[][] }>} */
	const connections = {};
	for (let i = 1; i < names.length; i++) connections[names[i - 1]] = { main: [[{ node: names[i], type: 'main', index: 0 }]] };
	return connections;
}

/**
 * One of n8n's own nodes.
 * @param {string} id @param {string} name @param {string} type @param {number} typeVersion @param {[number, number]} position @param {Record<string, unknown>} parameters
 */
const n8nNode = (id, name, type, typeVersion, position, parameters) => ({ id, name, type, typeVersion, position, parameters });

/**
 * A workflow: a POST Webhook on `webhookPath` answering when the last node is done (`lastNode`, all
 * its items) or at once (`onReceived`), then `rest`, chained in order.
 * @param {string} id @param {string} name @param {string} webhookPath @param {'lastNode' | 'onReceived'} responseMode @param {any[]} rest
 */
function webhookWorkflow(id, name, webhookPath, responseMode, rest) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{
				id: `${id}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode,
					...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
					options: {},
				},
			},
			...rest,
		],
		connections: chain('Webhook', ...rest.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Poll every second: the fake's jobs take seconds. */
const options = { pollInterval: 1 };

export const workflows = [
	// Webhook (body.prompts: 5 objects) → Split Out → Akool Generate (2 images each, 1080p) → respond (last node)
	webhookWorkflow(WF.load, 'queue e2e: 5 prompts × 2 images', PATHS.load, 'lastNode', [
		n8nNode(`${WF.load}-split`, 'Prompts', 'n8n-nodes-base.splitOut', 1, [220, 0], { fieldToSplitOut: 'body.prompts', options: {} }),
		akoolNode({
			id: `${WF.load}-akool`,
			name: 'Akool Generate',
			position: [440, 0],
			parameters: akoolNodeParameters({ numberOfImages: IMAGES_PER_PROMPT, options }),
			credential: CRED,
		}),
	]),
	// Webhook (body.jobIds: "id, id, ...") → Akool Get Result (waits, downloads) → respond
	webhookWorkflow(WF.getResult, 'queue e2e: get result of paid jobs', PATHS.getResult, 'lastNode', [
		akoolNode({
			id: `${WF.getResult}-akool`,
			name: 'Akool Get Result',
			parameters: akoolNodeParameters({ operation: 'getResult', jobIds: '={{ $json.body.jobIds }}', options }),
			credential: CRED,
		}),
	]),
	// Webhook (answers at once) → Akool Generate, Wait Mode Callback → After
	webhookWorkflow(WF.callback, 'queue e2e: wait by callback', PATHS.callback, 'onReceived', [
		akoolNode({
			id: `${WF.callback}-akool`,
			name: 'Akool Callback',
			parameters: akoolNodeParameters({ prompt: '={{ $json.body.prompt }}', numberOfImages: IMAGES_PER_PROMPT, waitMode: 'callback', options }),
			credential: CRED,
		}),
		n8nNode(`${WF.callback}-after`, 'After', 'n8n-nodes-base.noOp', 1, [440, 0], {}),
	]),
	// Webhook (body.prompts, answers at once) → Split Out → Akool Generate (4 images each), Wait Mode Callback → After
	webhookWorkflow(WF.callbackSize, 'queue e2e: callbacks at size', PATHS.callbackSize, 'onReceived', [
		n8nNode(`${WF.callbackSize}-split`, 'Prompts', 'n8n-nodes-base.splitOut', 1, [220, 0], { fieldToSplitOut: 'body.prompts', options: {} }),
		akoolNode({
			id: `${WF.callbackSize}-akool`,
			name: 'Akool Callback',
			position: [440, 0],
			parameters: akoolNodeParameters({ numberOfImages: SIZE_IMAGES_PER_ITEM, waitMode: 'callback', options: { ...options, maxImagesPerRun: 0 } }),
			credential: CRED,
		}),
		n8nNode(`${WF.callbackSize}-after`, 'After', 'n8n-nodes-base.noOp', 1, [660, 0], {}),
	]),
	// Webhook (body.png: base64, body.prompt) → Code (the PNG as an inline binary, made on the worker)
	// → Akool Transform from that binary (the node stores it on the worker, n8n signs it) → respond
	webhookWorkflow(WF.binary, 'queue e2e: binary source', PATHS.binary, 'lastNode', [
		n8nNode(`${WF.binary}-code`, 'Inline PNG', 'n8n-nodes-base.code', 2, [220, 0], {
			jsCode: "const { png, prompt } = $input.first().json.body;\nreturn [{ json: { prompt }, binary: { data: { data: png, mimeType: 'image/png', fileName: 'source.png', fileExtension: 'png' } } }];",
		}),
		akoolNode({
			id: `${WF.binary}-akool`,
			name: 'Akool Transform',
			position: [440, 0],
			parameters: akoolNodeParameters({ operation: 'transform', sourceImage: 'binaryData', sourceBinaryProperty: 'data', options }),
			credential: CRED,
		}),
	]),
];
