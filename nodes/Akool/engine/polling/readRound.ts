/**
 * Which reads to send now, given when each pending job is due (PollPlan) and the pace Akool accepts.
 *
 * Until Akool has refused anything, every due read goes at once, as the plan says. While it
 * rate-limits, the plan's reads can bunch up beyond its pace (every job's first read comes at the
 * same learned age; the last jobs are read often): sent all at once, they would queue at the gate
 * for seconds, and a job that finishes meanwhile would wait behind the whole queue. So a round is at
 * most what the pace lets through now, soonest due first; and a read due later is sent early when the
 * reads due up to its time are more than the pace can serve by then (they would otherwise be late),
 * never when the pace keeps up.
 */
import type { Pace } from '../../../shared/transport/rateGate';

export interface ReadRound<T> {
	/** The reads to send now, soonest due first. */
	send: T[];
	/** When to look again if nothing is sent now. */
	wakeAt: number;
}

export function readRound<T>(jobs: readonly T[], dueTimes: readonly number[], now: number, pace: Pace): ReadRound<T> {
	const order = jobs.map((job, index) => ({ job, at: dueTimes[index] })).sort((a, b) => a.at - b.at);
	const { rate, free, nextAt } = pace;
	if (!rate) {
		const due = order.filter((entry) => entry.at <= now).map((entry) => entry.job);
		if (due.length === 0) return { send: [], wakeAt: order[0]?.at ?? now };
		return free > 0 ? { send: due, wakeAt: now } : { send: [], wakeAt: nextAt };
	}
	// Reads that must start now so that each read is sent by its due time at `rate` a second.
	const msPerCall = 1000 / rate;
	let needed = 0;
	let wakeAt = Number.POSITIVE_INFINITY;
	order.forEach((entry, index) => {
		needed = Math.max(needed, index + 1 - Math.max(0, entry.at - now) / msPerCall);
		wakeAt = Math.min(wakeAt, entry.at - index * msPerCall);
	});
	const count = Math.min(free, Math.ceil(needed - 1e-9)); // (a whole number give or take float noise)
	if (count <= 0) return { send: [], wakeAt: needed > 0 ? nextAt : wakeAt };
	return { send: order.slice(0, count).map((entry) => entry.job), wakeAt: now };
}
