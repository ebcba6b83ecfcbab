/**
 * Which jobs of a waiting run are already known to be final, remembered between the callbacks of
 * that run in the process that receives them. Only an optimisation (fewer result reads: without
 * it, each final callback would read again every job already seen final): correctness never depends
 * on it, since a callback that finds nothing here reads Akool. Bounded, and dropped on resume.
 */
import type { JobOutcome } from '../jobs/waitForJobs';

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
