// @ts-check
/**
 * Workflow JSON files (test/e2e/workflows/, examples/) read for a suite and imported into its n8n.
 * They name the Akool nodes as an npm install registers them (`<package name>.akool`, `.akoolTool`,
 * `.akoolTrigger`); `asLoaded` turns that into the type this install gets (AKOOL_NODE_TYPE).
 */
import { existsSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { AKOOL_NODE_TYPE, importWorkflow, n8n, projectRoot } from '../../../scripts/e2e/n8n.mjs';

/**
 * A workflow as n8n imports it, and the file it came from (`__file`, relative to the project).
 * @typedef {{ id: string, name: string, nodes: any[], connections: any, __file?: string, [k: string]: any }} WorkflowJson
 */

export const workflowsDir = path.join(projectRoot, 'test', 'e2e', 'workflows');

/** The package's name: the first part of its node types as npm installs register them. */
const { name: PACKAGE_NAME } = /** @type {{ name: string }} */ (createRequire(import.meta.url)('../../../package.json'));

/**
 * The workflow with its Akool nodes' types as this install registers them: `<package name>.<node>`
 * becomes AKOOL_NODE_TYPE's prefix + `<node>` (`CUSTOM.` for a custom extension). The only place the
 * type is rewritten: once AKOOL_NODE_TYPE is the npm layout (#15), delete this function and its one
 * call in readWorkflows.
 * @param {WorkflowJson} workflow @returns {WorkflowJson}
 */
export function asLoaded(workflow) {
	const npmPrefix = `${PACKAGE_NAME}.`;
	const installedPrefix = AKOOL_NODE_TYPE.slice(0, AKOOL_NODE_TYPE.lastIndexOf('.') + 1);
	const nodes = workflow.nodes.map((node) =>
		typeof node.type === 'string' && node.type.startsWith(npmPrefix) ? { ...node, type: installedPrefix + node.type.slice(npmPrefix.length) } : node,
	);
	return { ...workflow, nodes };
}

/** The workflows in one JSON file (one, or an array of them), as loaded. @param {string} file @returns {Promise<WorkflowJson[]>} */
export async function readWorkflows(file) {
	const parsed = JSON.parse(await fsp.readFile(file, 'utf8'));
	return (Array.isArray(parsed) ? parsed : [parsed])
		.filter((wf) => wf && Array.isArray(wf.nodes))
		.map((wf) => ({ ...asLoaded(wf), __file: path.relative(projectRoot, file) }));
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
