/**
 * Waiting by callback, the webhook() half. n8n calls it for every POST to this execution's resume
 * URL while the node waits (in the main or webhook process). It answers without resuming unless the
 * callback is genuine, for this run, final, and every job of the run is final: then it reads the
 * other jobs once, downloads the images, and gives the router the same results polling would have;
 * the router turns them into the resumed run's items.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { Downloader, itemResult } from '../itemResults';
import { readRunSettingsInWebhook, type RunSettings } from '../runSettings';
import { connectionOf } from '../../../shared/transport/connection';
import type { ItemResult } from '../jobs';
import { errorOfFields } from '../jobErrors';
import { finalOutcome, type JobOutcome } from '../polling/waitForJobs';
import { mapConcurrently } from '../../../shared/timing';
import { AkoolClient } from '../../../shared/transport/akoolClient';
import { AkoolTransport, CREDENTIAL_TYPE } from '../../../shared/transport/akoolRequest';
import { RequestSlots } from '../../../shared/transport/requestSlots';
import { AkoolJobStatus, isFinalStatus } from '../../../shared/akool/status';
import type { AkoolJobResult } from '../../../shared/akool/types';
import { secretsOf, verifyCallback, type AkoolCallbackData } from '../../../shared/akool/callbackCrypto';
import { knownFinalJobs, oneAtATime, resumeOnce, resumeShortcut } from './finalJobsMemo';
import { readState, type WaitingItem } from './resumeState';

/** What to answer Akool, and the run's results when this callback resumes it. */
export interface CallbackHandled {
	response: IWebhookResponseData;
	results?: ItemResult[];
}

function acknowledge(message: string): CallbackHandled {
	// 200: Akool must not retry a callback that was understood, even one that does not resume.
	return { response: { webhookResponse: { message } } };
}

/** An answer other than 200 (Akool calls again), with its reason. */
function answer(ctx: IWebhookFunctions, status: number, message: string): CallbackHandled {
	ctx.getResponseObject().status(status).json({ message });
	return { response: { noWebhookResponse: true } };
}

/**
 * The final state a callback itself reports, when it says enough: a completed job without URL (Akool
 * can show the URL a moment later) is read like any other job.
 */
function outcomeOfCallback(data: AkoolCallbackData): JobOutcome | undefined {
	const result: AkoolJobResult = { _id: data._id, image_status: data.status, image: data.url ?? '' };
	if (data.status === AkoolJobStatus.Failed) return { state: 'failed', result };
	return data.url ? { state: 'completed', result, imageUrl: data.url } : undefined;
}

export async function resumeOnCallback(ctx: IWebhookFunctions): Promise<CallbackHandled> {
	const node = ctx.getNode();
	const state = readState(ctx);
	if (!state) return acknowledge('ignored: this node is not waiting for Akool');
	if ((ctx.getQueryData() as IDataObject).n !== state.nonce) return acknowledge('ignored: not for this run');
	// One read of the credential serves the verification and the reads below (n8n reads its database each time).
	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	} catch (error) {
		// Measured with 1,000 jobs' callbacks at once on sqlite: n8n's database read timed out. Thrown,
		// it would end the waiting run; answered non-200, Akool calls again.
		ctx.logger.warn(`Akool callback: n8n could not read the credential, Akool will call again: ${(error as Error).message}`);
		return answer(ctx, 503, 'retry: the credential could not be read');
	}
	const verdict = verifyCallback(ctx.getBodyData(), secretsOf(node, credentials));
	if (!verdict.ok) return answer(ctx, verdict.status, `rejected: ${verdict.reason}`);
	const { data } = verdict;
	const jobIds = state.items.flatMap((item) => item.jobIds);
	if (!isFinalStatus(data.status)) return acknowledge('ok: not final yet');
	if (!jobIds.includes(data._id)) return acknowledge('ignored: not a job of this run');

	const settings = readRunSettingsInWebhook(ctx);
	const connection = connectionOf(node, credentials);
	// The resume's reads and downloads share one Concurrency bound and one pace, as the run's did.
	const slots = new RequestSlots(settings.concurrency);
	const api = new AkoolClient(new AkoolTransport(ctx, { ...connection, requestTimeoutMs: settings.requestTimeoutMs, slots }));
	const runKey = `${ctx.getExecutionId()}:${node.id}:${state.nonce}`;
	const shortcut = () => {
		const known = resumeShortcut(runKey, data._id);
		if (known === 'acknowledge') return acknowledge('ok: already resumed');
		return known === 'retry' ? answer(ctx, 503, 'retry: the run is being resumed') : undefined;
	};
	// Not queued behind a resume under way: held, the callback would only wait for the downloads.
	const early = shortcut();
	if (early) return early;
	return await oneAtATime(runKey, async () => {
		const late = shortcut();
		if (late) return late;
		try {
			return await checkAndResume(ctx, { data, jobIds, items: state.items, runKey, api, settings, slots });
		} catch (error) {
			// Thrown from webhook(), the error would END the waiting execution (n8n 2.41.1 resumes it
			// with the error and drops its run data). Answer non-200 instead: Akool calls again.
			ctx.logger.warn(`Akool callback: could not check the run's jobs, Akool will call again: ${(error as Error).message}`);
			return answer(ctx, 503, 'retry: the run’s jobs could not be checked');
		}
	});
}

