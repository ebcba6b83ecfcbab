/** Turning checked parameters into requests for runImageJobs: shared by the operations that create jobs. */
import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import type { AkoolCreateRequest, AkoolCreatedJob } from '../../shared/akool/types';
import { mapConcurrently } from '../../shared/timing';
import { readConnection, type AkoolConnection } from '../../shared/transport/connection';
import { akoolApiError } from '../../shared/transport/errors';
import { invalidParameter } from '../../shared/validation';
import { callbackTarget, type CallbackTarget } from './callback/waitByCallback';
import type { NodeError } from './jobErrors';
import type { FailurePolicy, ItemResult, JobRequest, PlannedItem, StartedJob } from './jobs';
import { runImageJobs } from './runJobs';
import { readRunSettings, type RunSettings } from './runSettings';

/** What an operation's body reader may need of the run: its settings and Akool's connection. */
export interface CreateRun {
	settings: RunSettings;
	connection: AkoolConnection;
}

/** Reads and checks one item's create body; async where it must look at the item's files. */
export type CreateBodyReader = (
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: CreateRun,
) => AkoolCreateRequest | Promise<AkoolCreateRequest>;

/** The execute of an operation that creates images: every item's body read, then one run for all. */
export async function executeCreate(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	readBody: CreateBodyReader,
	policy: FailurePolicy,
): Promise<ItemResult[]> {
	const settings = readRunSettings(ctx, { creates: true });
	const callback = callbackFor(ctx, settings);
	const run: CreateRun = { settings, connection: await readConnection(ctx) };
	const requests = await planItems(
		items,
		async (itemIndex) => {
			const body = await readBody(ctx, itemIndex, run);
			body.webhookurl = callbackUrl(ctx.getNode(), itemIndex, body.webhookurl, callback);
			return createImagesRequest(ctx.getNode(), itemIndex, body);
		},
		settings.concurrency,
	);
	return await runImageJobs(ctx, requests, settings, { ...policy, callback, connection: run.connection });
}

/** Where Akool should call back, when this run waits by callback. */
export function callbackFor(ctx: IExecuteFunctions, settings: RunSettings): CallbackTarget | undefined {
	return settings.waitForCompletion && settings.waitMode === 'callback' ? callbackTarget(ctx) : undefined;
}

/** The webhook URL to send: the user's, or this execution's resume URL when waiting by callback. */
export function callbackUrl(
	node: INode,
	itemIndex: number,
	userUrl: string | undefined,
	callback: CallbackTarget | undefined,
): string | undefined {
	if (!callback) return userUrl;
	if (userUrl) {
		throw invalidParameter(
			node,
			itemIndex,
			'Webhook URL',
			'empty when Wait Mode is "Callback" (the node gives Akool its own resume URL)',
			userUrl,
		);
	}
	return callback.url;
}

/**
 * Plans every item (`concurrency` at a time, for plans that read files); an item whose parameters
 * fail the checks becomes an InvalidItem (no request).
 */
export async function planItems(
	items: INodeExecutionData[],
	plan: (itemIndex: number) => JobRequest | Promise<JobRequest>,
	concurrency = 1,
): Promise<PlannedItem[]> {
	return await mapConcurrently(items, concurrency, async (_, itemIndex) => {
		try {
			return await plan(itemIndex);
		} catch (error) {
			return { itemIndex, error: error as NodeError };
		}
	});
}

/** Akool's answer as started jobs; a "success" that names no job is an error (it may have charged). */
export function startedJobs(node: INode, jobs: AkoolCreatedJob[], itemIndex: number): StartedJob[] {
	if (jobs.length === 0) {
		throw akoolApiError(
			node,
			{
				message: 'Akool answered success (code 1000) but named no job ID',
				details: [
					'Akool may have created (and charged) the images: check the credit balance or Akool’s console before running this item again',
				],
			},
			itemIndex,
		);
	}
	return jobs.map((job) => ({ id: job._id, created: job }));
}

/** A create call for one item: paid, sent once. */
export function createImagesRequest(node: INode, itemIndex: number, body: AkoolCreateRequest): JobRequest {
	return {
		itemIndex,
		imagesOrdered: body.batch_quantity ?? 1,
		expectedJobs: body.batch_quantity ?? 1,
		start: async (client) => startedJobs(node, await client.createImages(body, itemIndex), itemIndex),
	};
}
