/**
 * in-flight.js: the fake counts the requests it is answering (API and CDN), as a client keeps them
 * in flight: from arrival until the answer ended or the socket closed, faults and refusals included;
 * not its control routes.
 */
import type { FakeAkool } from '../fake-akool';
import { closedAfterEach, createOn, ended, quota, result } from '../harness/fakeAkool';
import { until } from '../harness/fakeAkoolPeers';

const { start } = closedAfterEach();

describe('requests in flight', () => {
	it('counts what is being answered now, per host and in all, and the most at one moment', async () => {
		const fake = await start({ admin: true, durationMs: 0 });
		const id = (await createOn(fake, { prompt: 'p', scale: '1:1', resolution: '1080p' })).data._id as string;
		await until(ended(fake, id));
		expect(fake.inFlight()).toEqual({ now: 0, peak: 1, byHost: { api: { now: 0, peak: 1 }, cdn: { now: 0, peak: 0 } } });

		fake.setOptions({ latencyMs: 300, cdnLatencyMs: 300 });
		const image = fetch(fake.imageUrl(id)).then(async (res) => await res.arrayBuffer());
		const answers = Promise.all([result(fake, id), result(fake, id), result(fake, id), image]);
		await until(() => fake.inFlight().now === 4);
		// The control route is not counted, and says the same.
		const seen = (await fetch(`${fake.baseUrl}/__in-flight`).then(async (res) => await res.json())) as ReturnType<FakeAkool['inFlight']>;
		expect(seen).toEqual({ now: 4, peak: 4, byHost: { api: { now: 3, peak: 3 }, cdn: { now: 1, peak: 1 } } });
		await answers;
		expect(fake.inFlight()).toMatchObject({ now: 0, peak: 4 });

		fake.reset();
		expect(fake.inFlight()).toMatchObject({ now: 0, peak: 0 });
	});

	it('counts a hung request until its socket closes, and a refused one until its answer', async () => {
		const fake = await start({ rateLimit: { max: 1, windowMs: 60_000 } });
		fake.plan('credits', [{ nth: 2, hangMs: 400 }]);
		expect((await quota(fake)).json.code).toBe(1000);
		const hung = quota(fake).catch(() => 'reset');
		await until(() => fake.inFlight().now === 1);
		expect((await quota(fake)).json.code).toBe(1005);
		expect(fake.inFlight()).toMatchObject({ now: 1, peak: 2 });
		expect(await hung).toBe('reset');
		await until(() => fake.inFlight().now === 0);
	});
});
