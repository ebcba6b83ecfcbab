/**
 * Waiting by callback, the webhook() half. n8n calls it for every POST to this execution's resume
 * URL while the node waits (in the main or webhook process). It answers without resuming unless the
 * callback is genuine, for this run, final, and every job of the run is final: then it reads the
 * other jobs once, downloads the images, and resumes the execution with the same items polling
 * would have output. A failed job becomes an error item: the run cannot be failed from here.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { Downloader, itemResult } from '../actions/common/itemResults';
import { readRunSettingsInWebhook } from '../actions/common/runSettings';
import { readConnection } from '../actions/common/connection';
import { errorJson } from '../actions/router';
import { finalOutcome, type JobOutcome } from '../jobs/waitForJobs';
import { AkoolApi } from '../transport/akoolApi';
import { AkoolTransport } from '../transport/akoolRequest';
import type { AkoolJobResult } from '../types';
import { callbackSecrets, verifyCallback, type AkoolCallbackData } from './akoolCallback';
import { forgetRun, knownFinalJobs } from './finalJobsMemo';
import { readState } from './resumeState';

function acknowledge(message: string): IWebhookResponseData {
	// 200: Akool must not retry a callback that was understood, even one that does not resume.
	return { webhookResponse: { message } };
}

/** The final state a callback itself reports: no read is needed for that job. */
function outcomeOfCallback(data: AkoolCallbackData): JobOutcome {
	const result: AkoolJobResult = { _id: data._id, image_status: data.status, image: data.url ?? '' };
	return data.status === 3 && data.url ? { state: 'completed', result, imageUrl: data.url } : { state: 'failed', result };
}

export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const node = this.getNode();
	const state = readState(node.id, this.customData);
	if (!state) return acknowledge('ignored: this node is not waiting for Akool');
	if ((this.getQueryData() as IDataObject).n !== state.nonce) return acknowledge('ignored: not for this run');
	const verdict = verifyCallback(this.getBodyData(), await callbackSecrets(this));
	if (!verdict.ok) {
		this.getResponseObject().status(verdict.status).json({ message: `rejected: ${verdict.reason}` });
		return { noWebhookResponse: true };
	}
	const { data } = verdict;
	const jobIds = state.jobsPerItem.flat();
	if (data.status !== 3 && data.status !== 4) return acknowledge('ok: not final yet');
	if (!jobIds.includes(data._id)) return acknowledge('ignored: not a job of this run');

	const settings = readRunSettingsInWebhook(this);
	const { baseUrl } = await readConnection(this);
	const api = new AkoolApi(new AkoolTransport(this, { baseUrl, requestTimeoutMs: settings.requestTimeoutMs }));
	const runKey = `${this.getExecutionId()}:${node.id}:${state.nonce}`;
	const outcomes = knownFinalJobs(runKey);
	outcomes.set(data._id, outcomeOfCallback(data));
	// Stop at the first unfinished job: its own final callback will come and check again.
	for (const jobId of jobIds.filter((id) => !outcomes.has(id))) {
		const outcome = finalOutcome(await api.getResult(jobId));
		if (!outcome) return acknowledge(`ok: job ${jobId} is still running`);
		outcomes.set(jobId, outcome);
	}
	forgetRun(runKey);

	const downloader = new Downloader(this, settings);
	state.jobsPerItem.forEach((ids, itemIndex) =>
		ids.forEach((id) => downloader.start(id, outcomes.get(id) as JobOutcome, itemIndex)),
	);
	const waited = { jobs: outcomes, downloads: await downloader.finished() };
	const items: INodeExecutionData[] = [];
	state.jobsPerItem.forEach((ids, itemIndex) => {
		const result = itemResult(node, { itemIndex, jobs: ids.map((id) => ({ id })) }, waited, settings);
		const pairedItem = { item: itemIndex };
		items.push(...result.outputs.map((output) => ({ ...output, pairedItem })));
		if (result.error) items.push({ json: errorJson(result.error), pairedItem });
	});
	return { webhookResponse: { message: 'resumed' }, workflowData: [items] };
}
