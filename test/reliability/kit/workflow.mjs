// @ts-check
/**
 * The workflow of a row, Start → Items → Akool, in n8n-core's real engine with the BUILT node (dist/)
 * loaded as n8n loads an installed community package. The Akool node is the scripts' one Akool node
 * of a workflow's JSON (scripts/e2e/akool-params.mjs).
 *
 * Import this only after N8N_USER_FOLDER and N8N_LOG_LEVEL are set (run.mjs does): it loads n8n-core.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { AKOOL_CREDENTIAL_TYPE, AKOOL_NODE_TYPE, akoolNode } from '../../../scripts/e2e/akool-params.mjs';
import { captureLogs } from './logs.mjs';

const require = createRequire(import.meta.url);
/** @type {any} */
export const engine = require('../../harness/engine.js');

/** @typedef {import('./types.mjs').Obj} Obj @typedef {import('./types.mjs').Files} Files */

const ITEMS_TYPE = 'test.items';
/** The package root: three folders up from this file. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** @typedef {{ nodeType: any, credentialType: any, triggerType: any }} BuiltNode the Akool node's, the credential's and the Akool Trigger's types, as n8n loaded them */

/** @type {BuiltNode | undefined} */
let built;

/** Loads the BUILT package (dist/) once, as n8n loads an installed community package. */
export async function loadNode() {
	if (!built) {
		captureLogs();
		const loader = await engine.loadBuiltPackage(PACKAGE_ROOT);
		built = { nodeType: loader.getNode('akool').type, credentialType: loader.getCredential('akoolApi').type, triggerType: loader.getNode('akoolTrigger').type };
	}
	return built;
}

/** @param {string} name @param {string} type @param {Obj} parameters @param {number} x */
function node(name, type, parameters, x) {
	return { id: name, name, type, typeVersion: 1, position: [x * 200, 0], parameters };
}

/**
 * @typedef {object} RowWorkflow
 * @property {Obj} params the Akool node's parameters
 * @property {Obj[]} items @property {Files} files
 * @property {Obj} credential the credential's data
 * @property {boolean} [cof] Continue On Fail
 * @property {number} [typeVersion] the Akool node's version (default 1)
 * @property {string} [instanceBaseUrl]
 */

/**
 * Starts Start → Items → Akool. n8n's own checks (e.g. a required parameter left empty) throw before
 * any node runs: that becomes the execution's outcome.
 * @param {BuiltNode} builtNode what loadNode gave @param {RowWorkflow} workflow
 * @returns {{ promise: Promise<any>, cancel: () => void }}
 */
export function startRowWorkflow({ nodeType, credentialType }, { params, items, files, credential, cof, typeVersion, instanceBaseUrl }) {
	const akool = akoolNode({
		id: 'Akool',
		position: [400, 0],
		parameters: params,
		credential: { id: 'cred-reliability', name: 'Akool account' },
		...(cof ? { onError: 'continueRegularOutput' } : {}),
		...(typeVersion ? { typeVersion } : {}),
	});
	try {
		return engine.startWorkflow({
			nodeTypes: { [AKOOL_NODE_TYPE]: nodeType, [ITEMS_TYPE]: new engine.ItemsSource() },
			nodes: [
				node('Start', engine.TRIGGER_TYPE, {}, 0),
				node('Items', ITEMS_TYPE, { items: JSON.stringify(items), files: JSON.stringify(files) }, 1),
				akool,
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Akool', type: 'main', index: 0 }]] },
			},
			credentialTypes: { [AKOOL_CREDENTIAL_TYPE]: credentialType },
			credentials: { [AKOOL_CREDENTIAL_TYPE]: credential },
			instanceBaseUrl,
		});
	} catch (error) {
		return { promise: Promise.reject(error), cancel: () => {} };
	}
}

/** The Akool node's output items of a finished run. @param {any} run @returns {any[]} */
export const akoolOutput = (run) => engine.outputOf(run, 'Akool');
