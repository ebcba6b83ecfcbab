/**
 * From jobs and what became of them to n8n items: one output item per finished image, in batch
 * order, with its downloaded file; the item's error when a job failed, timed out, could not be read
 * or downloaded. Shared by waiting by polling and by callback.
 */
import type { IBinaryData, INode, INodeExecutionData } from 'n8n-workflow';

import { jobProblem, shortfallError, tagError, type NodeError } from './jobErrors';
import type { JobOutcome } from './polling/waitForJobs';
import { toImageItem } from './output';
import { downloadImage, type DownloadContext } from '../../shared/transport/download';
import type { RequestSlots } from '../../shared/transport/requestSlots';
import type { ItemResult, StartedItem, StartedJob } from './jobs';
import type { RunSettings } from './runSettings';

export interface Downloaded {
	binary?: IBinaryData;
	error?: NodeError;
}

export interface WaitResult {
	jobs: Map<string, JobOutcome>;
	downloads: Map<string, Downloaded>;
}

/** One item's output items (one per finished image) and its error, if any. */
export function itemResult(
	node: INode,
	item: StartedItem,
	waited: WaitResult | undefined,
	settings: Pick<RunSettings, 'binaryPropertyName' | 'timeoutMs'>,
): ItemResult {
	const outputs: INodeExecutionData[] = [];
	const itemOutcomes: Array<[string, JobOutcome]> = [];
	let downloadError: NodeError | undefined;
	item.jobs.forEach((job, batchIndex) => {
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
		item.expectedJobs !== undefined && item.jobs.length < item.expectedJobs && !item.error
			? shortfallError(node, item.itemIndex, item.jobs.map((job) => job.id), item.expectedJobs)
			: undefined;
	const error =
		item.error ??
		jobProblem(node, item.itemIndex, itemOutcomes, settings.timeoutMs, sourceImageOf(item.jobs, itemOutcomes)) ??
		downloadError ??
		shortfall;
	if (error) error.context.itemIndex = item.itemIndex;
	return { outputs, error };
}

/** The source image URL of an item's jobs, as Akool echoes it (create answer or result), if any. */
function sourceImageOf(jobs: StartedJob[], outcomes: Array<[string, JobOutcome]>): string | undefined {
	const seen = [
		...jobs.map((job) => job.created?.source_image),
		...outcomes.map(([, outcome]) => ('result' in outcome ? outcome.result?.source_image : undefined)),
	];
	return seen.find((url): url is string => typeof url === 'string' && url !== '');
}

/**
 * Downloads finished images as soon as they are known, each in one of the run's request slots (the
 * Concurrency bound its Akool calls share), held for the download and its short retries; a failed
 * download is kept as that job's error, never thrown.
 */
export class Downloader {
	private readonly downloads = new Map<string, Downloaded>();

	private readonly pending: Array<Promise<void>> = [];

	constructor(
		private readonly ctx: DownloadContext,
		private readonly settings: Pick<RunSettings, 'downloadImage' | 'maxImageBytes' | 'requestTimeoutMs'>,
		private readonly run: { slots: RequestSlots; signal?: AbortSignal },
	) {}

	start(jobId: string, outcome: JobOutcome, itemIndex: number): void {
		if (!this.settings.downloadImage || outcome.state !== 'completed') return;
		const { maxImageBytes: maxBytes, requestTimeoutMs: timeoutMs } = this.settings;
		const download = async () => {
			try {
				const binary = await downloadImage(
					this.ctx,
					{ url: outcome.imageUrl, jobId, itemIndex },
					{ maxBytes, timeoutMs, signal: this.run.signal },
				);
				this.downloads.set(jobId, { binary });
			} catch (error) {
				this.downloads.set(jobId, { error: error as NodeError });
			}
		};
		this.pending.push(this.run.slots.run(download));
	}

	async finished(): Promise<Map<string, Downloaded>> {
		await Promise.all(this.pending);
		return this.downloads;
	}
}
