/** Account → Get Credits: the account's credit balance (Akool's quota/info call). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AkoolApi } from '../../transport/akoolApi';
import { AkoolTransport } from '../../transport/akoolRequest';
import { readConnection } from '../common/connection';
import type { ItemResult } from '../node.type';

const REQUEST_TIMEOUT_MS = 30_000;

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getCredits'] } },
	[],
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	const connection = await readConnection(this);
	const api = new AkoolApi(
		new AkoolTransport(this, { ...connection, requestTimeoutMs: REQUEST_TIMEOUT_MS, signal: this.getExecutionCancelSignal() }),
	);
	const results: ItemResult[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const quota = await api.getCredits(itemIndex);
			results.push({ outputs: [{ json: { credit: quota.credit } }] });
		} catch (error) {
			results.push({ outputs: [], error: error as ItemResult['error'] });
		}
	}
	return results;
}
