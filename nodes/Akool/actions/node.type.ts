/** The resource → operation map: the router's dispatch is checked against it. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FailurePolicy, ItemResult } from '../engine/jobs';

type AkoolMap = {
	image: 'generate' | 'transform' | 'getResult' | 'upscaleOrVary';
	account: 'getCredits';
};

export type AkoolResource = keyof AkoolMap;

export type AkoolOperation<R extends AkoolResource = AkoolResource> = AkoolMap[R];

/**
 * Every operation sees all items of the run at once and answers one ItemResult per item, in order;
 * the router's failure policy says whether the run stops at its first error.
 */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	policy: FailurePolicy,
) => Promise<ItemResult[]>;

export type OperationMap<R extends AkoolResource> = Record<AkoolOperation<R>, { execute: OperationExecute }>;
