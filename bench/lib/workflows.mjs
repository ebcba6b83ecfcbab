// @ts-check
/**
 * The benchmark's workflows: the hand-built polling loop pointed at the fake, and the Akool node.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { akoolNode, akoolNodeParameters, projectRoot } from '../../scripts/e2e/n8n.mjs';
import { AKOOL_CRED, AKOOL_PUBLIC_BASE, HEADER_CRED, LOOP_WAIT_S, NODE_POLL_S, SCALE, SETTLE_S } from './settings.mjs';
import { round } from './util.mjs';

const PROMPTS_CODE = (/** @type {number} */ n) =>
	`return Array.from({ length: ${n} }, (_, i) => ({ json: { prompt: 'a watercolor lighthouse, variant ' + (i + 1) } }));`;

/**
 * The hand-built loop (bench/hand-built-loop.json, written for the real Akool, Wait 5 s) pointed at
 * the fake, with the Wait scaled.
 * @param {{ id: string, baseUrl: string }} o
 */
export async function loopWorkflow({ id, baseUrl }) {
	const [wf] = JSON.parse(await fsp.readFile(path.join(projectRoot, 'bench', 'hand-built-loop.json'), 'utf8'));
	wf.id = id;
	for (const node of wf.nodes) {
		const p = node.parameters;
		if (typeof p.url === 'string' && p.url.startsWith(AKOOL_PUBLIC_BASE)) p.url = baseUrl + p.url.slice(AKOOL_PUBLIC_BASE.length);
		if (node.type === 'n8n-nodes-base.wait') p.amount = round(LOOP_WAIT_S * SCALE, 2);
		if (node.credentials?.httpHeaderAuth) node.credentials.httpHeaderAuth = { ...HEADER_CRED };
	}
	// Settle between the trigger and what it started
	const trigger = wf.nodes.find((/** @type {any} */ node) => node.type === 'n8n-nodes-base.manualTrigger');
	const settle = settleNode(SETTLE_S, [trigger.position[0] + 110, trigger.position[1] + 120]);
	wf.nodes.push(settle);
	wf.connections[settle.name] = wf.connections[trigger.name];
	wf.connections[trigger.name] = { main: [[{ node: settle.name, type: 'main', index: 0 }]] };
	return wf;
}

/**
 * A Wait of `seconds` of real time: see SETTLE_S.
 * @param {number} seconds @param {[number, number]} position
 */
function settleNode(seconds, position) {
	return {
		id: 'b0',
		name: 'Settle',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position,
		webhookId: '5f1c1b2e-0000-4000-8000-00000000be02',
		parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
	};
}

/**
 * The Akool node with its defaults (Wait for Completion and Download Image on, Concurrency 5), only
 * the Poll Interval scaled. W1 gets its prompts from the same Code node as the loop; W2 from Set +
 * Split Out, so that no Code task runner (a child process) sits in the RSS measurement.
 * W2's Settle wait is longer, so that n8n's own start-up growth is over when the idle RSS is taken,
 * just before the Akool node starts. With `waitMode: 'callback'`
 * the node waits by callback (issue 7) instead of polling, everything else the same; `options` are
 * Run options beside the Poll Interval (the load part's spending guard and timeout).
 * @param {{ id: string, name: string, work: typeof import('./settings.mjs').W1, source: 'code' | 'set', downloadImage?: boolean, settleS?: number, waitMode?: 'poll' | 'callback', options?: Record<string, number> }} o
 */
export function nodeWorkflow({ id, name, work, source, downloadImage = true, settleS = SETTLE_S, waitMode = 'poll', options = {} }) {
	const start = { id: 'b1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const settle = [settleNode(settleS, [110, 0])];
	const prompts = Array.from({ length: work.items }, (_, i) => ({ prompt: `a watercolor lighthouse, variant ${i + 1}` }));
	const sourceNodes =
		source === 'code'
			? [{ id: 'b2', name: 'Prompts', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: PROMPTS_CODE(work.items) } }]
			: [
					{
						id: 'b2',
						name: 'Prompts',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.5,
						position: [220, 0],
						parameters: {
							mode: 'manual',
							assignments: { assignments: [{ id: 'p1', name: 'prompts', type: 'array', value: `={{ ${JSON.stringify(prompts)} }}` }] },
							options: {},
						},
					},
					{ id: 'b3', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0], parameters: { fieldToSplitOut: 'prompts', options: {} } },
				];
	const parameters = akoolNodeParameters({
		aspectRatio: work.ratio,
		resolution: work.resolution,
		numberOfImages: work.images,
		waitMode: waitMode === 'callback' ? waitMode : undefined,
		downloadImage,
		options: { pollInterval: round(NODE_POLL_S * SCALE, 2), ...options },
	});
	const akool = akoolNode({ id: 'b9', position: [660, 0], parameters, credential: AKOOL_CRED });
	const chain = [start, ...settle, ...sourceNodes, akool];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i < chain.length - 1; i++) connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, nodes: chain, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}