async function checkAndResume(
	ctx: IWebhookFunctions,
	{
		data,
		jobIds,
		items,
		runKey,
		api,
		settings,
		slots,
	}: {
		data: AkoolCallbackData;
		jobIds: string[];
		items: WaitingItem[];
		runKey: string;
		api: AkoolClient;
		settings: RunSettings;
		slots: RequestSlots;
	},
): Promise<CallbackHandled> {
	const outcomes = knownFinalJobs(runKey);
	const reported = outcomeOfCallback(data);
	// A job an earlier check already read keeps that read: it has what the output needs.
	if (reported && !outcomes.has(data._id)) outcomes.set(data._id, reported);
	const unfinished = await firstUnfinished(api, outcomes, jobIds, { ownJobId: data._id, widest: settings.concurrency });
	if (unfinished !== undefined) {
		if (unfinished !== data._id) return acknowledge(`ok: job ${unfinished} is still running`);
		// Completed, but no URL yet: not 200, so that Akool calls again.
		return answer(ctx, 503, 'retry: the image URL is not available yet');
	}
	return await resumeOnce(runKey, data._id, async () => {
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
		return await resumeWith(ctx, items, outcomes, settings, slots);
	});
}

/**
 * Reads the jobs not known final yet, the callback's own job first, and stops at the first
 * unfinished one (its own final callback will come and check again): while the batch runs a callback
 * costs one read. After each read that finds only final jobs the next reads are twice as many at
 * once (up to `widest`, the run's Concurrency): a process that knows few of the run's jobs (another
 * webhook process, a restart, callbacks Akool gave up on) checks a large run in about
 * jobs ÷ Concurrency rounds, not one read after another. Returns the unfinished job, if any.
 */
async function firstUnfinished(
	api: AkoolClient,
	outcomes: Map<string, JobOutcome>,
	jobIds: string[],
	{ ownJobId, widest }: { ownJobId: string; widest: number },
): Promise<string | undefined> {
	const unknown = jobIds.filter((id) => !outcomes.has(id)).sort((a, b) => Number(b === ownJobId) - Number(a === ownJobId));
	for (let next = 0, width = 1; next < unknown.length; width = Math.min(width * 2, widest)) {
		const round = unknown.slice(next, next + width);
		next += round.length;
		const read = await mapConcurrently(round, round.length, async (id) => finalOutcome(await api.getResult(id)));
		round.forEach((id, index) => {
			const outcome = read[index];
			if (outcome) outcomes.set(id, outcome);
		});
		const unfinished = round.find((_, index) => !read[index]);
		if (unfinished !== undefined) return unfinished;
	}
	return undefined;
}

async function resumeWith(
	ctx: IWebhookFunctions,
	items: WaitingItem[],
	outcomes: Map<string, JobOutcome>,
	settings: RunSettings,
	slots: RequestSlots,
): Promise<CallbackHandled> {
	const node = ctx.getNode();
	const downloader = new Downloader(ctx, settings, { slots });
	items.forEach((item, itemIndex) =>
		item.jobIds.forEach((id) => downloader.start(id, outcomes.get(id) as JobOutcome, itemIndex)),
	);
	const waited = { jobs: outcomes, downloads: await downloader.finished() };
	const results = items.map((item, itemIndex) =>
		itemResult(
			node,
			{
				itemIndex,
				jobs: item.jobIds.map((id) => ({ id })),
				expectedJobs: item.expectedJobs,
				error: item.error && errorOfFields(node, item.error, itemIndex),
			},
			waited,
			settings,
		),
	);
	return { response: { webhookResponse: { message: 'resumed' } }, results };
}
