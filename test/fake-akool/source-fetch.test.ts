/**
 * One download of a job's source (source-fetch.js, loopback.js), as the fake does it when the job
 * starts processing: a source it cannot get, or that is not an image, fails the job (status 4).
 * Loopback only: any other host is refused without a connection. The jobs' side (when, records,
 * callbacks): source-fetcher.test.ts.
 */
import { SAMPLE_SOURCES, imageTypeOf } from '../fake-akool';
import { closedAfterEach, jobFrom } from '../harness/fakeAkool';
import { refusedPort, until, watchConnects } from '../harness/fakeAkoolPeers';
import { isLoopbackHost } from './loopback';
import { refusalOf } from './source-fetch';

const { start, sourceServer } = closedAfterEach({ durationMs: 100 });

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
