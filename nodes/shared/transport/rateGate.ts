import { pause } from '../timing';

/**
 * Akool publishes no rate limit; its refusal (1005 "too frequent", or HTTP 429) speaks of frequency,
 * i.e. calls per second: what it accepted in the second before refusing is the rate to keep.
 */
const RATE_WINDOW_MS = 1_000;
/**
 * The gate lets its learned number of calls start per window stretched by this share: the time it
 * keeps between a window's calls and the next window's, against arrival jitter.
 */
const GATE_WINDOW_MS = RATE_WINDOW_MS * 1.05;
/** After this many windows of calls, all held back by the gate and all accepted, it tries one more. */
const PROBE_AFTER_WINDOWS = 8;
/** How long a start is remembered: a refusal answered within this finds the second before its call. */
const KEEP_STARTS_MS = 60_000;
const MIN_BACK_OFF_MS = 1_000;
const MAX_BACK_OFF_MS = 60_000;

/** The pace Akool accepts, as the gate knows it now (see RateGate.pace). */
export interface Pace {
	/** Calls a second, once Akool has refused some. */
	rate: number | undefined;
	/** Calls that may start now. */
	free: number;
	/** When the next call may start (now, when some may). */
	nextAt: number;
}

/** One call's turn: when it was let through, what the gate knew then, and when Akool answered. */
export interface GateTicket {
	readonly at: number;
	/** Refusal episodes the gate had seen when it let the call through. */
	readonly episode: number;
	/** The call waited for the window: it was paced, not merely sent. */
	readonly held: boolean;
	/** Set when the call was answered without a refusal. */
	answeredAt?: number;
}

/**
 * When Akool counted a call, at the latest: it reached Akool after it was let through and before
 * its answer came, and the client's own delays (a busy n8n) fall between. Taking the latest keeps
 * the gate from reopening a window before Akool's has.
 */
const countedBy = (start: GateTicket, now: number) => start.answeredAt ?? now;

/**
 * Paces every call of one node run (or one callback's resume) at the rate Akool accepts, learned
 * from its refusals. Until Akool refuses, calls go as they come. The first refusal says the second
 * before it held as many calls as Akool takes: from then on a call starts only while fewer than that
 * many of this run's calls were counted by Akool within the last second and a margin (each from its
 * answer, see countedBy), so that a batch goes at the limit (in bursts when that is what Akool
 * allowed) without stopping after each refusal:
 * - a later refusal lowers that count by one (a neighbour on the same API key, or jitter);
 * - after PROBE_AFTER_WINDOWS windows of paced calls all accepted, one more per window is tried, so
 *   that a count learned low, or a limit that rose, is found again;
 * - Retry-After, when Akool sends it, is waited out; a refusal with nothing accepted in the second
 *   before (nothing to learn), or at one call per window already, waits a back-off that doubles
 *   while that lasts (1 s, 2 s, 4 s... 60 s).
 * Refusals of calls let through before the gate knew of a refusal are part of that episode: they
 * teach nothing new, except that a call counted in the learned second was refused after all.
 * The state lives in this object: one estimate per run, nothing kept between executions.
 */
export class RateGate {
	/** Calls per GATE_WINDOW_MS that Akool takes, once learned. */
	private limit = Number.POSITIVE_INFINITY;

	/** The calls let through and not refused, oldest first. */
	private starts: GateTicket[] = [];

	private episode = 0;

	/** The calls counted when the limit was learned: one of them refused after all lowers it by one. */
	private counted = new Set<GateTicket>();

	/** Refusals in a row that taught nothing (nothing accepted in the second before them). */
	private blindRefusals = 0;

	private closedUntil = 0;

	/** Paced calls accepted since the limit last changed (toward a probe). */
	private pacedAndAccepted = 0;

	/**
	 * Waits out a closed gate (Retry-After, back-off) without taking a turn: a call waits here before
	 * it takes one of the run's request slots, so that a long wait holds no slot.
	 */
	async whenOpen(signal?: AbortSignal): Promise<void> {
		for (let now = Date.now(); now < this.closedUntil; now = Date.now()) await pause(this.closedUntil - now, signal);
	}

	/**
	 * The pace now: calls a second Akool accepts (undefined until it refused some), how many calls
	 * could start now without waiting (Infinity until then), and when the next could (now, when some
	 * can). A caller with many calls to make picks the ones that matter most for the turns there are.
	 */
	pace(now = Date.now()): Pace {
		if (!Number.isFinite(this.limit)) {
			return { rate: undefined, free: this.closedUntil > now ? 0 : Number.POSITIVE_INFINITY, nextAt: Math.max(now, this.closedUntil) };
		}
		const rate = (this.limit * 1000) / GATE_WINDOW_MS;
		if (this.closedUntil > now) return { rate, free: 0, nextAt: this.closedUntil };
		this.starts = this.starts.filter((start) => start.at > now - KEEP_STARTS_MS);
		const inWindow = this.starts.map((start) => countedBy(start, now)).filter((at) => at > now - GATE_WINDOW_MS);
		const free = this.limit - inWindow.length;
		if (free > 0) return { rate, free, nextAt: now };
		return { rate, free: 0, nextAt: inWindow.sort((a, b) => b - a)[this.limit - 1] + GATE_WINDOW_MS };
	}

	/** Waits for this call's turn and takes it. */
	async ready(signal?: AbortSignal): Promise<GateTicket> {
		let held = false;
		for (;;) {
			const now = Date.now();
			const { free, nextAt } = this.pace(now);
			if (free > 0) {
				const ticket = { at: now, episode: this.episode, held };
				this.starts.push(ticket);
				return ticket;
			}
			held = true;
			// Another call may take the turn or close the gate while this one waits: look again after.
			await pause(nextAt - now, signal);
		}
	}

	/** Records Akool's refusal of the call that had `ticket`. */
	refused(ticket: GateTicket, retryAfterMs: number | undefined): void {
		const now = Date.now();
		this.starts = this.starts.filter((start) => start !== ticket);
		let waitMs = retryAfterMs;
		if (ticket.episode < this.episode) {
			// Let through before the gate knew of the refusal: part of that episode, but if the call was
			// counted as accepted in the second that set the limit, the limit is one too high.
			if (this.counted.delete(ticket)) this.setLimit(this.limit - 1);
		} else {
			this.episode++;
			// Akool's second before the refusal held the calls it counted since a second before this one left.
			const before = this.starts.filter((start) => countedBy(start, now) >= ticket.at - RATE_WINDOW_MS);
			this.counted = new Set();
			if (before.length === 0 || this.limit <= 1) {
				waitMs ??= MIN_BACK_OFF_MS * 2 ** Math.min(this.blindRefusals++, 6);
			} else if (Number.isFinite(this.limit)) {
				this.setLimit(this.limit - 1);
			} else {
				this.setLimit(before.length);
				this.counted = new Set(before);
			}
		}
		if (waitMs !== undefined) this.closedUntil = Math.max(this.closedUntil, now + Math.min(waitMs, MAX_BACK_OFF_MS));
	}

	/** Records that the call that had `ticket` was not refused (answered, or failed some other way). */
	accepted(ticket: GateTicket): void {
		ticket.answeredAt = Date.now();
		this.blindRefusals = 0;
		if (ticket.held && ++this.pacedAndAccepted >= PROBE_AFTER_WINDOWS * this.limit) this.setLimit(this.limit + 1);
	}

	private setLimit(limit: number): void {
		this.limit = Math.max(1, limit);
		this.pacedAndAccepted = 0;
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
