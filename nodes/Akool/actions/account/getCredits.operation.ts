/** Account → Get Credits: the account's credit balance (Akool's quota/info call). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AkoolClient } from '../../../shared/transport/akoolClient';
import { AkoolTransport } from '../../../shared/transport/akoolRequest';
import { readConnection } from '../../../shared/transport/connection';
import type { ItemResult } from '../../engine/jobs';

const REQUEST_TIMEOUT_MS = 30_000;

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getCredits'] } },
	[],
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemResult[]> {
	const connection = await readConnection(this);
	const api = new AkoolClient(
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
