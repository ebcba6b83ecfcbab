/**
 * What the process that receives a waiting run's callbacks remembers between them. Only a saving,
 * never needed for a right answer: in queue mode the callbacks of one run may reach several webhook
 * processes (and a process may restart), and a process that remembers nothing reads Akool instead
 * (resumeOnCallback widens its reads for that case).
 */
import type { JobOutcome } from '../polling/waitForJobs';
import { TurnsByKey } from '../../../shared/timing';

/** Bounds the memory: runs are forgotten, oldest first, beyond this many remembered jobs in all. */
const MAX_REMEMBERED_JOBS = 20_000;

const runs = new Map<string, Map<string, JobOutcome>>();

/**
 * The known-final jobs of one waiting run (execution, node and nonce), most recently used last. They
 * save result reads: without them, each final callback would read again every job already seen final.
 */
export function knownFinalJobs(runKey: string): Map<string, JobOutcome> {
	const jobs = runs.get(runKey) ?? new Map<string, JobOutcome>();
	runs.delete(runKey);
	runs.set(runKey, jobs);
	let remembered = [...runs.values()].reduce((sum, known) => sum + known.size, 0);
	for (const [oldest, known] of runs) {
		if (remembered <= MAX_REMEMBERED_JOBS || oldest === runKey) break;
		runs.delete(oldest);
		remembered -= known.size;
	}
	return jobs;
}

/**
 * How long after this process resumed a run the run's other callbacks are acknowledged without any
 * work. n8n marks the execution running once webhook() has returned, and from then on answers the
 * run's callbacks itself (409); measured with 1,000 jobs on sqlite, that took up to a minute (n8n
 * waits up to 60 s for a database connection), and callbacks n8n let through meanwhile each read
 * and downloaded the whole run again.
 */
const RESUME_GRACE_MS = 2 * 60_000;
const MAX_RESUMED_RUNS = 500;
/** Per run this process is resuming (no `doneAt` yet) or resumed: the job whose callback resumed it. */
const resumes = new Map<string, { jobId: string; doneAt?: number }>();
const callbackTurns = new TurnsByKey();

/**
 * What a final callback for `jobId` needs no work for, because this process is resuming the run or
 * has just resumed it: 'acknowledge' (200: nothing to add), 'retry' (the resuming callback's own job,
 * while its answer is not given: not 200, so that Akool calls again should n8n not take the resume),
 * or undefined (check the run). The resuming callback's own job is never acknowledged unchecked:
 * Akool calls it again when n8n did not answer it, which is also when the resume may not have happened.
 * Measured with 1,000 jobs: callbacks held until the resume's downloads were done piled up in n8n's
 * memory (4.5 GB) while Akool's retries kept coming.
 */
export function resumeShortcut(runKey: string, jobId: string): 'acknowledge' | 'retry' | undefined {
	const resume = resumes.get(runKey);
	if (!resume) return undefined;
	if (resume.doneAt === undefined) return resume.jobId === jobId ? 'retry' : 'acknowledge';
	if (resume.jobId === jobId || Date.now() - resume.doneAt >= RESUME_GRACE_MS) return undefined;
	return 'acknowledge';
}

/**
 * Runs the callbacks of one run one after another in this process. Akool sends a batch's final
 * callbacks at the same moment: handled at once, each would read the others and download every
 * image, and all but one would then get n8n's 500 (the run is already resuming) and be retried.
 */
export async function oneAtATime<T>(runKey: string, work: () => Promise<T>): Promise<T> {
	return await callbackTurns.run(runKey, work);
}

/**
 * Resumes the run from `jobId`'s callback with what `resume` gives (see `resumeShortcut` for the
 * run's other callbacks meanwhile). When `resume` throws, nothing is remembered: its callback is
 * answered non-200 and Akool calls again. The run's known-final jobs stay remembered: a check
 * repeated after it needs no read.
 */
export async function resumeOnce<T>(runKey: string, jobId: string, resume: () => Promise<T>): Promise<T> {
	resumes.delete(runKey);
	resumes.set(runKey, { jobId });
	let done = false;
	try {
		const resumed = await resume();
		done = true;
		return resumed;
	} finally {
		if (done) resumes.set(runKey, { jobId, doneAt: Date.now() });
		else resumes.delete(runKey);
		for (const oldest of resumes.keys()) {
			if (resumes.size <= MAX_RESUMED_RUNS) break;
			resumes.delete(oldest);
		}
	}
}
