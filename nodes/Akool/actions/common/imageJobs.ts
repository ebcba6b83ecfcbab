/**
 * The data flow shared by every image operation, over ALL items of the run at once:
 *   start the items' jobs (concurrently, bounded) → wait for every job with one schedule →
 *   download finished images while others still run → one result per input item, in input order.
 * Operations only say how an item starts its jobs (create, button, or existing IDs).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callbackSecrets } from '../../callbacks/akoolCallback';
import {
	checkCallbackCapacity,
	sleepUntilCallbacks,
	type CallbackTarget,
} from '../../callbacks/waitByCallback';
import { appendDescription, tagError, type NodeError } from '../../jobs/errors';
import { waitForJobs } from '../../jobs/waitForJobs';
import { mapConcurrently } from '../../timing';
import { AkoolApi } from '../../transport/akoolApi';
import { AkoolTransport } from '../../transport/akoolRequest';
import type { AkoolCreatedJob } from '../../types';
import type { ItemResult } from '../node.type';
import { readConnection, type AkoolConnection } from './connection';
import { Downloader, itemResult, type WaitResult } from './itemResults';
import type { RunSettings } from './runSettings';

export interface StartedJob {
	id: string;
	/** What the create call answered, when this run created the job. */
	created?: AkoolCreatedJob;
}

/** What one valid input item asks for. */
export interface ItemJobRequest {
	itemIndex: number;
	/** Images this item would pay for (the spending guard counts them); 0 for existing jobs. */
	imagesOrdered: number;
	/** Jobs Akool should answer with; fewer is reported as the item's error. */
	expectedJobs?: number;
	/** Starts the item's jobs, or names existing ones. A paid call happens here, once. */
	start: (api: AkoolApi) => Promise<StartedJob[]>;
}

/** An item whose parameters failed the checks: it makes no request. */
export interface InvalidItem {
	itemIndex: number;
	error: NodeError;
}

interface Started {
	jobs: StartedJob[];
	/** Local clock when the start call answered: the jobs' age counts from here. */
	at: number;
	error?: NodeError;
}

export interface RunContext {
	/** Set when the run waits by callback. */
	callback?: CallbackTarget;
	/** The connection, when the operation already read it. */
	connection?: AkoolConnection;
}

export async function runImageJobs(
	ctx: IExecuteFunctions,
	requests: Array<ItemJobRequest | InvalidItem>,
	settings: RunSettings,
	{ callback, connection: readBefore }: RunContext = {},
): Promise<ItemResult[]> {
	const continueOnFail = ctx.continueOnFail();
	const firstInvalid = requests.find(isInvalid);
	if (firstInvalid && !continueOnFail) throw firstInvalid.error;
	const valid = requests.filter((request): request is ItemJobRequest => !isInvalid(request));
	guardSpending(ctx, valid, settings);
	if (callback) {
		checkCallbackCapacity(ctx, valid.reduce((sum, request) => sum + (request.expectedJobs ?? 1), 0));
		// Callbacks that could not be verified would never resume the run: say so before any create.
		await callbackSecrets(ctx);
	}

	const signal = ctx.getExecutionCancelSignal();
	const connection = readBefore ?? (await readConnection(ctx));
	const api = new AkoolApi(
		new AkoolTransport(ctx, { ...connection, requestTimeoutMs: settings.requestTimeoutMs, signal }),
	);

	const started = await startAll(api, valid, settings.concurrency, continueOnFail);
	logCreatedJobs(ctx, valid, started);
	if (!continueOnFail) throwFirstStartError(valid, started);
	// By callback only when every item's jobs exist: a resumed run could not report the others' errors.
	const allStarted =
		valid.length === requests.length &&
		started.every((start, index) => !start.error && start.jobs.length >= (valid[index].expectedJobs ?? 0));
	if (callback && settings.waitForCompletion && allStarted) {
		const waiting = valid.map((request, index) => ({ itemIndex: request.itemIndex, jobs: started[index].jobs }));
		return await sleepUntilCallbacks(ctx, callback, waiting, requests.length, settings.timeoutMs);
	}

	const outcomes = settings.waitForCompletion ? await waitAndDownload(ctx, api, valid, started, settings, signal) : undefined;

	const results = new Map<number, ItemResult>();
	for (const invalid of requests.filter(isInvalid)) results.set(invalid.itemIndex, { outputs: [], error: invalid.error });
	valid.forEach((request, index) => {
		const { jobs, error } = started[index];
		const item = { itemIndex: request.itemIndex, jobs, expectedJobs: request.expectedJobs, error };
		results.set(request.itemIndex, itemResult(ctx.getNode(), item, outcomes, settings));
	});
	if (!continueOnFail) throwFirstItemError(requests, results);
	return requests.map((request) => results.get(request.itemIndex) as ItemResult);
}

/**
 * The paid jobs, in the worker's log: if the process dies while waiting, n8n keeps none of the node's
 * data, and this line is how a user finds what to fetch with Get Result.
 */
