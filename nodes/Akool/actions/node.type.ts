/** The resource → operation map: the router's dispatch is checked against it. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeError } from '../jobs/errors';

type AkoolMap = {
	image: 'generate' | 'transform' | 'getResult' | 'upscaleOrVary';
	account: 'getCredits';
};

export type AkoolResource = keyof AkoolMap;

export type AkoolOperation<R extends AkoolResource = AkoolResource> = AkoolMap[R];

/** What an operation gives back for one input item: its output items (without pairedItem) and its error. */
export interface ItemResult {
	outputs: INodeExecutionData[];
	error?: NodeError;
}

/** Every operation sees all items of the run at once and answers one ItemResult per item, in order. */
export type OperationExecute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<ItemResult[]>;

export type OperationMap<R extends AkoolResource> = Record<AkoolOperation<R>, { execute: OperationExecute }>;
