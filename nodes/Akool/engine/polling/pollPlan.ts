/**
 * When to read each job: one plan for every job of the node's run.
 *
 * Akool jobs take tens of seconds and there is no way to know how long before one finishes. What
 * decides when the run ends is the LAST job, so reads are cheap to save on the others:
 * - until a job of this run has finished, only the few oldest pending jobs ("probes") are read, every
 *   interval; the others wait (bounded by a fallback age, in case the probes are stuck);
 * - once one finishes, its age is what this run has learned: every other job is first read when it
 *   is that old plus whatever its spacing adds over one interval (while most of a batch is pending,
 *   the fastest job's age is when the first few of them finish, not most of them);
 * - after that, a job is read again after a spacing that follows how many jobs are still pending:
 *   up to 3 intervals while most of a large batch is pending (while many are pending any one of them
 *   is unlikely to be the last), down to a third of an interval when few are left (so the last job is
 *   seen soon after it finishes: the few reads this adds are the ones that decide the run's end);
 * - once two jobs have finished, the spacing is never wider than the spread of the ages seen finished
 *   (a batch whose jobs all finish together shows it there, and is not left waiting 3 intervals);
 * - while Akool rate-limits (its pace learned from its refusals, see RateGate), a job is read again
 *   no sooner than the pace can read every pending job once: at the end, where the spacing narrows,
 *   the reads of a batch would otherwise ask more than Akool takes, queue, and see the last jobs late
 *   (W3, 20 x 4 at 10 requests/s: 1.05-1.08 x ideal without this, 1.03-1.04 with it, in n8n-core's
 *   engine, seeds 1-3).
 * Simulated (bench/poll-sim.mjs, seeds 1-10) on 80 jobs of 20-40 s with a 3 s interval: 2.2 reads per
 * job and the last job seen 0.5 s after it finished (half an interval at the end: 0.7 s); reading every
 * job every interval costs 10.6 reads per job.
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
/** Spacing bounds, in intervals, and the pending count from which the widest spacing applies. */
const WIDEST = 3;
const NARROWEST = 1 / 3;
const LARGE_BATCH = 16;

export class PollPlan {
	/** Youngest and oldest age at which a job of this run was seen finished. */
	private learnedAgeMs: number | undefined;
	private oldestFinishedAgeMs = 0;
	private finishedCount = 0;

	constructor(
		private readonly intervalMs: number,
		private readonly totalJobs: number,
	) {}

	/** The age at which the fastest job of this run was seen finished, once one was. */
	get learnedAge(): number | undefined {
		return this.learnedAgeMs;
	}

	/** Records that `job` was seen finished at `now`. */
	learnFinished(job: TrackedJob, now: number): void {
		const age = now - job.createdAt;
		this.learnedAgeMs = this.learnedAgeMs === undefined ? age : Math.min(this.learnedAgeMs, age);
		this.oldestFinishedAgeMs = Math.max(this.oldestFinishedAgeMs, age);
		this.finishedCount++;
	}

	/** Time between two reads of one job, given how many jobs are still pending. */
	spacing(pendingCount: number): number {
		if (this.learnedAgeMs === undefined) return this.intervalMs;
		const share = (pendingCount / Math.max(1, this.totalJobs)) * Math.min(1, pendingCount / LARGE_BATCH);
		const byPending = this.intervalMs * (NARROWEST + (WIDEST - NARROWEST) * share);
		if (this.finishedCount < 2) return byPending;
		const spread = this.oldestFinishedAgeMs - this.learnedAgeMs;
		return Math.min(byPending, Math.max(this.intervalMs, spread));
	}

	/** Clock time (ms) at which each of the `pending` jobs is next due for a read, at Akool's pace if known. */
	dueTimes(pending: readonly TrackedJob[], readsPerSecond?: number): number[] {
		const probes = this.learnedAgeMs === undefined ? this.probes(pending) : new Set<TrackedJob>();
		const spacing = this.spacing(pending.length);
		const firstReadDelay = Math.max(0, spacing - this.intervalMs);
		const reread = readsPerSecond ? Math.max(spacing, (pending.length * 1000) / readsPerSecond) : spacing;
		return pending.map((job) => {
			if (job.lastReadAt !== undefined) return job.lastReadAt + reread;
			if (job.readAtOnce) return job.createdAt;
			if (this.learnedAgeMs !== undefined) return job.createdAt + this.learnedAgeMs + firstReadDelay;
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
