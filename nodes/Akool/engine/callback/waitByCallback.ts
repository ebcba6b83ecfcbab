/**
 * Waiting by callback, the execute() half: the jobs are created with this execution's own resume
 * URL as Akool's `webhookurl`, their IDs are kept in the execution's custom data, and the execution
 * is put to wait: it is saved, and no worker is held while Akool works. `resumeOnCallback` is the
 * other half.
 */
import { randomBytes } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult, StartedItem } from '../jobs';
import { toImageItem } from '../output';
import { customDataOf, jobCapacity, packState, readState } from './resumeState';

/** The URL Akool calls back, and the nonce that ties a callback to this run of this node. */
export interface CallbackTarget {
	url: string;
	nonce: string;
}

/** `$execution.resumeUrl` (signed by n8n) + `/<node id>` (the webhook's path) + our nonce. */
export function callbackTarget(ctx: IExecuteFunctions): CallbackTarget {
	const nonce = randomBytes(8).toString('hex');
	const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	url.searchParams.set('n', nonce);
	return { url: url.toString(), nonce };
}

/** Refuses, before anything is created, a run whose job IDs would not fit the custom data. */
export function checkCallbackCapacity(ctx: IExecuteFunctions, imagesOrdered: number): void {
	const capacity = jobCapacity(customDataOf(ctx));
	if (imagesOrdered > capacity) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Wait Mode "Callback" can follow at most ${capacity} images in one run; this run orders ${imagesOrdered}`,
			{
				description:
					'Nothing was created. The job IDs are kept in the execution’s custom data, which n8n limits to 10 short values. Use Wait Mode "Polling", or send fewer items per run (e.g. with a Loop Over Items node).',
			},
		);
	}
}

/**
 * Saves what the callbacks need and puts the execution to wait until `timeoutMs` from now. Returns
 * the queued jobs as the node's output while it waits (n8n replaces it when the run resumes).
 */
export async function sleepUntilCallbacks(
	ctx: IExecuteFunctions,
	target: CallbackTarget,
	items: StartedItem[],
	itemCount: number,
	timeoutMs: number,
): Promise<ItemResult[]> {
	const node = ctx.getNode();
	const jobsPerItem = Array.from({ length: itemCount }, (_, index) =>
		(items.find((item) => item.itemIndex === index)?.jobs ?? []).map((job) => job.id),
	);
	const allIds = jobsPerItem.flat();
	const customData = customDataOf(ctx);
	const packed = packState(node.id, { nonce: target.nonce, jobsPerItem }, customData);
	if ('values' in packed) customData.setAll(packed.values);
	const saved = readState(node.id, customData);
	if (!saved || saved.nonce !== target.nonce || saved.jobsPerItem.flat().join() !== allIds.join()) {
		throw new NodeOperationError(node, 'Could not keep the job IDs for the callbacks; the jobs were created', {
			description: `${'tooLarge' in packed ? packed.tooLarge : 'The execution’s custom data did not keep them'}. The jobs run at Akool and are charged: fetch them with Get Result (job IDs: ${allIds.join(', ')}).`,
		});
	}
	await ctx.putExecutionToWait(new Date(Date.now() + timeoutMs));
	return jobsPerItem.map((ids, itemIndex) => ({
		outputs: ids.map((id, batchIndex) => {
			const created = items.find((item) => item.itemIndex === itemIndex)?.jobs[batchIndex]?.created;
			return { json: toImageItem(id, batchIndex, created) };
		}),
	}));
}
