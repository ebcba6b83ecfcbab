/**
 * The Akool node. Thin on purpose: the description lists what each resource offers, and the router
 * (actions/router.ts) runs the operation over all input items at once.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account';
import * as image from './actions/image';
import { resume, router } from './actions/router';
import { CREDENTIAL_TYPE } from '../shared/transport/akoolRequest';
import { nothingToRegister } from '../shared/webhookLifecycle';

export class Akool implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Akool',
		name: 'akool',
		icon: { light: 'file:akool.svg', dark: 'file:akool.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Generate images from text or from an image with Akool, wait for them and download them as files',
		defaults: { name: 'Akool' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Wait Mode "Callback": Akool POSTs to this execution's resume URL + /<node id> while it waits.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Image', value: 'image', description: 'Generate, transform, read, upscale or vary images' },
					{ name: 'Account', value: 'account', description: 'Read the account’s credit balance' },
				],
				default: 'image',
			},
			...image.description,
			...account.description,
		],
	};

	webhookMethods = nothingToRegister;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resume.call(this);
	}
}
