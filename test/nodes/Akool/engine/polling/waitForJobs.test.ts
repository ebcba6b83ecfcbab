/**
 * The one schedule that waits for every job of a run, observed from the fake Akool's side: what it
 * was asked, when, and how many requests were in flight at once. Real time, real engine, no mocks.
 */
import { sleep, type RecordedRequest } from '../../../../fake-akool';
import { generateParameters, runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

function readsOf(jobId: string): RecordedRequest[] {
	return fake().requests.filter((request) => request.kind === 'result' && request.query.image_model_id === jobId);
}

describe('waiting for all jobs with one schedule', () => {
	it('keeps at most Concurrency requests in flight, creates, reads and downloads together, and outputs in input order', async () => {
		// Every answer held 150 ms: creates, reads and downloads overlap, and the fake counts them.
		fake().setOptions({ latencyMs: 150, cdnLatencyMs: 150, durationMs: [100, 300] });
		try {
			const items = Array.from({ length: 9 }, (_, i) => ({ prompt: `picture ${i}` }));
			const { output, error } = await runAkool(fake(), {
				parameters: generateParameters({ prompt: '={{ $json.prompt }}', numberOfImages: 2, options: { concurrency: 3 } }),
				items,
			});
			expect(error).toBeUndefined();
			expect(output.map((item) => item.json.prompt)).toEqual(items.flatMap((item) => [item.prompt, item.prompt]));
			expect(output.map((item) => item.pairedItem)).toEqual(items.flatMap((_, i) => [{ item: i }, { item: i }]));
			expect(output.every((item) => item.binary?.data)).toBe(true);
			expect(fake().count('create')).toBe(9);
			// Three at most at every moment, over all kinds, and the bound was reached.
			expect(fake().inFlight().peak).toBe(3);
			// Reads and downloads did run side by side (one bound shared, not one each).
			const downloads = fake().requests.filter((request) => request.kind === 'download');
			const reads = fake().requests.filter((request) => request.kind === 'result');
			const overlaps = downloads.some((download) =>
				reads.some((read) => read.at < (download.doneAt ?? Infinity) && download.at < (read.doneAt ?? Infinity)),
			);
			expect(overlaps).toBe(true);
		} finally {
			fake().setOptions({ latencyMs: 0, cdnLatencyMs: 0, durationMs: [200, 400] });
		}
	});

	it('never reads a job twice at once, spaces its reads by at least a third of the interval, and never reads a finished job again', async () => {
		fake().setOptions({ durationMs: [2500, 3500] });
		try {
			const { output, error } = await runAkool(fake(), {
				parameters: generateParameters({ numberOfImages: 4, options: { pollInterval: 1 } }),
				items: [{}, {}],
			});
			expect(error).toBeUndefined();
			expect(output).toHaveLength(8);
			for (const item of output) {
				const reads = readsOf(String(item.json.jobId));
				const finishedAt = reads.findIndex((read) => read.code === 1000 && fake().jobs.get(String(item.json.jobId))!.readyAt <= read.at);
				expect(finishedAt).toBe(reads.length - 1);
				for (let i = 1; i < reads.length; i++) {
					expect(reads[i].at).toBeGreaterThanOrEqual(reads[i - 1].doneAt ?? Infinity);
					expect(reads[i].at - reads[i - 1].at).toBeGreaterThanOrEqual(300);
				}
			}
		} finally {
			fake().setOptions({ durationMs: [200, 400] });
		}
	});

	it('reads only two probe jobs until one finishes, then each job about once', async () => {
		fake().setOptions({ durationMs: [3000, 3600] });
		try {
			const { output, error } = await runAkool(fake(), {
				parameters: generateParameters({ numberOfImages: 4, options: { pollInterval: 1 } }),
				items: [{}, {}, {}, {}],
			});
			expect(error).toBeUndefined();
			expect(output).toHaveLength(16);
			const reads = fake().requests.filter((request) => request.kind === 'result');
			const firstDone = Math.min(...[...fake().jobs.values()].map((job) => job.readyAt));
			const readBeforeAnyDone = new Set(reads.filter((read) => read.at < firstDone).map((read) => read.query.image_model_id));
			expect(readBeforeAnyDone.size).toBeLessThanOrEqual(2);
			// 16 jobs finishing within 0.6 s of each other: one read each, plus the probes' and a short tail
			// (one interval polling every job would take 4 reads each).
			expect(reads.length / 16).toBeLessThanOrEqual(2.5);
		} finally {
			fake().setOptions({ durationMs: [200, 400] });
		}
	});

	it('paces the whole run at the rate Akool accepts (1005), learned from one refusal, losing nothing and creating each job once', async () => {
		fake().setOptions({ rateLimit: { max: 4, windowMs: 1000 } });
		try {
			const items = Array.from({ length: 8 }, (_, i) => ({ prompt: `picture ${i}` }));
			const { output, error } = await runAkool(fake(), {
				parameters: generateParameters({ prompt: '={{ $json.prompt }}', numberOfImages: 2 }),
				items,
			});
			expect(error).toBeUndefined();
			expect(output).toHaveLength(16);
			expect(fake().requests.some((request) => request.code === 1005)).toBe(true);
			expect(fake().jobs.size).toBe(16);
			const acceptedCreates = fake().requests.filter((request) => request.kind === 'create' && request.code === 1000);
			expect(acceptedCreates).toHaveLength(8);
			// 24 calls at 4 a second: refused only in the first episode, the calls already on their way
			// (at most Concurrency, 5) when Akool first refused; after it, the pace holds.
			const refused = fake().requests.filter((request) => request.code === 1005);
			expect(refused.length).toBeGreaterThan(0);
			expect(refused.length).toBeLessThanOrEqual(5);
			const resumed = fake().requests.find((request) => request.code === 1000 && request.at > refused[0].at);
			expect(refused.every((request) => request.at < (resumed?.at ?? 0))).toBe(true);
		} finally {
			fake().setOptions({ rateLimit: null });
		}
	});

	it('stops calling Akool within one interval when the execution is cancelled', async () => {
		fake().setOptions({ durationMs: 60_000 });
		try {
			let cancelledAt = 0;
			const run = runAkool(fake(), {
				parameters: generateParameters({ numberOfImages: 4, options: { pollInterval: 1, timeout: 120 } }),
				onStart: (cancel) => {
					void (async () => {
						while (fake().count('result') < 3) await sleep(20);
						cancelledAt = Date.now();
						cancel();
					})();
				},
			});
			await run.catch(() => undefined);
			const last = Math.max(...fake().requests.map((request) => request.at));
			expect(cancelledAt).toBeGreaterThan(0);
			expect(last - cancelledAt).toBeLessThan(1000);
			expect(fake().count('create')).toBe(1);
		} finally {
			fake().setOptions({ durationMs: [200, 400] });
		}
	});
});
