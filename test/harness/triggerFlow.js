// @ts-check
/**
 * The Akool Trigger in one n8n process, the way n8n 2.41.1 serves a production webhook (read in its
 * webhook-helpers.js, live-webhooks.js, workflow-runner.js and measured with `n8n start`):
 * - each TriggerInstance loads the node's code with `loadTrigger` (jest: the source anew, its own
 *   module memory, as a process has; the reliability matrix: the BUILT node, one process);
 * - the workflow's static data lives in a Database (n8n's, which instances can share) and is read
 *   for every request;
 * - webhook() runs over a Workflow built from it (harness/webhook.js); what it changes is saved only
 *   when it starts nothing (when it starts an execution, n8n clears the change flag before saving);
 * - a started execution takes its own copy of the static data when n8n creates it (before n8n
 *   answers the request), runs in n8n-core's WorkflowExecute in mode 'webhook' from the trigger with
 *   webhook()'s items, and its changes are saved when it ends (whole, over whatever is stored);
 * - n8n's processed-data store is processedData.js's.
 * The workflow: Akool Trigger → Received (the engine harness's Items node: it runs when the trigger
 * passes an item on). Plain JS (types checked): jest and the reliability matrix share it.
 */
const { NodeHelpers, Workflow, createRunExecutionData } = require('n8n-workflow');
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { ItemsSource } = require('./engine');
const { callWebhook } = require('./webhook');

/** @typedef {import('n8n-workflow').IDataObject} IDataObject @typedef {import('n8n-workflow').INodeExecutionData} Item */

const TRIGGER_TYPE = 'n8n-nodes-akool.akoolTrigger';
const RECEIVED_TYPE = 'test.items';
const TRIGGER_NAME = 'Akool Trigger';

/**
 * One execution n8n created: what the trigger passed on and what reached the next node.
 * @typedef {object} Execution
 * @property {string} id
 * @property {import('n8n-workflow').IRun} run
 * @property {Item[]} triggerOutput the trigger's output items in the execution
 * @property {Item[]} [received] the items the trigger passed on, when the next node ran; undefined when it did not
 */

/**
 * What n8n answered a request, and the execution it started (run it with `start`).
 * @typedef {object} Receipt
 * @property {number} status
 * @property {unknown} body
 * @property {() => Promise<Execution>} [start]
 */

/**
 * @template T @param {T} value @returns {T}
 */
const clone = (value) => JSON.parse(JSON.stringify(value));

/** What n8n's database holds for the workflow: its static data (processedData.js has the rest). */
class Database {
	/** @type {IDataObject} */
	staticData = {};
}

/**
 * @typedef {object} TriggerInstanceOptions
 * @property {() => import('n8n-workflow').INodeType} loadTrigger the Akool Trigger's code as this process loads it
 * @property {import('n8n-workflow').ICredentialType} credentialType the `akoolApi` credential's type
 * @property {() => import('n8n-workflow').ICredentialDataDecryptedObject} credential
 * @property {import('n8n-workflow').INodeParameters} [parameters] the trigger's parameters
 * @property {import('n8n-workflow').WorkflowExecuteMode} [mode] 'webhook' (production URL, the default) or 'manual' (test URL)
 * @property {Database} [database] shared with other instances (processes) of the same n8n; a new one by default
 * @property {string} [workflowId] the workflow's ID (n8n's processed-data store and the node's memory are per workflow)
 */

class TriggerInstance {
	/** @type {Execution[]} */
	executions = [];

