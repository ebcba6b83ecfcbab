/**
 * Waiting without `setTimeout` (n8n's rule for community nodes): n8n-workflow's `sleep`, cut into
 * short slices so that a cancelled execution stops waiting within one slice.
 */
import { sleep } from 'n8n-workflow';

const SLICE_MS = 250;

export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new CancelledError();
}

/** Waits `ms` milliseconds, or throws CancelledError as soon as `signal` aborts. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	const until = Date.now() + Math.max(0, ms);
	throwIfCancelled(signal);
	for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
		await sleep(Math.min(left, SLICE_MS));
		throwIfCancelled(signal);
	}
}

/** Runs `task` over `inputs` with at most `limit` running at once; results keep the input order. */
export async function mapConcurrently<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	const workers = Array.from({ length: Math.min(Math.max(1, limit), inputs.length) }, worker);
	await Promise.all(workers);
	return results;
}

/**
 * Work run one after another per key, in this process: work queued for a key starts once the key's
 * previous work has settled, failed or not. A key with nothing queued keeps nothing.
 */
export class TurnsByKey {
	private readonly last = new Map<string, Promise<unknown>>();

	async run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const mine = (this.last.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
		this.last.set(key, mine);
		try {
			return await mine;
		} finally {
			if (this.last.get(key) === mine) this.last.delete(key);
		}
	}
}
