/**
 * The one bound on a run's requests in flight (the Concurrency option): creates, result reads and
 * image downloads take a slot for as long as their HTTP request is under way, and give it back
 * before any back-off, so that a request waiting to be retried holds no place. First come, first
 * served.
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
