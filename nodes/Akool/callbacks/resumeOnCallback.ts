/**
 * Waiting by callback, the webhook() half. n8n calls it for every POST to this execution's resume
 * URL while the node waits (in the main or webhook process). It answers without resuming unless the
 * callback is genuine, for this run, final, and every job of the run is final: then it reads the
 * other jobs once, downloads the images, and resumes the execution with the same items polling
 * would have output. A failed job becomes an error item: the run cannot be failed from here.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { Downloader, itemResult } from '../actions/common/itemResults';
import { readRunSettingsInWebhook, type RunSettings } from '../actions/common/runSettings';
import { connectionOf } from '../actions/common/connection';
import { errorJson } from '../actions/router';
import { finalOutcome, type JobOutcome } from '../jobs/waitForJobs';
import { mapConcurrently } from '../timing';
import { AkoolApi } from '../transport/akoolApi';
import { AkoolTransport, CREDENTIAL_TYPE } from '../transport/akoolRequest';
import type { AkoolJobResult } from '../types';
import { secretsOf, verifyCallback, type AkoolCallbackData } from './akoolCallback';
import { forgetRun, knownFinalJobs, markResumed, oneAtATime } from './finalJobsMemo';
import { customDataOf, readState } from './resumeState';

function acknowledge(message: string): IWebhookResponseData {
	// 200: Akool must not retry a callback that was understood, even one that does not resume.
	return { webhookResponse: { message } };
}

/**
 * The final state a callback itself reports, when it says enough: a completed job without URL (Akool
 * can show the URL a moment later) is read like any other job.
 */
function outcomeOfCallback(data: AkoolCallbackData): JobOutcome | undefined {
	const result: AkoolJobResult = { _id: data._id, image_status: data.status, image: data.url ?? '' };
	if (data.status === 4) return { state: 'failed', result };
	return data.url ? { state: 'completed', result, imageUrl: data.url } : undefined;
}

export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const node = this.getNode();
	const state = readState(node.id, customDataOf(this));
	if (!state) return acknowledge('ignored: this node is not waiting for Akool');
	if ((this.getQueryData() as IDataObject).n !== state.nonce) return acknowledge('ignored: not for this run');
	// One read of the credential serves the verification and the reads below (n8n reads its database each time).
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const verdict = verifyCallback(this.getBodyData(), secretsOf(node, credentials));
	if (!verdict.ok) {
		this.getResponseObject().status(verdict.status).json({ message: `rejected: ${verdict.reason}` });
		return { noWebhookResponse: true };
	}
	const { data } = verdict;
	const jobIds = state.jobsPerItem.flat();
	if (data.status !== 3 && data.status !== 4) return acknowledge('ok: not final yet');
	if (!jobIds.includes(data._id)) return acknowledge('ignored: not a job of this run');

	const settings = readRunSettingsInWebhook(this);
	const connection = connectionOf(node, credentials);
	const api = new AkoolApi(new AkoolTransport(this, { ...connection, requestTimeoutMs: settings.requestTimeoutMs }));
	const runKey = `${this.getExecutionId()}:${node.id}:${state.nonce}`;
	return await oneAtATime(runKey, async (alreadyResumed) => {
		if (alreadyResumed) return acknowledge('ok: already resumed');
		try {
			return await checkAndResume(this, { data, jobIds, jobsPerItem: state.jobsPerItem, runKey, api, settings });
		} catch (error) {
			// Thrown from webhook(), the error would END the waiting execution (n8n 2.41.1 resumes it
			// with the error and drops its run data). Answer non-200 instead: Akool calls again.
			this.logger.warn(`Akool callback: could not check the run's jobs, Akool will call again: ${(error as Error).message}`);
			this.getResponseObject().status(503).json({ message: 'retry: the run’s jobs could not be checked' });
			return { noWebhookResponse: true };
		}
	});
}

async function checkAndResume(
	ctx: IWebhookFunctions,
	{
		data,
		jobIds,
		jobsPerItem,
		runKey,
		api,
		settings,
	}: {
		data: AkoolCallbackData;
		jobIds: string[];
		jobsPerItem: string[][];
		runKey: string;
		api: AkoolApi;
		settings: RunSettings;
	},
): Promise<IWebhookResponseData> {
	const outcomes = knownFinalJobs(runKey);
	const reported = outcomeOfCallback(data);
	// A job an earlier check already read keeps that read: it has what the output needs.
	if (reported && !outcomes.has(data._id)) outcomes.set(data._id, reported);
	const unfinished = await firstUnfinished(api, outcomes, jobIds, data._id);
	if (unfinished !== undefined) {
		if (unfinished !== data._id) return acknowledge(`ok: job ${unfinished} is still running`);
		// Completed, but no URL yet: not 200, so that Akool calls again.
		ctx.getResponseObject().status(503).json({ message: 'retry: the image URL is not available yet' });
		return { noWebhookResponse: true };
	}
	// Jobs known only from their callback (never read: no create_time): one read each, so that
	// the items carry what polling gives (prompt, model, credits, dates); as many at once as polling.
	const reportedOnly = jobIds.filter((id) => {
		const outcome = outcomes.get(id);
		return outcome?.state === 'completed' && outcome.result.create_time === undefined;
	});
	await mapConcurrently(reportedOnly, settings.concurrency, async (id) => {
		const outcome = finalOutcome(await api.getResult(id));
		if (outcome) outcomes.set(id, outcome);
	});
	forgetRun(runKey);
	markResumed(runKey);
	return await resumeWith(ctx, jobsPerItem, outcomes, settings);
}

/**
 * Reads the jobs not known final yet, the callback's own job first, one at a time, and stops at the
 * first unfinished one (its own final callback will come and check again): while the batch runs a
 * callback costs one read. Returns the unfinished job, if any.
 */
async function firstUnfinished(api: AkoolApi, outcomes: Map<string, JobOutcome>, jobIds: string[], ownJobId: string) {
	const unknown = jobIds.filter((id) => !outcomes.has(id)).sort((a, b) => Number(b === ownJobId) - Number(a === ownJobId));
	for (const jobId of unknown) {
		const outcome = finalOutcome(await api.getResult(jobId));
		if (!outcome) return jobId;
		outcomes.set(jobId, outcome);
	}
	return undefined;
}

async function resumeWith(
	ctx: IWebhookFunctions,
	jobsPerItem: string[][],
	outcomes: Map<string, JobOutcome>,
	settings: RunSettings,
): Promise<IWebhookResponseData> {
	const node = ctx.getNode();
	const downloader = new Downloader(ctx, settings);
	jobsPerItem.forEach((ids, itemIndex) =>
		ids.forEach((id) => downloader.start(id, outcomes.get(id) as JobOutcome, itemIndex)),
	);
	const waited = { jobs: outcomes, downloads: await downloader.finished() };
	const items: INodeExecutionData[] = [];
	jobsPerItem.forEach((ids, itemIndex) => {
		const result = itemResult(node, { itemIndex, jobs: ids.map((id) => ({ id })) }, waited, settings);
		const pairedItem = { item: itemIndex };
		items.push(...result.outputs.map((output) => ({ ...output, pairedItem })));
		if (result.error) items.push({ json: errorJson(result.error), pairedItem });
	});
	return { webhookResponse: { message: 'resumed' }, workflowData: [items] };
}
