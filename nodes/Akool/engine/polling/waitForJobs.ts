/**
 * Waits for every job of the node's run with ONE schedule (see PollPlan): reads go out in rounds,
 * at most `concurrency` at a time and, while Akool rate-limits, what its pace takes (see readRound),
 * never two reads of the same job at once, and a finished job is never read again. Bounded by the
 * timeout; stops within a fraction of a second when the execution is cancelled.
 */
import type { NodeApiError } from 'n8n-workflow';

import { AkoolJobStatus, imageUrlOf } from '../../../shared/akool/status';
import { mapConcurrently, pause, throwIfCancelled } from '../../../shared/timing';
import type { AkoolClient } from '../../../shared/transport/akoolClient';
import type { AkoolJobResult } from '../../../shared/akool/types';
import { PollPlan, type TrackedJob } from './pollPlan';
import { readRound } from './readRound';

export type JobOutcome =
	| { state: 'completed'; result: AkoolJobResult; imageUrl: string }
	| { state: 'failed'; result: AkoolJobResult }
	| { state: 'timedOut'; result?: AkoolJobResult }
	| { state: 'unreadable'; error: NodeApiError };

export interface WaitSettings {
	pollIntervalMs: number;
	timeoutMs: number;
	concurrency: number;
	signal?: AbortSignal;
}

export interface JobToWaitFor {
	id: string;
	createdAt: number;
	readAtOnce?: boolean;
}

interface WaitingJob extends TrackedJob {
	latest?: AkoolJobResult;
}

/**
 * Resolves with one outcome per job id. `onFinished` is called as soon as a job is final, so that
 * downloads can start while other jobs are still running.
 */
export async function waitForJobs(
	api: AkoolClient,
	jobs: readonly JobToWaitFor[],
	settings: WaitSettings,
	onFinished: (jobId: string, outcome: JobOutcome) => void = () => {},
): Promise<Map<string, JobOutcome>> {
	const outcomes = new Map<string, JobOutcome>();
	const deadline = Date.now() + settings.timeoutMs;
	let pending: WaitingJob[] = uniqueJobs(jobs).map((job) => ({ ...job, reads: 0 }));
	const plan = new PollPlan(settings.pollIntervalMs, pending.length);

	const settle = (job: WaitingJob, outcome: JobOutcome) => {
		outcomes.set(job.id, outcome);
		onFinished(job.id, outcome);
	};

	const read = async (job: WaitingJob) => {
		try {
			const result = await api.getResult(job.id);
			const now = Date.now();
			job.reads++;
			job.lastReadAt = now;
			job.latest = result;
			const outcome = finalOutcome(result);
			if (outcome) {
				if (outcome.state === 'completed') plan.learnFinished(job, now);
				settle(job, outcome);
			}
		} catch (error) {
			settle(job, { state: 'unreadable', error: error as NodeApiError });
		}
	};

	while (pending.length > 0) {
		throwIfCancelled(settings.signal);
		const now = Date.now();
		if (now >= deadline) break;
		const pace = api.pace();
		const round = readRound(pending, plan.dueTimes(pending, pace.rate), now, pace);
		if (round.send.length === 0) {
			await pause(Math.min(round.wakeAt, deadline) - now, settings.signal);
			continue;
		}
		await mapConcurrently(round.send, settings.concurrency, read);
		pending = pending.filter((job) => !outcomes.has(job.id));
	}
	for (const job of pending) settle(job, { state: 'timedOut', result: job.latest });
	return outcomes;
}

/** Completed with a URL, or failed; undefined while the job may still change. */
export function finalOutcome(result: AkoolJobResult): JobOutcome | undefined {
	if (result.image_status === AkoolJobStatus.Failed) return { state: 'failed', result };
	const imageUrl = result.image_status === AkoolJobStatus.Completed ? imageUrlOf(result) : null;
	// Akool can report "completed" a moment before the URL appears: read it again.
	return imageUrl ? { state: 'completed', result, imageUrl } : undefined;
}

function uniqueJobs(jobs: readonly JobToWaitFor[]): JobToWaitFor[] {
	const seen = new Set<string>();
	return jobs.filter((job) => !seen.has(job.id) && seen.add(job.id));
}
