/**
 * The fake Akool downloads each job's source image when the job starts processing, as Akool does
 * (source-fetcher.js): a job cannot complete before its source arrived, its final callback waits
 * for the download, and every download is recorded. What fails a download: source-fetch.test.ts.
 */
import { verifyCallback } from '../../nodes/shared/akool/callbackCrypto';
import { API_KEY, CALLBACK_API_KEY, PATHS, SAMPLE_SOURCES, sleep, startFakeAkool } from '../fake-akool';
import type { SourceFetch } from '../fake-akool';
import { closedAfterEach, createFromSource as create, fetchOf, jobFrom, statusOf } from '../harness/fakeAkool';
import { runCli, until } from '../harness/fakeAkoolPeers';

const { start, sourceServer, receiver, onStop } = closedAfterEach({ durationMs: 100 });

describe('a source that can be fetched', () => {
	it('completes the job, and the record holds the bytes, their SHA-256 and the headers both ways', async () => {
		const fake = await start();
		const { id, status, record } = await jobFrom(fake, fake.sampleSourceUrl('png'));
		expect(status).toBe(3);
		expect(record).toMatchObject({
			id: 1,
			jobId: id,
			url: fake.sampleSourceUrl('png'),
			state: 'ok',
			httpStatus: 200,
			error: null,
			bytes: SAMPLE_SOURCES.png.bytes.length,
			sha256: SAMPLE_SOURCES.png.sha256,
			imageType: 'png',
			redirects: [],
		});
		expect(record?.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(record?.bytes) });
		expect(record?.requestHeaders).toMatchObject({ 'user-agent': expect.stringMatching(/fake-akool/), host: new URL(fake.baseUrl).host });
		// the fake's own credentials never go to a source host
		expect(JSON.stringify(record?.requestHeaders)).not.toContain(API_KEY);
		const job = fake.jobs.get(id);
		expect(record?.at).toBeGreaterThanOrEqual(Math.floor(job?.processingAt ?? Infinity));
		expect(job).toMatchObject({ sourceState: 'fetched', sourceError: null, sourceDoneAt: record?.doneAt });
		expect(fake.stats().sourceFetches).toEqual({ count: 1, ok: 1, failed: 0, inFlight: 0 });
	});

	it('accepts a JPEG, follows a loopback redirect, and sends what it fetched from another loopback host', async () => {
		const fake = await start();
		const server = await sourceServer();
		expect((await jobFrom(fake, fake.sampleSourceUrl('jpeg'))).record).toMatchObject({ state: 'ok', imageType: 'jpeg', sha256: SAMPLE_SOURCES.jpeg.sha256 });
		const redirect = `${server.url}/redirect?to=${encodeURIComponent(fake.sampleSourceUrl('png'))}`;
		const followed = await jobFrom(fake, redirect);
		expect(followed.status).toBe(3);
		expect(followed.record).toMatchObject({ url: redirect, redirects: [fake.sampleSourceUrl('png')], sha256: SAMPLE_SOURCES.png.sha256 });
		const other = await jobFrom(fake, `${server.url}/photo.png`);
		expect(other.record).toMatchObject({ state: 'ok', headers: expect.objectContaining({ 'x-source-server': 'test' }) });
		expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([undefined, undefined]);
	});

	it('fetches once per job of a batch, and not for button jobs (they work on the parent’s result)', async () => {
		const fake = await start({ buttons: true });
		const ids = await create(fake, fake.sampleSourceUrl('png'), { batch_quantity: 2 });
		await until(() => ids.every((id) => statusOf(fake, id) === 3));
		expect(fake.sourceFetches.map((f) => f.jobId).sort()).toEqual([...ids].sort());
		const res = await fetch(fake.baseUrl + PATHS.button, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
			body: JSON.stringify({ _id: ids[0], button: 'U1' }),
		});
		const child = ((await res.json()) as { data: { _id: string } }).data._id;
		await until(() => statusOf(fake, child) === 3);
		expect(fake.sourceFetches).toHaveLength(2);
	});

	it('fetches nothing for text-to-image jobs', async () => {
		const fake = await start({ durationMs: 20 });
		await fetch(fake.baseUrl + PATHS.create, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
			body: JSON.stringify({ prompt: 'p' }),
		});
		await sleep(60);
		expect(fake.sourceFetches).toEqual([]);
	});
});

describe('reset() and close()', () => {
	it('reset() aborts a download under way and forgets it', async () => {
		const fake = await start({ durationMs: 20 });
		const server = await sourceServer();
		await create(fake, `${server.url}/hang`);
		await until(() => fake.sourceFetches[0]?.state === 'fetching');
		await until(() => server.requests.length === 1);
		fake.reset();
		expect(fake.sourceFetches).toEqual([]);
		expect(fake.stats().sourceFetches.count).toBe(0);
		await until(() => server.requests[0].cutOff);
		// a job whose download is scheduled (not yet processing) gets none
		fake.setOptions({ durationMs: 1000 });
		await create(fake, `${server.url}/photo.png`);
		fake.reset();
		await sleep(150);
		expect(server.requests).toHaveLength(1);
	});

	it('close() aborts a download under way: the job fails and the record says why', async () => {
		const fake = await start({ durationMs: 20 });
		const server = await sourceServer();
		const [id] = await create(fake, `${server.url}/hang`);
		await until(() => server.requests.length === 1);
		await fake.close();
		expect(fetchOf(fake, id)).toMatchObject({ state: 'failed', error: 'aborted: the fake closed' });
		expect(statusOf(fake, id)).toBe(4);
		await until(() => server.requests[0].cutOff);
	});
});

