// @ts-check
/**
 * Runs workflows through n8n's REAL execution engine: n8n-workflow's `Workflow` and n8n-core's
 * `WorkflowExecute`, with a stand-in manual trigger and a credentials helper that applies a
 * credential's `authenticate` the way n8n's own CLI does. Nothing of the node context is mocked.
 * Plain JS (with types checked) so that the jest tests, the demo and the benchmark share it.
 */
const { NodeHelpers, Workflow } = require('n8n-workflow');
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ManualTrigger, ItemsSource, TRIGGER_TYPE } = require('./testNodes');
const { TestCredentialsHelper } = require('./credentialsHelper');

/** @typedef {import('./testNodes').TestFile} TestFile a file of an input item */

/** @typedef {import('n8n-workflow').INodeTypes} INodeTypes */

/** @implements {INodeTypes} */
class TestNodeTypes {
	/** @param {Record<string, import('n8n-workflow').INodeType>} types */
	constructor(types) {
		this.types = types;
	}

	/** @param {string} type */
	getByName(type) {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	}

	/** @param {string} type @param {number} [version] */
	getByNameAndVersion(type, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * @typedef {object} RunOptions
 * @property {Record<string, import('n8n-workflow').INodeType>} nodeTypes
 * @property {import('n8n-workflow').INode[]} nodes the first node is the start node
 * @property {import('n8n-workflow').IConnections} connections
 * @property {Record<string, import('n8n-workflow').ICredentialType>} [credentialTypes]
 * @property {Record<string, import('n8n-workflow').ICredentialDataDecryptedObject>} [credentials]
 * @property {string} [instanceBaseUrl] n8n's address as the nodes see it (its REST API is under /rest)
 */

/**
 * The Workflow n8n builds from a saved workflow (the manual trigger is among its node types): what
 * an execution runs, and what a webhook() call is given.
 * @param {Pick<RunOptions, 'nodeTypes' | 'nodes' | 'connections'>} options
 */
function testWorkflow(options) {
	return new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes: new TestNodeTypes({ [TRIGGER_TYPE]: new ManualTrigger(), ...options.nodeTypes }),
		settings: { executionOrder: 'v1' },
	});
}

/**
 * Starts a workflow; `cancel()` cancels the execution as n8n does (the nodes' cancel signal fires).
 * @param {RunOptions} options
 */
function startWorkflow(options) {
	const workflow = testWorkflow(options);
	const workflowData = /** @type {import('n8n-workflow').IWorkflowBase} */ ({
		id: 'test-workflow',
		name: 'test',
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	const base = options.instanceBaseUrl ?? 'http://127.0.0.1:5678';
	const credentialsHelper = new TestCredentialsHelper(options.credentialTypes ?? {}, options.credentials ?? {});
	const additionalData = /** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */ (
		/** @type {unknown} */ ({
			hooks,
			credentialsHelper,
			executeWorkflow: async () => {
				throw new Error('sub-workflows are not supported in tests');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${base}/rest`,
			instanceBaseUrl: `${base}/`,
			formBaseUrl: `${base}/form`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			formTestBaseUrl: `${base}/form-test`,
			webhookBaseUrl: `${base}/webhook`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			mcpBaseUrl: `${base}/mcp`,
			mcpTestBaseUrl: `${base}/mcp-test`,
			variables: {},
			logAiEvent: () => {},
			startRunnerTask: async () => {
				throw new Error('task runners are not supported in tests');
			},
		})
	);
	const start = workflow.getNode(options.nodes[0].name);
	if (!start) throw new Error('start node not found');
	const execution = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: start });
	return {
		promise: /** @type {Promise<import('n8n-workflow').IRun>} */ (execution),
		cancel: () => execution.cancel(),
		credentialsHelper,
	};
}

/** @param {RunOptions} options */
async function runWorkflow(options) {
	return await startWorkflow(options).promise;
}

/**
 * The items a node output in its (first) run.
 * @param {import('n8n-workflow').IRun} run
 * @param {string} nodeName
 */
function outputOf(run, nodeName) {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/**
 * Loads the BUILT package the way n8n loads an installed community package.
 * @param {string} packageRoot
 */
async function loadBuiltPackage(packageRoot) {
	const { PackageDirectoryLoader } = require('n8n-core');
	const loader = new PackageDirectoryLoader(packageRoot);
	await loader.loadAll();
	return loader;
}

// The stand-in nodes and the credentials helper are re-exported: the tests, the demo, the benchmark
// and the matrix know the engine by this one module.
module.exports = {
	ManualTrigger,
	ItemsSource,
	TestCredentialsHelper,
	TRIGGER_TYPE,
	testWorkflow,
	startWorkflow,
	runWorkflow,
	outputOf,
	loadBuiltPackage,
};