	/** @param {TriggerInstanceOptions} options */
	constructor({ loadTrigger, credentialType, credential, parameters = {}, mode = 'webhook', database = new Database(), workflowId = 'wf-trigger-once' }) {
		this.credential = credential;
		this.credentialType = credentialType;
		this.mode = mode;
		this.database = database;
		this.workflowId = workflowId;
		/** @type {Record<string, import('n8n-workflow').INodeType>} */
		this.types = { [TRIGGER_TYPE]: loadTrigger(), [RECEIVED_TYPE]: new ItemsSource() };
		/** @type {import('n8n-workflow').INode[]} */
		this.nodes = [
			{ id: 'trigger-node-1', name: TRIGGER_NAME, type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters, credentials: { akoolApi: { id: 'cred-1', name: 'Akool account' } } },
			{ id: 'received-node-1', name: 'Received', type: RECEIVED_TYPE, typeVersion: 1, position: [200, 0], parameters: { items: '[{"received":true}]' } },
		];
	}

	/** A Workflow over a copy of the stored static data, as n8n builds one from its database. */
	workflow() {
		return new Workflow({
			id: this.workflowId,
			name: 'trigger once',
			nodes: clone(this.nodes),
			connections: { [TRIGGER_NAME]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
			active: true,
			nodeTypes: {
				getByName: (type) => this.types[type],
				getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(this.types[type], version),
				getKnownTypes: () => ({}),
			},
			staticData: clone(this.database.staticData),
			settings: { executionOrder: 'v1' },
		});
	}

	/**
	 * The webhook() half: n8n's answer, and the execution it creates (not run yet).
	 * @param {unknown} body @returns {Promise<Receipt>}
	 */
	async receive(body) {
		const workflow = this.workflow();
		const { credentialType } = this;
		const answer = await callWebhook({ workflow, nodeName: TRIGGER_NAME, nodeType: this.types[TRIGGER_TYPE], credentialType, credential: this.credential(), body, path: 'akool', mode: this.mode });
		if (!answer.workflowData) {
			if (workflow.staticData.__dataChanged === true) this.database.staticData = clone(workflow.staticData);
			return { status: answer.status, body: answer.body };
		}
		// n8n loads the execution's static data while it creates the execution, before it answers.
		const execution = this.workflow();
		const items = answer.workflowData;
		return { status: answer.status, body: answer.body, start: async () => await this.run(execution, items) };
	}

	/**
	 * A request answered and its execution (if any) run to the end.
	 * @param {unknown} body @returns {Promise<Receipt & { execution?: Execution }>}
	 */
	async deliver(body) {
		const receipt = await this.receive(body);
		return { ...receipt, execution: await receipt.start?.() };
	}

	/** @param {Workflow} workflow @param {Item[]} items @returns {Promise<Execution>} */
	async run(workflow, items) {
		const id = String(this.executions.length + 1);
		const trigger = /** @type {import('n8n-workflow').INode} */ (workflow.getNode(TRIGGER_NAME));
		const workflowData = /** @type {import('n8n-workflow').IWorkflowBase} */ (
			/** @type {unknown} */ ({ id: workflow.id, name: workflow.name, nodes: this.nodes, connections: {}, active: true, settings: {} })
		);
		const hooks = new ExecutionLifecycleHooks(this.mode, id, workflowData);
		/** @type {IDataObject | undefined} */
		let changed;
		hooks.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			changed = newStaticData;
		});
		// what the next node's parameters need of the additional data (its $execution.resumeUrl)
		const urls = { instanceBaseUrl: 'http://127.0.0.1:5678/', webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting', formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting' };
		const additionalData = /** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */ (
			/** @type {unknown} */ ({ hooks, currentNodeExecutionIndex: 0, variables: {}, executionId: id, ...urls })
		);
		const runData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node: trigger, data: { main: [items] }, source: null }] } });
		const run = await new WorkflowExecute(additionalData, this.mode, runData).processRunExecutionData(workflow);
		if (changed) this.database.staticData = clone(changed);
		const output = (/** @type {string} */ name) => run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? undefined;
		const triggerOutput = output(TRIGGER_NAME) ?? [];
		/** @type {Execution} */
		const execution = { id, run, triggerOutput, received: output('Received') && triggerOutput };
		this.executions.push(execution);
		return execution;
	}
}

module.exports = { Database, TriggerInstance, TRIGGER_NAME };