describe('callbacks', () => {
	const CLIENT_ID = 'client-7';
	const SECRETS = { apiKey: CALLBACK_API_KEY, clientId: CLIENT_ID };

	it('send status 4 when the source cannot be fetched, and 3 only after a source arrived', async () => {
		const webhook = await receiver();
		const fake = await start({ apiKey: CALLBACK_API_KEY, callbacks: { clientId: CLIENT_ID } });
		const [bad] = await create(fake, fake.sampleSourceUrl('text'), { webhookurl: webhook.url });
		const [good] = await create(fake, fake.sampleSourceUrl('png'), { webhookurl: webhook.url });
		await until(() => fake.callbacks.length === 4 && fake.callbacks.every((d) => d.state === 'delivered'));
		const said = webhook.received.flatMap((got) => {
			const verdict = verifyCallback(got.body, SECRETS);
			return verdict.ok ? [verdict.data] : [];
		});
		// the processing and the final callback go out close together: their order on arrival is not the point
		const statuses = (id: string) =>
			said
				.filter((data) => data._id === id)
				.sort((a, b) => a.status - b.status)
				.map((data) => [data.status, data.url]);
		expect(statuses(bad)).toEqual([
			[2, undefined],
			[4, undefined],
		]);
		expect(statuses(good)).toEqual([
			[2, undefined],
			[3, fake.imageUrl(good)],
		]);
		const finalOfBad = fake.callbacks.find((d) => d.jobId === bad && d.status === 4);
		expect(finalOfBad?.attempts[0].at).toBeGreaterThanOrEqual(fetchOf(fake, bad)?.doneAt ?? Infinity);
		const finalOfGood = fake.callbacks.find((d) => d.jobId === good && d.status === 3);
		expect(finalOfGood?.attempts[0].at).toBeGreaterThanOrEqual(fetchOf(fake, good)?.doneAt ?? Infinity);
	});
});

describe('options and the CLI', () => {
	it('rejects a negative timeout or size', () => {
		expect(() => startFakeAkool({ sourceTimeoutMs: -1 })).toThrow(/sourceTimeoutMs must be a number >= 0/);
		expect(() => startFakeAkool({ sourceMaxBytes: Number.NaN })).toThrow(/sourceMaxBytes/);
	});

	it('takes --source-timeout-ms and serves the downloads at GET /__source-fetches', async () => {
		const server = await sourceServer();
		const cli = runCli(['--duration-ms', '50', '--source-timeout-ms', '100']);
		onStop(cli.stop);
		const { baseUrl } = JSON.parse(await cli.firstLine) as { baseUrl: string };
		const post = async (source: string) =>
			await fetch(baseUrl + PATHS.create, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ prompt: 'p', source_images: [source] }),
			});
		await post(`${baseUrl}/samples/photo.jpg`);
		await post(`${server.url}/hang`);
		let fetches: SourceFetch[] = [];
		for (let i = 0; i < 100 && !(fetches.length === 2 && fetches.every((f) => f.state !== 'fetching')); i++) {
			await sleep(30);
			fetches = (await (await fetch(`${baseUrl}/__source-fetches`)).json()) as SourceFetch[];
		}
		expect(fetches.map((f) => [f.state, f.sha256 ?? f.error])).toEqual([
			['ok', SAMPLE_SOURCES.jpeg.sha256],
			['failed', 'unreachable: no complete answer within 100 ms (timeout)'],
		]);
		const stats = (await (await fetch(`${baseUrl}/__stats`)).json()) as { sourceFetches: unknown };
		expect(stats.sourceFetches).toEqual({ count: 2, ok: 1, failed: 1, inFlight: 0 });
	});
});

describe('timing', () => {
	it('keeps a job processing past its time until its source arrived, then completes it', async () => {
		const fake = await start({ durationMs: 100 });
		const server = await sourceServer();
		const [id] = await create(fake, `${server.url}/slow/500`);
		const job = fake.jobs.get(id);
		expect(statusOf(fake, id)).toBe(1);
		await until(() => fetchOf(fake, id)?.state === 'fetching');
		await until(() => Date.now() > (job?.readyAt ?? 0) + 50);
		expect(statusOf(fake, id)).toBe(2);
		expect(fetchOf(fake, id)?.state).toBe('fetching');
		await until(() => statusOf(fake, id) === 3);
		const record = fetchOf(fake, id);
		expect(record?.state).toBe('ok');
		expect(Date.now()).toBeGreaterThanOrEqual(record?.doneAt ?? Infinity);
		expect((record?.doneAt ?? 0) - (job?.createdAt ?? 0)).toBeGreaterThanOrEqual(500);
		expect(fake.stats().idealMs).toBe((record?.doneAt ?? 0) - (job?.createdAt ?? 0));
	});

	it('starts the download when the job starts processing, not at creation', async () => {
		const fake = await start({ durationMs: 1000 });
		const [id] = await create(fake, fake.sampleSourceUrl('png'));
		await sleep(40);
		expect(fake.sourceFetches).toEqual([]);
		expect(statusOf(fake, id)).toBe(1);
		await until(() => fetchOf(fake, id)?.state === 'ok');
		expect(fetchOf(fake, id)?.at).toBeGreaterThanOrEqual(Math.floor(fake.jobs.get(id)?.processingAt ?? Infinity));
		expect(statusOf(fake, id)).toBe(2);
	});

	it('with a manual clock, holds a job past its time until the real-time download ended', async () => {
		let now = 1_750_000_000_000;
		const fake = await start({ durationMs: 2000, now: () => now });
		const [id] = await create(fake, fake.sampleSourceUrl('png'));
		now += 10_000;
		expect(statusOf(fake, id)).toBe(2);
		await until(() => fetchOf(fake, id)?.state === 'ok');
		expect(statusOf(fake, id)).toBe(3);
		expect(fetchOf(fake, id)?.at).toBe(now);
	});
});
