/**
 * The fake Akool downloads each job's source image when the job starts processing, as Akool does:
 * a source it cannot get, or that is not an image, fails the job (status 4, and the callbacks say
 * so); a job cannot complete before its source arrived. Loopback only: any other host is refused
 * without a connection. Every download is recorded.
 */
import { verifyCallback } from '../../nodes/shared/akool/callbackCrypto';
import {
	API_KEY,
	CALLBACK_API_KEY,
	PATHS,
	SAMPLE_SOURCES,
	imageTypeOf,
	readPngSize,
	sleep,
	startFakeAkool,
} from '../fake-akool';
import type { FakeAkool, SourceFetch } from '../fake-akool';
import { isLoopbackHost } from './loopback';
import { refusalOf } from './source-fetch';
import { refusedPort, runCli, startReceiver, until, watchConnects } from './test-peers';
import { closedAfterEach, ended, postCreate, statusOf } from './test-fakes';

const { start, sourceServer, onStop } = closedAfterEach({ durationMs: 100 });

/** Creates jobs from one source (and more fields); resolves their ids. */
async function create(fake: FakeAkool, source: string, body: Record<string, unknown> = {}): Promise<string[]> {
	const { code, data } = await postCreate(fake.baseUrl, { prompt: 'p', source_images: [source], ...body }, fake.options.apiKey);
	expect(code).toBe(1000);
	return (Array.isArray(data) ? data : [data]).map((job: { _id: string }) => job._id);
}

const fetchOf = (fake: FakeAkool, id: string): SourceFetch | undefined => fake.sourceFetches.find((f) => f.jobId === id);

/** Creates one job from `source` and waits until it ended; returns its status and its download. */
async function jobFrom(fake: FakeAkool, source: string) {
	const [id] = await create(fake, source);
	await until(ended(fake, id));
	return { id, status: statusOf(fake, id), record: fetchOf(fake, id) };
}

