/**
 * Waiting by callback, the execute() half: the jobs are created with this execution's own resume
 * URL as Akool's `webhookurl`, the run (job IDs per item, and the errors of items without jobs) is
 * kept in the node's context, and the execution is put to wait: it is saved, and no worker is held
 * while Akool works. `resumeOnCallback` is the other half.
 */
import { randomBytes } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorFields, type NodeError } from '../jobErrors';
import type { ItemResult, StartedJob } from '../jobs';
import { statusName } from '../../../shared/akool/status';
import { keepState, readState, type ResumeState, type WaitingItem } from './resumeState';

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

/** One input item of a run about to wait: the jobs it started, and its error if it has one. */
export interface ItemToWaitFor {
	jobs: StartedJob[];
	expectedJobs?: number;
	error?: NodeError;
}

/** Keeps `state` and reads it back as `webhook()` will: whether this n8n keeps a waiting run's state. */
function keptIntact(ctx: IExecuteFunctions, state: ResumeState): boolean {
	keepState(ctx, state);
	return JSON.stringify(readState(ctx)) === JSON.stringify(state);
}

/**
 * Refuses, before anything is created, an n8n where the node's context does not come back through
 * an expression (how `webhook()` reads the run): the jobs' callbacks could never resume it.
 */
export function checkRunCanBeKept(ctx: IExecuteFunctions, target: CallbackTarget): void {
	if (keptIntact(ctx, { nonce: target.nonce, items: [] })) return;
	throw new NodeOperationError(ctx.getNode(), 'Wait Mode "Callback" cannot keep the run’s jobs on this n8n', {
		description:
			'Nothing was created. The node keeps the job IDs in its context and reads them back with the expression $node["<name>"].context, which this n8n did not return. Use Wait Mode "Polling".',
	});
}

/**
 * Keeps what the callbacks need and puts the execution to wait until `timeoutMs` from now. Returns
 * the queued jobs (and the items' errors) as the node's output while it waits; n8n replaces it when
 * the run resumes. One small item per job: n8n loads the saved execution again for every callback
 * (processing and final, for each job), so a 1,000-image run keeps it light.
 */
export async function sleepUntilCallbacks(
	ctx: IExecuteFunctions,
	target: CallbackTarget,
	items: ItemToWaitFor[],
	timeoutMs: number,
): Promise<ItemResult[]> {
	const state: ResumeState = { nonce: target.nonce, items: items.map(waitingItem) };
	if (!keptIntact(ctx, state)) {
		const allIds = state.items.flatMap((item) => item.jobIds);
		throw new NodeOperationError(ctx.getNode(), 'Could not keep the job IDs for the callbacks; the jobs were created', {
			description: `The node’s context did not keep them. The jobs run at Akool and are charged: fetch them with Get Result (job IDs: ${allIds.join(', ')}).`,
		});
	}
	await ctx.putExecutionToWait(new Date(Date.now() + timeoutMs));
	return items.map((item) => ({
		outputs: item.jobs.map((job, batchIndex) => ({
			json: { jobId: job.id, status: statusName(job.created?.image_status ?? 1), batchIndex },
		})),
		error: item.error,
	}));
}

function waitingItem({ jobs, expectedJobs, error }: ItemToWaitFor): WaitingItem {
	const item: WaitingItem = { jobIds: jobs.map((job) => job.id) };
	if (expectedJobs !== undefined && jobs.length < expectedJobs) item.expectedJobs = expectedJobs;
	if (error) item.error = errorFields(error);
	return item;
}
