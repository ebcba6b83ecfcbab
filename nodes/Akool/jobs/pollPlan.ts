/**
 * When to read each job: one plan for every job of the node's run.
 *
 * Akool jobs take tens of seconds and there is no way to know how long before one finishes, so:
 * - until a job of this run has finished, only the few oldest pending jobs ("probes") are read, every
 *   interval; the others wait (bounded by a fallback age, in case the probes are stuck);
 * - once one finishes, its age is what this run has learned: every other job is first read when it
 *   is that old (it can plausibly be done by then), and then every interval.
 * A batch therefore costs about one read per job plus the tail, instead of one read per job per interval.
 */
export interface TrackedJob {
	id: string;
	/** Local clock (ms) when the create call answered. */
	createdAt: number;
	/** Local clock (ms) of the last read that answered, if any. */
	lastReadAt?: number;
	reads: number;
	/** A job of unknown age (Get Result of an existing ID) is read at once. */
	readAtOnce?: boolean;
}

const PROBES = 2;
/** Jobs that are not probes are read by this age at the latest, learned or not. */
const FALLBACK_INTERVALS = 6;
const FALLBACK_MIN_MS = 30_000;

export class PollPlan {
	private learnedAgeMs: number | undefined;

	constructor(private readonly intervalMs: number) {}

	/** The age at which the fastest job of this run was seen finished, once one was. */
	get learnedAge(): number | undefined {
		return this.learnedAgeMs;
	}

	/** Records that `job` was seen finished at `now`. */
	learnFinished(job: TrackedJob, now: number): void {
		const age = now - job.createdAt;
		this.learnedAgeMs = this.learnedAgeMs === undefined ? age : Math.min(this.learnedAgeMs, age);
	}

	/** Clock time (ms) at which each of the `pending` jobs is next due for a read. */
	dueTimes(pending: readonly TrackedJob[]): number[] {
		const probes = this.learnedAgeMs === undefined ? this.probes(pending) : new Set<TrackedJob>();
		return pending.map((job) => {
			if (job.lastReadAt !== undefined) return job.lastReadAt + this.intervalMs;
			if (job.readAtOnce) return job.createdAt;
			if (this.learnedAgeMs !== undefined) return job.createdAt + this.learnedAgeMs;
			if (probes.has(job)) return job.createdAt + this.intervalMs;
			return job.createdAt + Math.max(this.intervalMs * FALLBACK_INTERVALS, FALLBACK_MIN_MS);
		});
	}

	/** The oldest pending jobs, up to PROBES of them; a probe stays one until it finishes. */
	private probes(pending: readonly TrackedJob[]): Set<TrackedJob> {
		const probes = new Set(pending.filter((job) => job.reads > 0).slice(0, PROBES));
		const unread = pending.filter((job) => job.reads === 0).sort((a, b) => a.createdAt - b.createdAt);
		for (const job of unread) {
			if (probes.size >= PROBES) break;
			probes.add(job);
		}
		return probes;
	}
}
