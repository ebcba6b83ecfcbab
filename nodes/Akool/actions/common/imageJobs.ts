/**
 * The data flow shared by every image operation, over ALL items of the run at once:
 *   start the items' jobs (concurrently, bounded) → wait for every job with one schedule →
 *   download finished images while others still run → one result per input item, in input order.
 * Operations only say how an item starts its jobs (create, button, or existing IDs).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { appendDescription, jobProblem, shortfallError, tagError, type NodeError } from '../../jobs/errors';
import { waitForJobs, type JobOutcome } from '../../jobs/waitForJobs';
import { toImageItem } from '../../output';
import { mapConcurrently } from '../../timing';
import { AkoolApi } from '../../transport/akoolApi';
import { AkoolTransport } from '../../transport/akoolRequest';
import { downloadImage } from '../../transport/download';
import type { AkoolCreatedJob } from '../../types';
import type { ItemResult } from '../node.type';
import { readConnection } from './connection';
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

export async function runImageJobs(
	ctx: IExecuteFunctions,
	requests: Array<ItemJobRequest | InvalidItem>,
	settings: RunSettings,
): Promise<ItemResult[]> {
	const continueOnFail = ctx.continueOnFail();
	const firstInvalid = requests.find(isInvalid);
	if (firstInvalid && !continueOnFail) throw firstInvalid.error;
	const valid = requests.filter((request): request is ItemJobRequest => !isInvalid(request));
	guardSpending(ctx, valid, settings);

	const signal = ctx.getExecutionCancelSignal();
	const connection = await readConnection(ctx);
	const api = new AkoolApi(
		new AkoolTransport(ctx, { baseUrl: connection.baseUrl, requestTimeoutMs: settings.requestTimeoutMs, signal }),
	);

	const started = await startAll(api, valid, settings.concurrency, continueOnFail);
	if (!continueOnFail) throwFirstStartError(valid, started);

	const outcomes = settings.waitForCompletion ? await waitAndDownload(ctx, api, valid, started, settings, signal) : undefined;

	const results = new Map<number, ItemResult>();
	for (const invalid of requests.filter(isInvalid)) results.set(invalid.itemIndex, { outputs: [], error: invalid.error });
	valid.forEach((request, index) => {
		results.set(request.itemIndex, assemble(ctx, request, started[index], outcomes, settings));
	});
	if (!continueOnFail) throwFirstItemError(requests, results);
	return requests.map((request) => results.get(request.itemIndex) as ItemResult);
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

interface Downloaded {
	binary?: Awaited<ReturnType<typeof downloadImage>>;
	error?: NodeError;
}

interface WaitResult {
	jobs: Map<string, JobOutcome>;
	downloads: Map<string, Downloaded>;
}

async function waitAndDownload(
	ctx: IExecuteFunctions,
	api: AkoolApi,
	requests: ItemJobRequest[],
	started: Started[],
	settings: RunSettings,
	signal: AbortSignal | undefined,
): Promise<WaitResult> {
	const itemOfJob = new Map<string, number>();
	const jobs = started.flatMap((start, index) =>
		start.jobs.map((job) => {
			itemOfJob.set(job.id, requests[index].itemIndex);
			// A job this run did not create (Get Result) may be long finished: read it at once.
			return { id: job.id, createdAt: start.at, readAtOnce: !job.created };
		}),
	);
	const downloads = new Map<string, Downloaded>();
	const pendingDownloads: Array<Promise<void>> = [];
	const limiter = new Limiter(settings.concurrency);
	const onFinished = (jobId: string, outcome: JobOutcome) => {
		if (!settings.downloadImage || outcome.state !== 'completed') return;
		pendingDownloads.push(
			limiter.run(async () => {
				try {
					const binary = await downloadImage(
						ctx,
						{ url: outcome.imageUrl, jobId, itemIndex: itemOfJob.get(jobId) ?? 0 },
						{ maxBytes: settings.maxImageBytes, timeoutMs: settings.requestTimeoutMs, signal },
					);
					downloads.set(jobId, { binary });
				} catch (error) {
					downloads.set(jobId, { error: error as NodeError });
				}
			}),
		);
	};
	const outcomes = await waitForJobs(api, jobs, { ...settings, signal }, onFinished);
	await Promise.all(pendingDownloads);
	return { jobs: outcomes, downloads };
}

/** One item's output items (one per finished image) and its error, if any. */
function assemble(
	ctx: IExecuteFunctions,
	request: ItemJobRequest,
	started: Started,
	waited: WaitResult | undefined,
	settings: RunSettings,
): ItemResult {
	const node = ctx.getNode();
	const outputs: INodeExecutionData[] = [];
	const itemOutcomes: Array<[string, JobOutcome]> = [];
	let downloadError: NodeError | undefined;
	started.jobs.forEach((job, batchIndex) => {
		const outcome = waited?.jobs.get(job.id);
		if (waited && outcome?.state !== 'completed') {
			if (outcome) itemOutcomes.push([job.id, outcome]);
			return;
		}
		const latest = outcome?.state === 'completed' ? outcome.result : undefined;
		const output: INodeExecutionData = { json: toImageItem(job.id, batchIndex, job.created, latest) };
		const download = waited?.downloads.get(job.id);
		if (download?.binary) output.binary = { [settings.binaryPropertyName]: download.binary };
		if (download?.error) {
			downloadError ??= tagError(download.error, { jobIds: [job.id] });
			return;
		}
		outputs.push(output);
	});
	const shortfall =
		request.expectedJobs !== undefined && started.jobs.length < request.expectedJobs && !started.error
			? shortfallError(node, request.itemIndex, started.jobs.map((job) => job.id), request.expectedJobs)
			: undefined;
	const error =
		started.error ??
		jobProblem(node, request.itemIndex, itemOutcomes, settings.timeoutMs) ??
		downloadError ??
		shortfall;
	if (error) error.context.itemIndex = request.itemIndex;
	return { outputs, error };
}

function throwFirstItemError(requests: Array<ItemJobRequest | InvalidItem>, results: Map<number, ItemResult>): void {
	const failing = requests.map((request) => results.get(request.itemIndex)).find((result) => result?.error);
	if (!failing?.error) return;
	const finished = [...results.values()].flatMap((result) =>
		result.outputs.map((output) => String(output.json.jobId)),
	);
	if (finished.length) {
		appendDescription(
			failing.error,
			`These jobs of the run finished and are charged: fetch them with Get Result (job IDs: ${finished.join(', ')})`,
		);
	}
	throw failing.error;
}

/** A counting semaphore: at most `limit` tasks at once, in the order they were queued. */
class Limiter {
	private running = 0;

	private readonly queue: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
		this.running++;
		try {
			return await task();
		} finally {
			this.running--;
			this.queue.shift()?.();
		}
	}
}
