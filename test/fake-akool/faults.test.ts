/**
 * Fault plans (faults.js): a planned answer replaces or modifies the real one, request by request.
 */
import { PATHS, readPngSize, sleep, startFakeAkool } from '../fake-akool';
import { KEY, closedAfterEach, completedJob, create, download, manualClock, quota, result } from '../harness/fakeAkool';

const { start } = closedAfterEach();

describe('fault plans', () => {
	it('answers a planned 1005 or 429 on create without creating a job', async () => {
		const fake = await start();
		fake.plan('create', [
			{ json: { code: 1005, msg: 'Too frequent' } },
			{ status: 429, headers: { 'Retry-After': '2' } },
		]);
		expect((await create(fake, { prompt: 'p' })).json.code).toBe(1005);
		const throttled = await create(fake, { prompt: 'p' });
		expect(throttled.status).toBe(429);
		expect(throttled.headers.get('retry-after')).toBe('2');
		expect(fake.jobs.size).toBe(0);
		expect(fake.credits).toBe(1000);
		expect((await create(fake, { prompt: 'p' })).json.code).toBe(1000);
		expect(fake.requests.map((r) => r.fault !== null)).toEqual([true, true, false]);
	});

	it('hits only the nth request, for `times` requests', async () => {
		const fake = await start();
		fake.plan('credits', [{ nth: 2, times: 2, status: 503 }]);
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await quota(fake)).status);
		expect(statuses).toEqual([200, 503, 503, 200, 200]);
		fake.plan('credits', [
			{ always: true, raw: '<html>Bad gateway</html>', status: 502, contentType: 'text/html' },
		]);
		const html = await quota(fake);
		expect(html.status).toBe(502);
		expect(html.text).toContain('<html>');
		expect(html.headers.get('content-type')).toBe('text/html');
	});

	it('can answer malformed JSON, a success without _id, or a short array', async () => {
		const fake = await start();
		fake.plan('create', [
			{ raw: '{"code":1000,"msg":"OK","data":{', contentType: 'application/json' },
			{ json: { code: 1000, msg: 'OK', data: {} } },
			{ shortArray: true },
		]);
		expect((await create(fake, { prompt: 'p' })).text).toBe('{"code":1000,"msg":"OK","data":{');
		expect((await create(fake, { prompt: 'p' })).json.data).toEqual({});
		expect(fake.jobs.size).toBe(0);
		const short = await create(fake, { prompt: 'p', batch_quantity: 3 });
		expect(short.json.code).toBe(1000);
		expect(short.json.data).toHaveLength(2);
		expect(fake.jobs.size).toBe(2);
		expect(fake.credits).toBe(998);
	});

	it('resets the connection or hangs', async () => {
		const fake = await start();
		fake.plan('result', [{ reset: true }, { hangMs: 5000 }]);
		await expect(result(fake, 'x')).rejects.toThrow();
		const started = Date.now();
		await expect(
			fetch(`${fake.baseUrl}${PATHS.result}?image_model_id=x`, {
				headers: KEY,
				signal: AbortSignal.timeout(200),
			}),
		).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(2000);
		expect(fake.requests.map((r) => r.status)).toEqual([null, null]);
		expect(fake.stats().byStatus).toEqual({ none: 2 });
	});

	it('close() ends a hung request', async () => {
		const fake = await startFakeAkool();
		fake.plan('credits', [{ hangMs: 60_000 }]);
		const pending = quota(fake).then(
			() => 'answered',
			() => 'failed',
		);
		while (fake.count('credits') === 0) await sleep(5);
		await fake.close();
		expect(await pending).toBe('failed');
	});

	it('overrides the reported status or drops the URL on result', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 10, now: clock.now });
		const id = await completedJob(fake, clock);
		fake.plan('result', [{ jobStatus: 2 }, { noUrl: true }]);
		expect((await result(fake, id)).json.data).toMatchObject({ image_status: 2, image: '' });
		expect((await result(fake, id)).json.data).toMatchObject({
			image_status: 3,
			image: '',
			upscaled_urls: [],
		});
		expect((await result(fake, id)).json.data.image).toBe(fake.imageUrl(id));
	});

	it('truncates, oversizes or redirects a download', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 10, now: clock.now });
		const id = await completedJob(fake, clock, { resolution: '1080p' });
		fake.plan('download', [
			{ truncate: 100 },
			{ oversize: 2_000_000 },
			{ redirect: `${fake.cdnBaseUrl}/images/${id}.png` },
		]);
		await expect(download(fake.imageUrl(id))).rejects.toThrow();
		const big = await download(fake.imageUrl(id));
		expect(big.bytes.length).toBeGreaterThan(2_000_000);
		expect(readPngSize(big.bytes)).toEqual({ width: 1080, height: 1080 });
		const moved = await fetch(fake.imageUrl(id), { redirect: 'manual' });
		expect(moved.status).toBe(302);
		expect(moved.headers.get('location')).toBe(fake.imageUrl(id));
		expect(fake.stats().downloads).toBe(1);
	});

	it('rejects unknown fault fields and kinds', async () => {
		const fake = await start();
		expect(() => fake.plan('create', [{ nht: 1 } as never])).toThrow(/nht/);
		expect(() => fake.plan('other' as never, [])).toThrow(/kind/);
	});
});
