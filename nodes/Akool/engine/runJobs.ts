/**
 * The data flow shared by every image operation, over ALL items of the run at once:
 *   start the items' jobs (concurrently, bounded) → wait for every job with one schedule →
 *   download finished images while others still run → one result per input item, in input order.
 * Operations only say how an item starts its jobs (create, button, or existing IDs).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callbackSecrets } from '../../shared/akool/callbackCrypto';
import {
	checkRunCanBeKept,
	sleepUntilCallbacks,
	type CallbackTarget,
	type ItemToWaitFor,
} from './callback/waitByCallback';
import { appendDescription, tagError, type NodeError } from './jobErrors';
import { waitForJobs } from './polling/waitForJobs';
import { mapConcurrently } from '../../shared/timing';
import { AkoolClient } from '../../shared/transport/akoolClient';
import { AkoolTransport } from '../../shared/transport/akoolRequest';
import { RequestSlots } from '../../shared/transport/requestSlots';
import { isInvalid, type FailurePolicy, type ItemResult, type JobRequest, type PlannedItem, type StartedItem } from './jobs';
import { readConnection, type AkoolConnection } from '../../shared/transport/connection';
import { Downloader, itemResult, type WaitResult } from './itemResults';
import type { RunSettings } from './runSettings';

interface Started extends StartedItem {
	/** Local clock when the start call answered: the jobs' age counts from here. */
	startedAt: number;
}

export interface RunContext extends FailurePolicy {
	/** Set when the run waits by callback. */
	callback?: CallbackTarget;
	/** The connection, when the operation already read it. */
	connection?: AkoolConnection;
}

/**
 * One result per planned item, in input order. Item failures are results, never thrown: the router
 * decides what they become. A failure of the whole run (spending guard, callback checks) is thrown.
 */
export async function runImageJobs(
	ctx: IExecuteFunctions,
	planned: PlannedItem[],
	settings: RunSettings,
	{ callback, connection: readBefore, stopAtFirstError }: RunContext,
): Promise<ItemResult[]> {
	const results = new Map<number, ItemResult>();
	for (const invalid of planned.filter(isInvalid)) results.set(invalid.itemIndex, { outputs: [], error: invalid.error });
	const inOrder = () => planned.map((item) => results.get(item.itemIndex) ?? { outputs: [] });
	if (stopAtFirstError && results.size > 0) return inOrder();
	const requests = planned.filter((item): item is JobRequest => !isInvalid(item));
	guardSpending(ctx, requests, settings);
	if (callback) {
		// Callbacks that could not be verified, or a run that could not be read back, would never
		// resume: say so before any create.
		await callbackSecrets(ctx);
		checkRunCanBeKept(ctx, callback);
	}

	const signal = ctx.getExecutionCancelSignal();
	const connection = readBefore ?? (await readConnection(ctx));
	// One bound (Concurrency) over every request of the run: creates, result reads and downloads.
	const run = { slots: new RequestSlots(settings.concurrency), signal };
	const client = new AkoolClient(new AkoolTransport(ctx, { ...connection, requestTimeoutMs: settings.requestTimeoutMs, ...run }));

	const started = await startAll(client, requests, settings.concurrency, stopAtFirstError);
	logCreatedJobs(ctx, started);
	const startFailure = started.find((item) => item.error);
	if (stopAtFirstError && startFailure) {
		results.set(startFailure.itemIndex, { outputs: [], error: withOtherCreatedJobs(startFailure, started) });
		return inOrder();
	}
	// Every job made was given the resume URL: wait for them, whatever became of the other items
	// (their errors are kept for the resumed run), so that no callback calls an execution that ended.
	if (callback && started.some((item) => item.jobs.length > 0)) {
		return await sleepUntilCallbacks(ctx, callback, itemsToWaitFor(planned, started), settings.timeoutMs);
	}

	const outcomes = settings.waitForCompletion ? await waitAndDownload(ctx, client, started, settings, run) : undefined;
	for (const item of started) results.set(item.itemIndex, itemResult(ctx.getNode(), item, outcomes, settings));
	const ordered = inOrder();
	if (stopAtFirstError) nameOtherChargedJobs(ordered);
	return ordered;
}

