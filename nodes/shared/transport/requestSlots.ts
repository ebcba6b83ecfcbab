/**
 * The one bound on a run's requests in flight (the Concurrency option): creates, result reads and
 * image downloads share it, first come, first served. An Akool call takes a slot for each attempt
 * and gives it back before it waits (a rate-limit wait can last a minute); a download keeps its slot
 * through its few short retries, so that they stay its own, one after the other.
 */
export class RequestSlots {
	private inUse = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(readonly limit: number) {}

	/** Runs `request` once a slot is free. */
	async run<T>(request: () => Promise<T>): Promise<T> {
		if (this.inUse >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.inUse++;
		try {
			return await request();
		} finally {
			// The slot passes straight to the next in line (inUse unchanged), or is freed.
			const next = this.waiting.shift();
			if (next) next();
			else this.inUse--;
		}
	}
}
