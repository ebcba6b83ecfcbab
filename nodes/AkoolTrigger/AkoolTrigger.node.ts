/**
 * Akool Trigger: starts a workflow when Akool calls back about a job (give this node's production
 * URL as "Webhook URL" to the Akool node). Every callback is verified (signature, time window) and
 * decrypted with the credential's API key and Client ID before anything starts.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { callbackSecrets, verifyCallback } from '../shared/akool/callbackCrypto';
import { AkoolJobStatus, statusName } from '../shared/akool/status';
import { DEFAULT_MAX_IMAGE_BYTES, downloadImage } from '../shared/transport/download';
import { nothingToRegister } from '../shared/webhookLifecycle';

const FINAL_STATUSES = ['3', '4'];
const DOWNLOAD_TIMEOUT_MS = 60_000;

export class AkoolTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Akool Trigger',
		name: 'akoolTrigger',
		icon: { light: 'file:../Akool/akool.svg', dark: 'file:../Akool/akool.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=On job {{ $parameter["statuses"].join(", ") }}',
		description: 'Starts the workflow when Akool calls back about an image job',
		defaults: { name: 'Akool Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'akoolApi', required: true }],
		// responseData '': n8n then answers webhookResponse (without it, n8n 2.41.1 answers the literal
		// text "firstEntryJson" to a call that starts the workflow).
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'akool' }],
		properties: [
			{
				displayName:
					'Put this node’s Production URL in the "Webhook URL" option of the Akool node (or any Akool call’s webhookurl). The credential needs the Client ID: Akool console → API Credentials, beside the API key.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Completed', value: '3' },
					{ name: 'Failed', value: '4' },
					{ name: 'Processing', value: '2' },
				],
				default: ['3', '4'],
				description: 'Which job statuses start the workflow; other callbacks are acknowledged and ignored',
			},
			{
				displayName: 'Download Image',
				name: 'downloadImage',
				type: 'boolean',
				default: true,
				description:
					'Whether to download a completed job’s image into the binary property "data" (no Akool credentials are sent to the image host)',
			},
		],
	};

	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const verdict = verifyCallback(this.getBodyData(), await callbackSecrets(this));
		if (!verdict.ok) {
			// A 4xx tells Akool (and anyone probing) only that the callback was refused.
			this.getResponseObject().status(verdict.status).json({ message: `rejected: ${verdict.reason}` });
			return { noWebhookResponse: true };
		}
		const { data } = verdict;
		const statuses = this.getNodeParameter('statuses', FINAL_STATUSES) as string[];
		if (!statuses.includes(String(data.status))) {
			return { webhookResponse: { message: 'ignored: status not selected' } };
		}
		const item: INodeExecutionData = {
			json: {
				jobId: data._id,
				status: statusName(data.status),
				statusCode: data.status,
				type: data.type ?? null,
				imageUrl: data.status === AkoolJobStatus.Completed && data.url ? data.url : null,
			} as IDataObject,
		};
		if (data.status === AkoolJobStatus.Completed && data.url && this.getNodeParameter('downloadImage', true)) {
			item.binary = {
				data: await downloadImage(
					this,
					{ url: data.url, jobId: data._id, itemIndex: 0 },
					{ maxBytes: DEFAULT_MAX_IMAGE_BYTES, timeoutMs: DOWNLOAD_TIMEOUT_MS },
				),
			};
		}
		return { webhookResponse: { message: 'ok' }, workflowData: [[item]] };
	}
}
