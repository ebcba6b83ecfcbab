import { pause } from '../timing';

const FIRST_PACE_MS = 50;
const MAX_PACE_MS = 2_000;
const MIN_BACK_OFF_MS = 1_000;
const MAX_BACK_OFF_MS = 60_000;

/**
 * Shared by every call of one node run. When Akool says "too frequent" (code 1005 or HTTP 429),
 * every call waits (Retry-After when given, else a back-off), and from then on calls start spaced
 * out by a pace that doubles at each refusal and shrinks slowly with each success: the run finds
 * the rate Akool accepts instead of hammering it. Refusals of calls that were already on their way
 * when the gate closed are one episode, counted once.
 */
export class RateGate {
	private closedUntil = 0;

	private nextStart = 0;

	private paceMs = 0;

	private lastRefusalAt = Number.NEGATIVE_INFINITY;

	private episodes = 0;

	/** Waits for this call's turn; returns the clock time at which it may be sent. */
	async ready(signal?: AbortSignal): Promise<number> {
		for (;;) {
			const now = Date.now();
			const startAt = Math.max(now, this.closedUntil, this.nextStart);
			if (startAt <= now) {
				this.nextStart = now + this.paceMs;
				return now;
			}
			// Another call may take the slot or close the gate while this one waits: look again after.
			await pause(startAt - now, signal);
		}
	}

	/** Records a refusal of a call sent at `sentAt`. */
	refused(sentAt: number, retryAfterMs: number | undefined): void {
		const now = Date.now();
		const newEpisode = sentAt >= this.lastRefusalAt;
		if (newEpisode) {
			this.episodes++;
			this.lastRefusalAt = now;
			this.paceMs = Math.min(MAX_PACE_MS, Math.max(FIRST_PACE_MS, this.paceMs * 2));
		}
		const backOff =
			retryAfterMs ?? Math.min(MAX_BACK_OFF_MS, MIN_BACK_OFF_MS * 2 ** Math.min(this.episodes - 1, 6));
		this.closedUntil = Math.max(this.closedUntil, now + Math.min(backOff, MAX_BACK_OFF_MS));
	}

	accepted(): void {
		this.episodes = 0;
		this.paceMs = Math.floor(this.paceMs * 0.95);
	}
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, nowMs = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
