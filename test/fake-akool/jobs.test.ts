/**
 * A job's life (jobs.js): status 1 → 2 → 3/4 on the fake's clock, durations drawn from the seed,
 * failures, and when its URL shows.
 */
import { PATHS, sleep } from '../fake-akool';
import { call, closedAfterEach, completedJob, create, download, manualClock, result } from '../harness/fakeAkool';

const { start } = closedAfterEach();

describe('job state machine', () => {
	it('queues for 10% of the time, processes, then completes with a CDN URL', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 1000, now: clock.now });
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		const seen = async () =>
			(await result(fake, id)).json.data as { image_status: number; image: string };
		expect(await seen()).toMatchObject({ image_status: 1, image: '' });
		clock.advance(99);
		expect((await seen()).image_status).toBe(1);
		clock.advance(1);
		expect(await seen()).toMatchObject({ image_status: 2, image: '' });
		clock.advance(899);
		expect((await seen()).image_status).toBe(2);
		clock.advance(1);
		expect(await seen()).toMatchObject({
			image_status: 3,
			image: `${fake.cdnBaseUrl}/images/${id}.png`,
		});
		expect(fake.jobs.get(id)?.reads).toBe(5);
	});

	it('runs on the real clock by default', async () => {
		const fake = await start({ durationMs: 150 });
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		expect([1, 2]).toContain((await result(fake, id)).json.data.image_status);
		await sleep(200);
		expect((await result(fake, id)).json.data.image_status).toBe(3);
	});

	it('multiplies durations by timeScale', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 1000, timeScale: 0.01, now: clock.now });
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		clock.advance(10);
		expect((await result(fake, id)).json.data.image_status).toBe(3);
	});

	it('draws durations from the seed in creation order, inside the range', async () => {
		const durations = async (seed: number) => {
			const fake = await start({ durationMs: [1000, 2000], seed });
			await create(fake, { prompt: 'p', batch_quantity: 4 });
			return [...fake.jobs.values()].map((job) => job.durationMs);
		};
		const a = await durations(7);
		expect(await durations(7)).toEqual(a);
		expect(await durations(8)).not.toEqual(a);
		for (const d of a) expect(d >= 1000 && d <= 2000).toBe(true);
	});

	it('fails jobs whose prompt contains [fail], and every Nth job with failEvery', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 100, now: clock.now, failEvery: 3 });
		const failed = await completedJob(fake, clock, { prompt: 'make it [fail]' });
		expect((await result(fake, failed)).json.data).toMatchObject({ image_status: 4, image: '' });
		const ok = await completedJob(fake, clock);
		expect((await result(fake, ok)).json.data.image_status).toBe(3);
		const third = await completedJob(fake, clock);
		expect((await result(fake, third)).json.data.image_status).toBe(4);
		expect((await download(fake.imageUrl(third))).res.status).toBe(404);
	});

	it('holds the URL back for urlDelayMs, or reports it only in upscaled_urls', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 100, urlDelayMs: 500, now: clock.now });
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		clock.advance(100);
		expect((await result(fake, id)).json.data).toMatchObject({ image_status: 3, image: '' });
		clock.advance(500);
		expect((await result(fake, id)).json.data.image).toBe(fake.imageUrl(id));
		expect(fake.stats().idealMs).toBe(600);
		fake.setOptions({ urlInUpscaledOnly: true });
		expect((await result(fake, id)).json.data).toMatchObject({
			image: '',
			upscaled_urls: [fake.imageUrl(id)],
		});
	});

	it('answers 1008 for an unknown or missing id', async () => {
		const fake = await start();
		expect((await result(fake, '0123456789abcdef01234567')).json).toEqual({
			code: 1008,
			msg: 'Content does not exist',
			data: null,
		});
		expect((await call(fake, 'GET', PATHS.result)).json.code).toBe(1008);
	});
});
