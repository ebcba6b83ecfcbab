/**
 * The one fixture for calling a node's webhook() in-process the way n8n 2.41.1 does it
 * (webhook.service.js `runWebhook`): n8n-core's own `WebhookContext` over a workflow, the HTTP
 * request (JSON body, query) and a response that records what the node answers through it, with the
 * Akool credential in the additional data.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';
import { TestCredentialsHelper } from './engine';

/** n8n's address in the URLs of the additional data. */
const BASE_URL = 'http://127.0.0.1:5678';

export interface WebhookCall {
	workflow: Workflow;
	/** The node whose webhook() is called, by name, and its type. */
	nodeName: string;
	nodeType: INodeType;
	/** The decrypted `akoolApi` credential. */
	credential: ICredentialDataDecryptedObject;
	body: unknown;
	query?: IDataObject;
	/** The webhook's path, as n8n registered it. */
	path: string;
	/** 'webhook' for a production webhook, 'manual' for a waiting execution resumed. */
	mode: WorkflowExecuteMode;
	/** The loaded execution, for a waiting execution resumed; none for a production webhook. */
	runExecutionData?: IRunExecutionData;
	executionId?: string;
}

export interface WebhookAnswer {
	/** HTTP status n8n would answer */
	status: number;
	/** the body n8n would answer */
	body: unknown;
	/** the items the workflow would start (or resume) with; undefined when it does not */
	workflowData?: INodeExecutionData[];
}

/** Runs the node's webhook() over a POST and says what n8n would answer. */
export async function callWebhook(call: WebhookCall): Promise<WebhookAnswer> {
	const { workflow, nodeName, nodeType, credential, body, query = {}, path, mode } = call;
	if (!nodeType.webhook) throw new Error(`${nodeName} has no webhook()`);
	let status = 200;
	let sent: unknown;
	const response = {
		status(code: number) {
			status = code;
			return response;
		},
		json(payload: unknown) {
			sent = payload;
			return response;
		},
		send(payload: unknown) {
			sent = payload;
			return response;
		},
		end() {
			return response;
		},
	};
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ akoolApi: new AkoolApi() }, { akoolApi: credential }),
		...(call.executionId === undefined ? {} : { executionId: call.executionId }),
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		variables: {},
		currentNodeExecutionIndex: 0,
		httpRequest: { body, query, headers: { 'content-type': 'application/json' }, params: {} },
		httpResponse: response,
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: nodeName,
		path,
		webhookDescription: nodeType.description.webhooks?.[0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const node = workflow.getNode(nodeName) as INode;
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], call.runExecutionData ?? null);
	const result: IWebhookResponseData = await nodeType.webhook.call(context);
	// noWebhookResponse: the node answered through the response itself
	if (result.noWebhookResponse) return { status, body: sent };
	// responseMode 'onReceived': n8n answers webhookResponse with 200.
	return { status: 200, body: result.webhookResponse, workflowData: result.workflowData?.[0] };
}
