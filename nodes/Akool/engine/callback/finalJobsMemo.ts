/**
 * Which jobs of a waiting run are already known to be final, remembered between the callbacks of
 * that run in the process that receives them. Only an optimisation (fewer result reads: without
 * it, each final callback would read again every job already seen final): correctness never depends
 * on it, since a callback that finds nothing here reads Akool. Bounded, and dropped on resume.
 */
import type { JobOutcome } from '../polling/waitForJobs';

const MAX_RUNS = 500;

const runs = new Map<string, Map<string, JobOutcome>>();

/** The known-final jobs of one waiting run (execution, node and nonce), most recently used last. */
export function knownFinalJobs(runKey: string): Map<string, JobOutcome> {
	const jobs = runs.get(runKey) ?? new Map<string, JobOutcome>();
	runs.delete(runKey);
	runs.set(runKey, jobs);
	for (const oldest of runs.keys()) {
		if (runs.size <= MAX_RUNS) break;
		runs.delete(oldest);
	}
	return jobs;
}

export function forgetRun(runKey: string): void {
	runs.delete(runKey);
}

const resumedRuns = new Set<string>();
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs the callbacks of one run one after another in this process. Akool sends a batch's final
 * callbacks at the same moment: handled at once, each would read the others and download every
 * image, and all but one would then get n8n's 500 (the run is already resuming) and be retried.
 */
export async function oneAtATime<T>(runKey: string, work: (alreadyResumed: boolean) => Promise<T>): Promise<T> {
	const previous = queues.get(runKey) ?? Promise.resolve();
	const mine = previous.catch(() => undefined).then(async () => await work(resumedRuns.has(runKey)));
	queues.set(runKey, mine);
	try {
		return await mine;
	} finally {
		if (queues.get(runKey) === mine) queues.delete(runKey);
	}
}

/** This process resumed the run: later callbacks of it are acknowledged without any work. */
export function markResumed(runKey: string): void {
	resumedRuns.add(runKey);
	for (const oldest of resumedRuns) {
		if (resumedRuns.size <= MAX_RUNS) break;
		resumedRuns.delete(oldest);
	}
}