/** Every planned item, in input order, as the wait keeps it: its jobs, or the reason it has none. */
function itemsToWaitFor(planned: PlannedItem[], started: Started[]): ItemToWaitFor[] {
	const startedByIndex = new Map(started.map((item) => [item.itemIndex, item]));
	return planned.map((item) => (isInvalid(item) ? { jobs: [], error: item.error } : (startedByIndex.get(item.itemIndex) ?? { jobs: [] })));
}

/**
 * The paid jobs, in the worker's log: if the process dies while waiting, n8n keeps none of the node's
 * data, and this line is how a user finds what to fetch with Get Result.
 */
function logCreatedJobs(ctx: IExecuteFunctions, started: Started[]): void {
	const created = started
		.map((item) => ({ item: item.itemIndex, ids: item.jobs.filter((job) => job.created).map((job) => job.id) }))
		.filter(({ ids }) => ids.length > 0);
	if (created.length === 0) return;
	ctx.logger.info(
		`Akool jobs created (charged) in execution ${ctx.getExecutionId()}: ${created.map(({ item, ids }) => `item ${item}: ${ids.join(', ')}`).join('; ')}`,
	);
}

/** Refuses, before any create, a run that would order more images than Max Images per Run. */
function guardSpending(ctx: IExecuteFunctions, requests: JobRequest[], settings: RunSettings): void {
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
 * Starts every item's jobs, `concurrency` at a time. When the run stops at its first error, no NEW
 * paid call is started after one; calls already under way finish.
 */
async function startAll(
	client: AkoolClient,
	requests: JobRequest[],
	concurrency: number,
	stopAtFirstError: boolean,
): Promise<Started[]> {
	let stopped = false;
	return await mapConcurrently(requests, concurrency, async (request): Promise<Started> => {
		const item = { itemIndex: request.itemIndex, expectedJobs: request.expectedJobs, jobs: [] };
		if (stopped) return { ...item, startedAt: Date.now() };
		try {
			return { ...item, jobs: await request.start(client), startedAt: Date.now() };
		} catch (error) {
			if (stopAtFirstError) stopped = true;
			return { ...item, startedAt: Date.now(), error: error as NodeError };
		}
	});
}

/** The first start error, naming the jobs other items already created (they are charged). */
function withOtherCreatedJobs(failed: Started, started: Started[]): NodeError {
	const error = failed.error as NodeError;
	const otherJobs = started.flatMap((item) => item.jobs.map((job) => job.id));
	error.context.itemIndex = failed.itemIndex;
	if (otherJobs.length) {
		appendDescription(
			error,
			`Other items' jobs were already created and are charged: fetch them with Get Result (job IDs: ${otherJobs.join(', ')})`,
		);
		tagError(error, { jobIds: otherJobs });
	}
	return error;
}

async function waitAndDownload(
	ctx: IExecuteFunctions,
	client: AkoolClient,
	started: Started[],
	settings: RunSettings,
	run: { slots: RequestSlots; signal?: AbortSignal },
): Promise<WaitResult> {
	const downloader = new Downloader(ctx, settings, run);
	const itemOfJob = new Map<string, number>();
	const jobs = started.flatMap((item) =>
		item.jobs.map((job) => {
			itemOfJob.set(job.id, item.itemIndex);
			// A job this run did not create (Get Result) may be long finished: read it at once.
			return { id: job.id, createdAt: item.startedAt, readAtOnce: !job.created };
		}),
	);
	const outcomes = await waitForJobs(client, jobs, { ...settings, signal: run.signal }, (jobId, outcome) =>
		downloader.start(jobId, outcome, itemOfJob.get(jobId) ?? 0),
	);
	return { jobs: outcomes, downloads: await downloader.finished() };
}

/** The first item error (the one the router throws) names the run's other charged jobs, for Get Result. */
function nameOtherChargedJobs(results: ItemResult[]): void {
	const failing = results.find((result) => result.error);
	if (!failing?.error) return;
	const others = results.filter((result) => result !== failing);
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
}
