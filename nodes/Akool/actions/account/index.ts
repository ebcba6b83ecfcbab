import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../node.type';
import * as getCredits from './getCredits.operation';

export const operations: OperationMap<'account'> = { getCredits };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Credits',
				value: 'getCredits',
				action: 'Get the credit balance',
				description: 'Read the Akool account’s credit balance',
			},
		],
		default: 'getCredits',
	},
	...getCredits.description,
];
