/**
 * Akool Trigger: starts a workflow when Akool calls back about a job (give this node's production
 * URL as "Webhook URL" to the Akool node). Every callback is verified (signature, time window) and
 * decrypted with the credential's API key and Client ID before anything starts, and a job's status
 * starts the workflow once: webhook() answers a duplicate it knows of (recentStarts.ts) without
 * starting anything, and execute(), run first in the started execution, drops one it could not know
 * of (startOnce.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { AkoolJobStatus, statusName } from '../shared/akool/status';
import { DEFAULT_MAX_IMAGE_BYTES, downloadImage } from '../shared/transport/download';
import { nothingToRegister } from '../shared/webhookLifecycle';
import { checkCallback } from './callbackCheck';
import { callbackKey, isKnownStart } from './recentStarts';
import { isFirstStart } from './startOnce';

const FINAL_STATUSES = ['3', '4'];
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The callback an item of this trigger stands for; undefined for an item it did not make. */
function keyOfItem(json: IDataObject): string | undefined {
	return typeof json.jobId === 'string' && typeof json.statusCode === 'number' ? callbackKey(json.jobId, json.statusCode) : undefined;
}

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
					'Put this node’s Production URL in the "Webhook URL" option of the Akool node (or any Akool call’s webhookurl). The credential needs the Client ID: Akool console → API Credentials, beside the API key. Each job’s status starts the workflow once: a callback that comes again is answered and ignored.',
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
		const check = await checkCallback(this);
		if (!check.ok) {
			// A 4xx, and no workflowData: n8n starts nothing and saves no execution.
			this.getResponseObject().status(check.status).json({ message: check.message });
			return { noWebhookResponse: true };
		}
		const { data } = check;
		const statuses = this.getNodeParameter('statuses', FINAL_STATUSES) as string[];
		if (!statuses.includes(String(data.status))) {
			return { webhookResponse: { message: 'ignored: status not selected' } };
		}
		// The test URL starts every verified callback, so that a captured one can be sent again while building.
		if (this.getMode() !== 'manual' && isKnownStart(this, callbackKey(data._id, data.status), Date.now())) {
			return { webhookResponse: { message: 'ignored: already started the workflow' } };
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

	/** Run first in the execution webhook() started, with its item: passes it on unless it is a duplicate. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (this.getMode() === 'manual') return [items];
		const firsts: INodeExecutionData[] = [];
		for (const item of items) {
			const key = keyOfItem(item.json);
			if (key === undefined || (await isFirstStart(this, key, Date.now()))) firsts.push(item);
		}
		return [firsts];
	}
}
