/**
 * The Akool Trigger in one n8n process, the way n8n 2.41.1 serves a production webhook (read in its
 * webhook-helpers.js, live-webhooks.js, workflow-runner.js and measured with `n8n start`):
 * - each TriggerInstance loads the node's code anew (its own module memory, as a process has);
 * - the workflow's static data lives in a Database (n8n's, which instances can share) and is read
 *   for every request;
 * - webhook() runs over a Workflow built from it (harness/webhook.ts); what it changes is saved only
 *   when it starts nothing (when it starts an execution, n8n clears the change flag before saving);
 * - a started execution takes its own copy of the static data when n8n creates it (before n8n
 *   answers the request), runs in n8n-core's WorkflowExecute in mode 'webhook' from the trigger with
 *   webhook()'s items, and its changes are saved when it ends (whole, over whatever is stored);
 * - n8n's processed-data store is processedData.js's.
 * The workflow: Akool Trigger → Received (the engine harness's Items node: it runs when the trigger
 * passes an item on).
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import type { AkoolTrigger } from '../../nodes/AkoolTrigger/AkoolTrigger.node';
import { ItemsSource } from './engine';
import { callWebhook } from './webhook';

const TRIGGER_TYPE = 'n8n-nodes-akool.akoolTrigger';
const RECEIVED_TYPE = 'test.items';
export const TRIGGER_NAME = 'Akool Trigger';

/** One execution n8n created: what the trigger passed on and what reached the next node. */
export interface Execution {
	id: string;
	run: IRun;
	/** the trigger's output items in the execution */
	triggerOutput: INodeExecutionData[];
	/** the items the trigger passed on, when the next node ran; undefined when it did not */
	received?: INodeExecutionData[];
}

/** What n8n answered a request, and the execution it started (run it with `start`). */
export interface Receipt {
	status: number;
	body: unknown;
	start?: () => Promise<Execution>;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** What n8n's database holds for the workflow: its static data (processedData.js has the rest). */
export class Database {
	staticData: IDataObject = {};
}

/** The node's code as a new process loads it: its own copy of every module, its own memory. */
function loadTrigger(): AkoolTrigger {
	let trigger: AkoolTrigger | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require('../../nodes/AkoolTrigger/AkoolTrigger.node') as typeof import('../../nodes/AkoolTrigger/AkoolTrigger.node');
		trigger = new loaded.AkoolTrigger();
	});
	return trigger as AkoolTrigger;
}

export interface TriggerInstanceOptions {
	credential: () => ICredentialDataDecryptedObject;
	/** the trigger's parameters */
	parameters?: INodeParameters;
	/** 'webhook' (production URL, the default) or 'manual' (test URL) */
	mode?: WorkflowExecuteMode;
	/** the database, shared with other instances (processes) of the same n8n; a new one by default */
	database?: Database;
}

export class TriggerInstance {
	readonly database: Database;
	executions: Execution[] = [];
	private readonly types: Record<string, INodeType>;
	private readonly nodes: INode[];
	private readonly credential: () => ICredentialDataDecryptedObject;
	private readonly mode: WorkflowExecuteMode;

	constructor({ credential, parameters = {}, mode = 'webhook', database = new Database() }: TriggerInstanceOptions) {
		this.credential = credential;
		this.mode = mode;
		this.database = database;
		this.types = { [TRIGGER_TYPE]: loadTrigger(), [RECEIVED_TYPE]: new ItemsSource() };
		this.nodes = [
			{ id: 'trigger-node-1', name: TRIGGER_NAME, type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters, credentials: { akoolApi: { id: 'cred-1', name: 'Akool account' } } },
			{ id: 'received-node-1', name: 'Received', type: RECEIVED_TYPE, typeVersion: 1, position: [200, 0], parameters: { items: '[{"received":true}]' } },
		];
	}

	/** A Workflow over a copy of the stored static data, as n8n builds one from its database. */
	private workflow(): Workflow {
		return new Workflow({
			id: 'wf-trigger-once',
			name: 'trigger once',
			nodes: clone(this.nodes),
			connections: { [TRIGGER_NAME]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
			active: true,
			nodeTypes: {
				getByName: (type: string) => this.types[type],
				getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(this.types[type], version),
				getKnownTypes: () => ({}),
			},
			staticData: clone(this.database.staticData),
			settings: { executionOrder: 'v1' },
		});
	}

	/** The webhook() half: n8n's answer, and the execution it creates (not run yet). */
	async receive(body: unknown): Promise<Receipt> {
		const workflow = this.workflow();
		const answer = await callWebhook({ workflow, nodeName: TRIGGER_NAME, nodeType: this.types[TRIGGER_TYPE], credential: this.credential(), body, path: 'akool', mode: this.mode });
		if (!answer.workflowData) {
			if (workflow.staticData.__dataChanged === true) this.database.staticData = clone(workflow.staticData);
			return { status: answer.status, body: answer.body };
		}
		// n8n loads the execution's static data while it creates the execution, before it answers.
		const execution = this.workflow();
		const items = answer.workflowData;
		return { status: answer.status, body: answer.body, start: async () => await this.run(execution, items) };
	}

	/** A request answered and its execution (if any) run to the end. */
	async deliver(body: unknown): Promise<Receipt & { execution?: Execution }> {
		const receipt = await this.receive(body);
		return { ...receipt, execution: await receipt.start?.() };
	}

	private async run(workflow: Workflow, items: INodeExecutionData[]): Promise<Execution> {
		const id = String(this.executions.length + 1);
		const trigger = workflow.getNode(TRIGGER_NAME) as INode;
		const workflowData = { id: workflow.id, name: workflow.name, nodes: this.nodes, connections: {}, active: true, settings: {} } as unknown as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks(this.mode, id, workflowData);
		let changed: IDataObject | undefined;
		hooks.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			changed = newStaticData;
		});
		// what the next node's parameters need of the additional data (its $execution.resumeUrl)
		const urls = { instanceBaseUrl: 'http://127.0.0.1:5678/', webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting', formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting' };
		const additionalData = { hooks, currentNodeExecutionIndex: 0, variables: {}, executionId: id, ...urls } as unknown as IWorkflowExecuteAdditionalData;
		const runData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node: trigger, data: { main: [items] }, source: null }] } });
		const run = await new WorkflowExecute(additionalData, this.mode, runData).processRunExecutionData(workflow);
		if (changed) this.database.staticData = clone(changed);
		const output = (name: string) => run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? undefined;
		const triggerOutput = output(TRIGGER_NAME) ?? [];
		const execution = { id, run, triggerOutput, received: output('Received') && triggerOutput };
		this.executions.push(execution);
		return execution;
	}
}
