/**
 * What the fake records of each request (requests.js, recorder.js), and what reset() forgets.
 */
import { API_KEY, PATHS } from '../fake-akool';
import { call, closedAfterEach, completedJob, create, download, manualClock, quota, result } from '../harness/fakeAkool';

const { start } = closedAfterEach();

describe('recording', () => {
	it('records every request with kind, host, lower-cased headers, query and parsed body', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 10, now: clock.now });
		const id = await completedJob(fake, clock);
		await result(fake, id);
		await download(fake.imageUrl(id));
		await call(fake, 'GET', '/api/open/v3/nowhere');
		const [made, read, got, other] = fake.requests;
		expect(made).toMatchObject({
			kind: 'create',
			method: 'POST',
			path: PATHS.create,
			host: 'api',
			body: { prompt: 'a red fox' },
			status: 200,
			code: 1000,
			fault: null,
		});
		expect(made.headers['x-api-key']).toBe(API_KEY);
		expect(read).toMatchObject({ kind: 'result', query: { image_model_id: id } });
		expect(got).toMatchObject({ kind: 'download', host: 'cdn', status: 200 });
		expect(got.headers['x-api-key']).toBeUndefined();
		expect(got.headers.host).toMatch(/^localhost:/);
		expect(other).toMatchObject({ kind: 'other', status: 404, code: 1008 });
		expect(fake.count('create')).toBe(1);
		expect(fake.count()).toBe(4);
		const stats = fake.stats();
		expect(stats.byKind).toMatchObject({ create: 1, result: 1, download: 1, other: 1 });
		expect(stats.byHost).toEqual({ api: 3, cdn: 1 });
		expect(stats.readsPerJob).toEqual({ [id]: 1 });
		expect(stats.bytesServed).toBeGreaterThan(0);
	});

	it('reset() clears jobs, records, faults and the balance', async () => {
		const fake = await start({ credits: 5 });
		await create(fake, { prompt: 'p' });
		fake.plan('credits', [{ always: true, status: 500 }]);
		fake.reset();
		expect(fake.jobs.size).toBe(0);
		expect(fake.requests).toHaveLength(0);
		expect((await quota(fake)).json.data.credit).toBe(5);
	});
});
