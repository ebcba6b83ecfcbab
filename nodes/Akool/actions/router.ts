/**
 * Dispatch, and n8n's per-item rules, owned here alone: pairedItem on every output item, Continue On
 * Fail turning a failed item into an error item (the other items go on), errors raised as
 * NodeApiError/NodeOperationError. A run resumed by Akool's callback goes through the same rules.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resumeOnCallback } from '../engine/callback/resumeOnCallback';
import { errorFields } from '../engine/jobErrors';
import type { ItemResult } from '../engine/jobs';
import * as account from './account';
import * as image from './image';
import type { AkoolResource, OperationExecute, OperationMap } from './node.type';

const resources: { [R in AkoolResource]: OperationMap<R> } = {
	image: image.operations,
	account: account.operations,
};

function findOperation(ctx: IExecuteFunctions, resource: string, operation: string): OperationExecute {
	const operations = resources[resource as AkoolResource] as Record<string, { execute: OperationExecute }> | undefined;
	const found = operations?.[operation];
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return found.execute;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = findOperation(this, resource, operation);

	const continueOnFail = this.continueOnFail();
	const results = await execute
		.call(this, items, { stopAtFirstError: !continueOnFail })
		.catch((error: unknown) => runFailure(this, items.length, error));
	return [outputItems(results, continueOnFail)];
}

/**
 * Akool's callback for a run waiting in Wait Mode "Callback": when it resumes the run, its results
 * become output items here. A resumed run cannot fail any more, so every failure is an error item.
 */
export async function resume(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const { response, results } = await resumeOnCallback(this);
	if (!results) return response;
	return { ...response, workflowData: [outputItems(results, true)] };
}

/** One output item per image with its item's pairedItem; a failure thrown, or an error item with Continue On Fail. */
function outputItems(results: ItemResult[], continueOnFail: boolean): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	results.forEach((result, itemIndex) => {
		const pairedItem = { item: itemIndex };
		for (const item of result.outputs) output.push({ ...item, pairedItem });
		if (!result.error) return;
		if (!continueOnFail) throw result.error;
		output.push({ json: errorFields(result.error), pairedItem });
	});
	return output;
}

/**
 * A failure of the whole run (spending guard, run-wide options, credential): with Continue On Fail,
 * one error item per input item, so that nothing downstream mistakes the input for a result.
 */
function runFailure(ctx: IExecuteFunctions, itemCount: number, error: unknown): ItemResult[] {
	const isNodeError = error instanceof NodeOperationError || error instanceof NodeApiError;
	if (isNodeError && ctx.continueOnFail()) return Array.from({ length: itemCount }, () => ({ outputs: [], error }));
	throw isNodeError ? error : new NodeOperationError(ctx.getNode(), error as Error);
}