describe('sample sources', () => {
	it('serves a 640×480 PNG and a 64×48 JPEG without auth, not recorded as API requests', async () => {
		const fake = await start();
		const png = await fetch(fake.sampleSourceUrl('png'));
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		const pngBytes = Buffer.from(await png.arrayBuffer());
		expect(readPngSize(pngBytes)).toEqual({ width: 640, height: 480 });
		expect(pngBytes.equals(fake.sampleSource('png').bytes)).toBe(true);
		const jpeg = await fetch(fake.sampleSourceUrl('jpeg'));
		expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
		const jpegBytes = Buffer.from(await jpeg.arrayBuffer());
		expect(imageTypeOf(jpegBytes)).toBe('jpeg');
		// SOF0 holds height then width
		const sof = jpegBytes.indexOf(Buffer.from([0xff, 0xc0]));
		expect([jpegBytes.readUInt16BE(sof + 5), jpegBytes.readUInt16BE(sof + 7)]).toEqual([48, 64]);
		expect(jpegBytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
		const head = await fetch(fake.sampleSourceUrl('png'), { method: 'HEAD' });
		expect(head.headers.get('content-length')).toBe(String(SAMPLE_SOURCES.png.bytes.length));
		expect((await fetch(`${fake.baseUrl}/samples/none.png`)).status).toBe(404);
		expect(fake.requests).toEqual([]);
		expect(fake.sampleSourceUrl('text')).toBe(`${fake.baseUrl}/samples/not-an-image.txt`);
	});
});

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

describe('a source that cannot be fetched fails the job (status 4)', () => {
	it('on HTTP 404 (or any non-2xx)', async () => {
		const fake = await start();
		const server = await sourceServer();
		const missing = await jobFrom(fake, `${fake.baseUrl}/samples/missing.png`);
		expect(missing.status).toBe(4);
		expect(missing.record).toMatchObject({ state: 'failed', httpStatus: 404, error: 'HTTP 404 Not Found' });
		const broken = await jobFrom(fake, `${server.url}/status/500`);
		expect(broken.record).toMatchObject({ httpStatus: 500, error: 'HTTP 500 Internal Server Error', bytes: 12 });
		expect(fake.jobs.get(missing.id)).toMatchObject({ sourceState: 'failed', sourceError: 'HTTP 404 Not Found' });
		expect(fake.stats().sourceFetches).toEqual({ count: 2, ok: 0, failed: 2, inFlight: 0 });
	});

	it('on a refused connection', async () => {
		const fake = await start();
		const port = await refusedPort();
		const { status, record } = await jobFrom(fake, `http://127.0.0.1:${port}/photo.png`);
		expect(status).toBe(4);
		expect(record).toMatchObject({ httpStatus: null, sha256: null, bytes: 0, error: expect.stringMatching(/^unreachable: .*ECONNREFUSED/) });
	});

	it('on bytes that are not an image, whatever the Content-Type says', async () => {
		const fake = await start();
		for (const kind of ['text', 'mislabelled'] as const) {
			const { status, record } = await jobFrom(fake, fake.sampleSourceUrl(kind));
			expect(status).toBe(4);
			expect(record).toMatchObject({
				httpStatus: 200,
				imageType: null,
				sha256: SAMPLE_SOURCES[kind].sha256,
				error: expect.stringMatching(/^not an image: /),
			});
		}
		expect(fake.sourceFetches[1].headers['content-type']).toBe('image/png');
	});

	it('on a host that is not loopback, which is never contacted', async () => {
		const fake = await start();
		const watch = watchConnects();
		try {
			for (const url of ['http://192.0.2.1/photo.png', 'http://[2001:db8::1]/photo.png']) {
				const { status, record } = await jobFrom(fake, url);
				expect(status).toBe(4);
				expect(record).toMatchObject({ httpStatus: null, requestHeaders: {}, error: expect.stringMatching(/^unreachable: .* is not a loopback host.*not contacted$/) });
			}
		} finally {
			watch.stop();
		}
		expect(watch.attempts.filter((a) => a.host !== '127.0.0.1')).toEqual([]);
	});

	it('on a redirect to a host that is not loopback (not contacted) or too many redirects', async () => {
		const fake = await start();
		const server = await sourceServer();
		const away = await jobFrom(fake, `${server.url}/redirect?to=${encodeURIComponent('http://192.0.2.1/x.png')}`);
		expect(away.record).toMatchObject({ httpStatus: null, redirects: ['http://192.0.2.1/x.png'], error: expect.stringMatching(/not contacted$/) });
		const loop = await jobFrom(fake, `${server.url}/redirect`);
		expect(loop.status).toBe(4);
		expect(loop.record).toMatchObject({ httpStatus: 302, error: 'too many redirects: more than 3' });
		expect(loop.record?.redirects).toHaveLength(3);
	});

	it('on a source slower than sourceTimeoutMs: no answer, or a body that stops', async () => {
		const fake = await start({ sourceTimeoutMs: 150 });
		const server = await sourceServer();
		for (const path of ['/hang', '/stall']) {
			const { status, record } = await jobFrom(fake, `${server.url}${path}`);
			expect(status).toBe(4);
			expect(record?.error).toBe('unreachable: no complete answer within 150 ms (timeout)');
			expect((record?.doneAt ?? 0) - (record?.at ?? 0)).toBeGreaterThanOrEqual(140);
		}
		expect(fake.sourceFetches.map((f) => f.httpStatus)).toEqual([null, 200]);
		// the fake hung up on both (the server hears it a moment later)
		await until(() => server.requests.every((r) => r.cutOff));
	});

	it('on a source larger than sourceMaxBytes', async () => {
		const fake = await start({ sourceMaxBytes: 1000 });
		const { status, record } = await jobFrom(fake, fake.sampleSourceUrl('png'));
		expect(status).toBe(4);
		expect(record?.error).toBe('too large: more than 1000 bytes');
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
		const receiver = await startReceiver();
		onStop(receiver.close);
		const fake = await start({ apiKey: CALLBACK_API_KEY, callbacks: { clientId: CLIENT_ID } });
		const [bad] = await create(fake, fake.sampleSourceUrl('text'), { webhookurl: receiver.url });
		const [good] = await create(fake, fake.sampleSourceUrl('png'), { webhookurl: receiver.url });
		await until(() => fake.callbacks.length === 4 && fake.callbacks.every((d) => d.state === 'delivered'));
		const said = receiver.received.flatMap((got) => {
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

describe('the loopback rule', () => {
	it.each([
		['localhost', true],
		['127.0.0.1', true],
		['127.42.0.9', true],
		['[::1]', true],
		['192.0.2.1', false],
		['10.0.0.1', false],
		['[2001:db8::1]', false],
		['example.com', false],
		['localhost.example.com', false],
		['127.0.0.1.nip.io', false],
	])('%s is loopback: %s', (host, loopback) => {
		expect(isLoopbackHost(host)).toBe(loopback);
	});

	it('reads hosts as the URL parser normalizes them, and refuses other schemes', () => {
		expect(refusalOf('http://127.1:8080/x.png')).toBeNull();
		expect(refusalOf('http://0x7f.0.0.1/x.png')).toBeNull();
		expect(refusalOf('http://LOCALHOST/x.png')).toBeNull();
		expect(refusalOf('https://example.com/cat.png')).toMatch(/^unreachable: example\.com is not a loopback host/);
		expect(refusalOf('ftp://127.0.0.1/x.png')).toBe('unreachable: ftp: is not http or https');
		expect(refusalOf('not a url')).toBe('unreachable: not a URL: not a url');
	});

	it('recognizes PNG, JPEG and WebP by their magic bytes only', () => {
		expect(imageTypeOf(SAMPLE_SOURCES.png.bytes)).toBe('png');
		expect(imageTypeOf(SAMPLE_SOURCES.jpeg.bytes)).toBe('jpeg');
		expect(imageTypeOf(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
		expect(imageTypeOf(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
		expect(imageTypeOf(Buffer.from('<html>'))).toBeNull();
		expect(imageTypeOf(Buffer.alloc(0))).toBeNull();
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