function logCreatedJobs(ctx: IExecuteFunctions, requests: ItemJobRequest[], started: Started[]): void {
	const created = started
		.map((start, index) => ({ item: requests[index].itemIndex, ids: start.jobs.filter((job) => job.created).map((job) => job.id) }))
		.filter(({ ids }) => ids.length > 0);
	if (created.length === 0) return;
	ctx.logger.info(
		`Akool jobs created (charged) in execution ${ctx.getExecutionId()}: ${created.map(({ item, ids }) => `item ${item}: ${ids.join(', ')}`).join('; ')}`,
	);
}

function isInvalid(request: ItemJobRequest | InvalidItem): request is InvalidItem {
	return 'error' in request;
}

/** Refuses, before any create, a run that would order more images than Max Images per Run. */
function guardSpending(ctx: IExecuteFunctions, requests: ItemJobRequest[], settings: RunSettings): void {
	const ordered = requests.reduce((sum, request) => sum + request.imagesOrdered, 0);
	if (settings.maxImagesPerRun > 0 && ordered > settings.maxImagesPerRun) {
		throw new NodeOperationError(
			ctx.getNode(),
			`This run would order ${ordered} images, more than Max Images per Run (${settings.maxImagesPerRun})`,
			{
				description:
					'Nothing was created. Raise the option "Max Images per Run" (0 = no limit) if this many images is intended, or send fewer items.',
			},
		);
	}
}

/**
 * Starts every item's jobs, `concurrency` at a time. Without Continue On Fail the run is lost at the
 * first failure, so no NEW paid call is started after one; calls already under way finish.
 */
async function startAll(
	api: AkoolApi,
	requests: ItemJobRequest[],
	concurrency: number,
	continueOnFail: boolean,
): Promise<Started[]> {
	let stopped = false;
	return await mapConcurrently(requests, concurrency, async (request): Promise<Started> => {
		if (stopped) return { jobs: [], at: Date.now() };
		try {
			const jobs = await request.start(api);
			return { jobs, at: Date.now() };
		} catch (error) {
			if (!continueOnFail) stopped = true;
			return { jobs: [], at: Date.now(), error: error as NodeError };
		}
	});
}

function throwFirstStartError(requests: ItemJobRequest[], started: Started[]): void {
	const failedAt = started.findIndex((start) => start.error);
	if (failedAt < 0) return;
	const error = started[failedAt].error as NodeError;
	const otherJobs = started.flatMap((start) => start.jobs.map((job) => job.id));
	error.context.itemIndex = requests[failedAt].itemIndex;
	if (otherJobs.length) {
		appendDescription(
			error,
			`Other items' jobs were already created and are charged: fetch them with Get Result (job IDs: ${otherJobs.join(', ')})`,
		);
		tagError(error, { jobIds: otherJobs });
	}
	throw error;
}

async function waitAndDownload(
	ctx: IExecuteFunctions,
	api: AkoolApi,
	requests: ItemJobRequest[],
	started: Started[],
	settings: RunSettings,
	signal: AbortSignal | undefined,
): Promise<WaitResult> {
	const downloader = new Downloader(ctx, settings, signal);
	const itemOfJob = new Map<string, number>();
	const jobs = started.flatMap((start, index) =>
		start.jobs.map((job) => {
			itemOfJob.set(job.id, requests[index].itemIndex);
			// A job this run did not create (Get Result) may be long finished: read it at once.
			return { id: job.id, createdAt: start.at, readAtOnce: !job.created };
		}),
	);
	const outcomes = await waitForJobs(api, jobs, { ...settings, signal }, (jobId, outcome) =>
		downloader.start(jobId, outcome, itemOfJob.get(jobId) ?? 0),
	);
	return { jobs: outcomes, downloads: await downloader.finished() };
}

function throwFirstItemError(requests: Array<ItemJobRequest | InvalidItem>, results: Map<number, ItemResult>): void {
	const failing = requests.map((request) => results.get(request.itemIndex)).find((result) => result?.error);
	if (!failing?.error) return;
	const others = [...results.values()].filter((result) => result !== failing);
	const finished = others.flatMap((result) => result.outputs.map((output) => String(output.json.jobId)));
	const own = new Set((failing.error.context.jobIds as string[] | undefined) ?? []);
	const unfinished = others
		.flatMap((result) => (result.error?.context.jobIds as string[] | undefined) ?? [])
		.filter((id) => !own.has(id) && !finished.includes(id));
	if (finished.length) {
		appendDescription(
			failing.error,
			`These jobs of the run finished and are charged: fetch them with Get Result (job IDs: ${finished.join(', ')})`,
		);
	}
	if (unfinished.length) {
		appendDescription(
			failing.error,
			`Other items' jobs did not finish in this run but are charged: fetch them later with Get Result (job IDs: ${unfinished.join(', ')})`,
		);
	}
	throw failing.error;
}
