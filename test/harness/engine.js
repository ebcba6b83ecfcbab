// @ts-check
/**
 * Runs workflows through n8n's REAL execution engine: n8n-workflow's `Workflow` and n8n-core's
 * `WorkflowExecute`, with a stand-in manual trigger and a credentials helper that applies a
 * credential's `authenticate` the way n8n's own CLI does. Nothing of the node context is mocked.
 * Plain JS (with types checked) so that the jest tests, the demo and the benchmark share it.
 */
const { ICredentialsHelper, NodeConnectionTypes, NodeHelpers, Workflow, isExpression } = require('n8n-workflow');
const { Credentials, ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');

const TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** Stand-in for n8n-nodes-base.manualTrigger: same `trigger()` contract, one empty item. */
class ManualTrigger {
	constructor() {
		/** @type {import('n8n-workflow').INodeTypeDescription} */
		this.description = {
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Starts the workflow',
			defaults: { name: 'Start' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		};
	}

	/** @this {import('n8n-workflow').ITriggerFunctions} */
	async trigger() {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/**
 * @typedef {object} TestFile a file of an input item
 * @property {string} base64
 * @property {string} [mimeType]
 * @property {string} [fileName]
 * @property {boolean} [inline] kept in the item as base64 (as a Code node makes it), not stored by n8n
 */

/**
 * Emits the items given in its `items` parameter (JSON), like a Code node returning them, with the
 * files of its `files` parameter (JSON, one `{ property: TestFile }` per item) as their binary data.
 */
class ItemsSource {
	constructor() {
		/** @type {import('n8n-workflow').INodeTypeDescription} */
		this.description = {
			displayName: 'Items',
			name: 'items',
			group: ['transform'],
			version: 1,
			description: 'Outputs fixed items',
			defaults: { name: 'Items' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
				{ displayName: 'Files', name: 'files', type: 'json', default: '[]' },
			],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		/** @param {string} name */
		const json = (name) => {
			const raw = this.getNodeParameter(name, 0, '[]');
			return typeof raw === 'string' ? JSON.parse(raw) : raw;
		};
		/** @type {import('n8n-workflow').IDataObject[]} */
		const items = json('items');
		/** @type {Array<Record<string, TestFile> | undefined>} */
		const files = json('files');
		return [
			await Promise.all(
				items.map(async (item, index) => {
					const binary = await binaryOf(this, files[index]);
					return binary ? { json: item, binary } : { json: item };
				}),
			),
		];
	}
}

/**
 * @param {import('n8n-workflow').IExecuteFunctions} ctx
 * @param {Record<string, TestFile> | undefined} files
 * @returns {Promise<import('n8n-workflow').IBinaryKeyData | undefined>}
 */
async function binaryOf(ctx, files) {
	if (!files) return undefined;
	/** @type {import('n8n-workflow').IBinaryKeyData} */
	const binary = {};
	for (const [property, file] of Object.entries(files)) {
		const mimeType = file.mimeType ?? 'application/octet-stream';
		binary[property] = file.inline
			? { data: file.base64, mimeType, ...(file.fileName ? { fileName: file.fileName } : {}) }
			: await ctx.helpers.prepareBinaryData(Buffer.from(file.base64, 'base64'), file.fileName, mimeType);
	}
	return binary;
}

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

/** Decrypted credentials per type, and `authenticate` applied like n8n's CLI (generic or function). */
class TestCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Record<string, import('n8n-workflow').ICredentialType>} credentialTypes
	 * @param {Record<string, import('n8n-workflow').ICredentialDataDecryptedObject>} data
	 */
	constructor(credentialTypes, data) {
		super();
		this.credentialTypes = credentialTypes;
		this.data = data;
		/** How many times a node had a credential decrypted (n8n's CLI reads its database each time). */
		this.decryptions = 0;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	/**
	 * @param {import('n8n-workflow').ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {import('n8n-workflow').IHttpRequestOptions} requestOptions
	 * @param {import('n8n-workflow').Workflow} [workflow]
	 * @param {import('n8n-workflow').INode} [node]
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const auth = this.credentialTypes[typeName]?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (!auth || auth.type !== 'generic') return requestOptions;
		/** @param {string} value */
		const resolve = (value) =>
			isExpression(value) && workflow && node
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							/** @type {any} */ ({ $credentials: credentials }),
							undefined,
							'',
						) ?? '',
					)
				: value;
		const options = /** @type {Record<string, Record<string, unknown>>} */ (/** @type {unknown} */ (requestOptions));
		for (const [section, values] of Object.entries(auth.properties)) {
			options[section] = { ...(options[section] ?? {}) };
			for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (values))) {
				options[section][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	/** @param {import('n8n-workflow').INodeCredentialsDetails} _details @param {string} type */
	async getCredentials(_details, type) {
		return new Credentials({ id: null, name: '' }, type, '');
	}

	/**
	 * @param {import('n8n-workflow').IWorkflowExecuteAdditionalData} _additionalData
	 * @param {import('n8n-workflow').INodeCredentialsDetails} _details
	 * @param {string} type
	 */
	async getDecrypted(_additionalData, _details, type) {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials for ${type}`);
		this.decryptions++;
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	/** @param {string} type */
	getCredentialsProperties(type) {
		return this.credentialTypes[type]?.properties ?? [];
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
 * Starts a workflow; `cancel()` cancels the execution as n8n does (the nodes' cancel signal fires).
 * @param {RunOptions} options
 */
function startWorkflow(options) {
	const nodeTypes = new TestNodeTypes({ [TRIGGER_TYPE]: new ManualTrigger(), ...options.nodeTypes });
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
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

module.exports = { ManualTrigger, ItemsSource, TestCredentialsHelper, TRIGGER_TYPE, startWorkflow, runWorkflow, outputOf, loadBuiltPackage };
