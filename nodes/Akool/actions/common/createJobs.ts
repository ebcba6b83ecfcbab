/** Turning checked parameters into requests for runImageJobs: shared by the creating operations. */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import type { NodeError } from '../../jobs/errors';
import { akoolApiError } from '../../transport/errors';
import type { AkoolCreateRequest, AkoolCreatedJob } from '../../types';
import { callbackTarget, type CallbackTarget } from '../../callbacks/waitByCallback';
import { invalidParameter, MAX_IMAGES_PER_CREATE, ParameterChecker, RESOLUTIONS } from '../../validation';
import type { ItemResult } from '../node.type';
import { mapConcurrently } from '../../timing';
import { readConnection, type AkoolConnection } from './connection';
import { runImageJobs, type InvalidItem, type ItemJobRequest, type StartedJob } from './imageJobs';
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

/**
 * The create fields Generate and Transform share, checked and mapped to Akool's names
 * (aspectRatio → scale, numberOfImages → batch_quantity, ...).
 */
export function readCreateFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ ratios, model }: { ratios: readonly string[]; model: string },
): AkoolCreateRequest {
	const check = new ParameterChecker(ctx.getNode(), itemIndex);
	const parameter = (name: string) => ctx.getNodeParameter(name, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const modelName = check.oneOf('Model', options.model ?? 'auto', ['auto', model]);
	const body: AkoolCreateRequest = {
		prompt: check.text('Prompt', parameter('prompt'), { required: true }),
		scale: check.oneOf('Aspect Ratio', parameter('aspectRatio'), ratios),
		resolution: check.oneOf('Resolution', parameter('resolution'), RESOLUTIONS),
		batch_quantity: check.integer('Number of Images', parameter('numberOfImages'), 1, MAX_IMAGES_PER_CREATE),
	};
	const negativePrompt = check.text('Negative Prompt', options.negativePrompt, { required: false });
	const webhookUrl = check.httpUrl('Webhook URL', options.webhookUrl, { required: false });
	if (modelName !== 'auto') body.model_name = modelName;
	if (negativePrompt) body.negative_prompt = negativePrompt;
	if (webhookUrl) body.webhookurl = webhookUrl;
	return body;
}

/** The execute of an operation that creates images: every item's body read, then one run for all. */
export async function executeCreate(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	readBody: CreateBodyReader,
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
	return await runImageJobs(ctx, requests, settings, { callback, connection: run.connection });
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
	plan: (itemIndex: number) => ItemJobRequest | Promise<ItemJobRequest>,
	concurrency = 1,
): Promise<Array<ItemJobRequest | InvalidItem>> {
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
export function createImagesRequest(node: INode, itemIndex: number, body: AkoolCreateRequest): ItemJobRequest {
	return {
		itemIndex,
		imagesOrdered: body.batch_quantity,
		expectedJobs: body.batch_quantity,
		start: async (api) => startedJobs(node, await api.createImages(body, itemIndex), itemIndex),
	};
}
