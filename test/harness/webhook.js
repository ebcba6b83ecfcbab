// @ts-check
/**
 * The one fixture for calling a node's webhook() in-process the way n8n 2.41.1 does it
 * (webhook.service.js `runWebhook`): n8n-core's own `WebhookContext` over a workflow, the HTTP
 * request (JSON body, query) and a response that records what the node answers through it, with the
 * Akool credential in the additional data. Plain JS (types checked) so that the jest tests and the
 * reliability matrix (which loads the BUILT node) share it.
 */
const { WebhookContext } = require('n8n-core');
const { TestCredentialsHelper } = require('./credentialsHelper');

/** n8n's address in the URLs of the additional data. */
const BASE_URL = 'http://127.0.0.1:5678';

/**
 * @typedef {object} WebhookCall
 * @property {import('n8n-workflow').Workflow} workflow
 * @property {string} nodeName the node whose webhook() is called
 * @property {import('n8n-workflow').INodeType} nodeType its type
 * @property {import('n8n-workflow').ICredentialType} credentialType the `akoolApi` credential's type (source or built)
 * @property {import('n8n-workflow').ICredentialDataDecryptedObject} credential the decrypted `akoolApi` credential
 * @property {unknown} body
 * @property {import('n8n-workflow').IDataObject} [query]
 * @property {string} path the webhook's path, as n8n registered it
 * @property {import('n8n-workflow').WorkflowExecuteMode} mode 'webhook' for a production webhook, 'manual' for a waiting execution resumed
 * @property {import('n8n-workflow').IRunExecutionData} [runExecutionData] the loaded execution, for a waiting execution resumed; none for a production webhook
 * @property {string} [executionId]
 */

/**
 * @typedef {object} WebhookAnswer
 * @property {number} status HTTP status n8n would answer
 * @property {unknown} body the body n8n would answer
 * @property {import('n8n-workflow').INodeExecutionData[]} [workflowData] the items the workflow would start (or resume) with; undefined when it does not
 */

/**
 * Runs the node's webhook() over a POST and says what n8n would answer.
 * @param {WebhookCall} call @returns {Promise<WebhookAnswer>}
 */
async function callWebhook(call) {
	const { workflow, nodeName, nodeType, credentialType, credential, body, query = {}, path, mode } = call;
	if (!nodeType.webhook) throw new Error(`${nodeName} has no webhook()`);
	let status = 200;
	/** @type {unknown} */
	let sent;
	const response = {
		/** @param {number} code */
		status(code) {
			status = code;
			return response;
		},
		/** @param {unknown} payload */
		json(payload) {
			sent = payload;
			return response;
		},
		/** @param {unknown} payload */
		send(payload) {
			sent = payload;
			return response;
		},
		end() {
			return response;
		},
	};
	const additionalData = /** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */ (
		/** @type {unknown} */ ({
			credentialsHelper: new TestCredentialsHelper({ akoolApi: credentialType }, { akoolApi: credential }),
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
		})
	);
	const webhookData = /** @type {import('n8n-workflow').IWebhookData} */ (
		/** @type {unknown} */ ({
			httpMethod: 'POST',
			node: nodeName,
			path,
			webhookDescription: nodeType.description.webhooks?.[0],
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		})
	);
	const node = /** @type {import('n8n-workflow').INode} */ (workflow.getNode(nodeName));
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], call.runExecutionData ?? null);
	const result = await nodeType.webhook.call(context);
	// noWebhookResponse: the node answered through the response itself
	if (result.noWebhookResponse) return { status, body: sent };
	// responseMode 'onReceived': n8n answers webhookResponse with 200.
	return { status: 200, body: result.webhookResponse, workflowData: result.workflowData?.[0] };
}

module.exports = { callWebhook };
