// @ts-check
/**
 * Workflow JSON files (test/e2e/workflows/, examples/) read for a suite and imported into its n8n.
 * They name the Akool nodes as n8n registers the installed package (`n8n-nodes-akool.akool`, `.akoolTool`,
 * `.akoolTrigger`), as the examples users import do.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';

import { importWorkflow, n8n, projectRoot } from '../../../scripts/e2e/n8n.mjs';

/**
 * A workflow as n8n imports it, and the file it came from (`__file`, relative to the project).
 * @typedef {{ id: string, name: string, nodes: any[], connections: any, __file?: string, [k: string]: any }} WorkflowJson
 */

export const workflowsDir = path.join(projectRoot, 'test', 'e2e', 'workflows');

/** The workflows in one JSON file (one, or an array of them), as loaded. @param {string} file @returns {Promise<WorkflowJson[]>} */
export async function readWorkflows(file) {
	const parsed = JSON.parse(await fsp.readFile(file, 'utf8'));
	return (Array.isArray(parsed) ? parsed : [parsed])
		.filter((wf) => wf && Array.isArray(wf.nodes))
		.map((wf) => ({ ...wf, __file: path.relative(projectRoot, file) }));
}

/** The workflows of every JSON file in a folder (none if it does not exist), by file name. @param {string} dir */
export async function loadWorkflows(dir) {
	if (!existsSync(dir)) return [];
	const files = (await fsp.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
	return (await Promise.all(files.map((f) => readWorkflows(path.join(dir, f))))).flat();
}

/** Imports the workflows into the instance of `env`. @param {import('../../../scripts/e2e/n8n.mjs').N8nEnv} env @param {WorkflowJson[]} workflows */
export async function importWorkflows(env, workflows) {
	await importWorkflow(env, workflows.map(({ __file, ...wf }) => wf));
}

/** Publishes the workflows (their triggers listen once `n8n start` runs). @param {import('../../../scripts/e2e/n8n.mjs').N8nEnv} env @param {string[]} ids */
export async function publishWorkflows(env, ids) {
	await Promise.all(ids.map((id) => n8n(env, ['publish:workflow', `--id=${id}`])));
}
