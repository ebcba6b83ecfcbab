import {
	API_KEY,
	ASPECT_RATIOS,
	BUTTONS,
	MODEL_IMAGE_TO_IMAGE,
	MODEL_TEXT_TO_IMAGE,
	PATHS,
	RESOLUTIONS,
	encodePng,
	imageSize,
	readPngSize,
	sleep,
	startFakeAkool,
} from '../fake-akool';
import type { FakeAkool, FakeAkoolOptions } from '../fake-akool';

interface Envelope {
	code: number;
	msg: string;
	// Tests read many shapes of `data` (job, array of jobs, credit, null); each assertion checks its shape.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data: any;
}

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: Envelope;
}

const KEY = { 'x-api-key': API_KEY };
const started: FakeAkool[] = [];

async function start(options: FakeAkoolOptions = {}): Promise<FakeAkool> {
	const fake = await startFakeAkool(options);
	started.push(fake);
	return fake;
}

afterEach(async () => {
	await Promise.all(started.splice(0).map(async (fake) => await fake.close()));
});

/** A clock the test moves by hand, so the state machine and the rate limit are deterministic. */
function manualClock(t = 1_750_000_000_000) {
	const clock = { t, now: () => clock.t, advance: (ms: number) => (clock.t += ms) };
	return clock;
}

async function call(
	fake: FakeAkool,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = KEY,
): Promise<Answer> {
	const res = await fetch(fake.baseUrl + path, {
		method,
		headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Envelope;
	try {
		json = JSON.parse(text) as Envelope;
	} catch {
		json = { code: NaN, msg: 'not JSON', data: null };
	}
	return { status: res.status, headers: res.headers, text, json };
}

const create = async (fake: FakeAkool, body: unknown, headers?: Record<string, string>) =>
	await call(fake, 'POST', PATHS.create, body, headers);
const result = async (fake: FakeAkool, id: string) =>
	await call(fake, 'GET', `${PATHS.result}?image_model_id=${id}`);
const press = async (fake: FakeAkool, body: unknown) =>
	await call(fake, 'POST', PATHS.button, body);
const quota = async (fake: FakeAkool) => await call(fake, 'GET', PATHS.credits);

async function download(url: string, init?: RequestInit) {
	const res = await fetch(url, init);
	return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Create one job and move the clock past its end. */
async function completedJob(
	fake: FakeAkool,
	clock: ReturnType<typeof manualClock>,
	body: object = {},
) {
	const made = await create(fake, { prompt: 'a red fox', ...body });
	expect(made.json.code).toBe(1000);
	clock.advance(10_000);
	return made.json.data._id as string;
}

describe('authentication', () => {
	it('answers 1102 without a key, 1101 with a wrong one, both on HTTP 200', async () => {
		const fake = await start();
		const none = await call(fake, 'GET', PATHS.credits, undefined, {});
		expect(none.status).toBe(200);
		expect(none.json).toEqual({ code: 1102, msg: 'Authorization cannot be empty', data: null });
		const wrong = await call(fake, 'GET', PATHS.credits, undefined, { 'x-api-key': 'nope' });
		expect(wrong.status).toBe(200);
		expect(wrong.json.code).toBe(1101);
		expect(wrong.json.msg).toBe('Invalid authorization or the request token has expired');
	});

	it('accepts Bearer, which wins over x-api-key', async () => {
		const fake = await start({ apiKey: 'k-123' });
		const bearer = await call(fake, 'GET', PATHS.credits, undefined, {
			authorization: 'Bearer k-123',
		});
		expect(bearer.json.code).toBe(1000);
		const both = await call(fake, 'GET', PATHS.credits, undefined, {
			authorization: 'Bearer stale',
			'x-api-key': 'k-123',
		});
		expect(both.json.code).toBe(1101);
	});

	it('checks auth on every API route and creates nothing without it', async () => {
		const fake = await start();
		const made = await create(fake, { prompt: 'x' }, { 'x-api-key': 'nope' });
		expect(made.json.code).toBe(1101);
		expect(fake.jobs.size).toBe(0);
		expect(
			(await call(fake, 'GET', `${PATHS.result}?image_model_id=x`, undefined, {})).json.code,
		).toBe(1102);
		expect((await call(fake, 'POST', PATHS.button, { _id: 'x', button: 'U1' }, {})).json.code).toBe(
			1102,
		);
	});
});

describe('create validation (1003)', () => {
	const src = { source_images: ['https://example.com/a.jpg'] };
	const cases: Array<[string, unknown, string]> = [
		['no prompt', {}, 'prompt'],
		['empty prompt', { prompt: '  ' }, 'prompt'],
		['prompt not a string', { prompt: 5 }, 'prompt'],
		['unknown model', { prompt: 'p', model_name: 'dall-e' }, 'model_name must be one of'],
		[
			'text model with sources',
			{ prompt: 'p', model_name: MODEL_TEXT_TO_IMAGE, ...src },
			'text-to-image',
		],
		[
			'image model without sources',
			{ prompt: 'p', model_name: MODEL_IMAGE_TO_IMAGE },
			'source_images is required',
		],
		[
			'sources not an array',
			{ prompt: 'p', source_images: 'https://example.com/a.jpg' },
			'source_images',
		],
		['sources empty', { prompt: 'p', source_images: [] }, 'source_images'],
		['source not http', { prompt: 'p', source_images: ['ftp://x/a.jpg'] }, 'source_images'],
		['bad scale', { prompt: 'p', scale: '5:4' }, 'scale must be one of'],
		['Original without sources', { prompt: 'p', scale: 'Original' }, "'Original'"],
		['bad resolution', { prompt: 'p', resolution: '8k' }, 'resolution'],
		['batch 0', { prompt: 'p', batch_quantity: 0 }, 'batch_quantity'],
		['batch 5', { prompt: 'p', batch_quantity: 5 }, 'batch_quantity'],
		['batch 1.5', { prompt: 'p', batch_quantity: 1.5 }, 'batch_quantity'],
		['batch as text', { prompt: 'p', batch_quantity: '2' }, 'batch_quantity'],
		['similar 2', { prompt: 'p', similar: 2, ...src }, 'similar'],
		['negative_prompt not text', { prompt: 'p', negative_prompt: 1 }, 'negative_prompt'],
		['webhookurl not text', { prompt: 'p', webhookurl: true }, 'webhookurl'],
		['body an array', [{ prompt: 'p' }], 'JSON object'],
	];

	it.each(cases)('%s', async (_name, body, field) => {
		const fake = await start();
		const answer = await create(fake, body);
		expect(answer.status).toBe(200);
		expect(answer.json.code).toBe(1003);
		expect(answer.json.msg).toContain(field);
		expect(fake.jobs.size).toBe(0);
		expect(fake.credits).toBe(1000);
	});

	it('ignores a JSON body not sent as JSON, like an express.json() server', async () => {
		const fake = await start();
		const res = await fetch(fake.baseUrl + PATHS.create, {
			method: 'POST',
			headers: { ...KEY, 'content-type': 'text/plain' },
			body: JSON.stringify({ prompt: 'p' }),
		});
		expect(((await res.json()) as Envelope).code).toBe(1003);
		expect(fake.requests[0].body).toEqual({ prompt: 'p' });
	});

	it('accepts every documented field and ignores unknown ones', async () => {
		const fake = await start();
		const answer = await create(fake, {
			prompt: 'p',
			model_name: MODEL_IMAGE_TO_IMAGE,
			source_images: [fake.sampleSourceUrl('jpeg')],
			scale: 'Original',
			resolution: '1080p',
			batch_quantity: 1,
			similar: 0.7,
			negative_prompt: 'blurry',
			webhookurl: 'https://hooks.example.com/x',
			something_else: 1,
		});
		expect(answer.json.code).toBe(1000);
	});
});

describe('create answers', () => {
	it('answers ONE object for batch_quantity 1 with the reference page fields', async () => {
		const fake = await start();
		const { json } = await create(fake, { prompt: 'a fox', scale: '16:9' });
		expect(json.code).toBe(1000);
		expect(json.msg).toBe('OK');
		expect(Array.isArray(json.data)).toBe(false);
		expect(json.data).toEqual(
			expect.objectContaining({
				uid: expect.any(Number),
				team_id: expect.any(String),
				create_time: expect.any(Number),
				prompt: 'a fox',
				origin_prompt: 'a fox',
				source_image: '',
				image_status: 1,
				image_sub_status: 1,
				deduction_credit: 1,
				model_name: MODEL_TEXT_TO_IMAGE,
				provider: 'wavespeed-ai',
				type: 4,
				from: 4,
				sub_type: 40001,
				file_name: expect.stringMatching(/\.png$/),
			}),
		);
		expect(json.data._id).toMatch(/^[0-9a-f]{24}$/);
		expect(fake.jobs.get(json.data._id)).toMatchObject({ ratio: '16:9', resolution: '4k' });
	});

	it('answers an ARRAY for a batch, one distinct job per image', async () => {
		const fake = await start();
		const { json } = await create(fake, { prompt: 'p', batch_quantity: 3 });
		expect(Array.isArray(json.data)).toBe(true);
		const ids = (json.data as Array<{ _id: string }>).map((d) => d._id);
		expect(new Set(ids).size).toBe(3);
		expect(fake.jobs.size).toBe(3);
	});

	it('picks the image-to-image model when source_images is given', async () => {
		const fake = await start();
		const { json } = await create(fake, {
			prompt: 'p',
			source_images: [fake.sampleSourceUrl('png')],
		});
		expect(json.data).toMatchObject({
			model_name: MODEL_IMAGE_TO_IMAGE,
			sub_type: 40002,
			source_image: fake.sampleSourceUrl('png'),
		});
	});
});

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

describe('credits', () => {
	it('deducts one credit per created image and reports the balance', async () => {
		const fake = await start({ credits: 10 });
		expect((await quota(fake)).json).toEqual({ code: 1000, msg: 'OK', data: { credit: 10 } });
		await create(fake, { prompt: 'p', batch_quantity: 3 });
		expect((await quota(fake)).json.data.credit).toBe(7);
		expect(fake.credits).toBe(7);
	});

	it('refuses a batch the balance cannot pay for (1006)', async () => {
		const fake = await start({ credits: 1 });
		expect((await create(fake, { prompt: 'p', batch_quantity: 2 })).json.code).toBe(1006);
		expect(fake.jobs.size).toBe(0);
		fake.setOptions({ credits: 5 });
		expect((await quota(fake)).json.data.credit).toBe(5);
	});
});

describe('CDN images', () => {
	it('gives the documented size for every ratio and resolution', () => {
		expect(imageSize('1:1', '1080p')).toEqual({ width: 1080, height: 1080 });
		expect(imageSize('16:9', '1080p')).toEqual({ width: 1920, height: 1080 });
		expect(imageSize('9:16', '1080p')).toEqual({ width: 1080, height: 1920 });
		expect(imageSize('4:3', '1080p')).toEqual({ width: 1440, height: 1080 });
		expect(imageSize('3:4', '1080p')).toEqual({ width: 1080, height: 1440 });
		expect(imageSize('3:2', '1080p')).toEqual({ width: 1620, height: 1080 });
		expect(imageSize('2:3', '1080p')).toEqual({ width: 1080, height: 1620 });
		expect(imageSize('16:9', '4k')).toEqual({ width: 3840, height: 2160 });
		expect(imageSize('Original', '4k')).toEqual(imageSize('4:3', '4k'));
	});

	it('serves a real PNG of that size for every ratio × resolution', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 10, now: clock.now });
		for (const resolution of RESOLUTIONS) {
			for (const scale of ASPECT_RATIOS) {
				const id = (await create(fake, { prompt: 'p', scale, resolution })).json.data._id as string;
				clock.advance(10);
				const url = (await result(fake, id)).json.data.image as string;
				const { res, bytes } = await download(url);
				expect(res.status).toBe(200);
				expect(res.headers.get('content-type')).toBe('image/png');
				expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
				expect(readPngSize(bytes)).toEqual(imageSize(scale, resolution));
			}
		}
	}, 30000);

	it('is another host, answers 404 before completion and for unknown ids', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 1000, now: clock.now });
		expect(new URL(fake.cdnBaseUrl).hostname).toBe('localhost');
		expect(new URL(fake.baseUrl).hostname).toBe('127.0.0.1');
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		expect((await download(fake.imageUrl(id))).res.status).toBe(404);
		expect((await download(fake.imageUrl('0123456789abcdef01234567'))).res.status).toBe(404);
		expect((await download(`${fake.cdnBaseUrl}/elsewhere`)).res.status).toBe(404);
	});

	it('encodes gradient and noise PNGs and rejects broken ones', () => {
		const gradient = encodePng(64, 48, { seed: 3 });
		const noise = encodePng(64, 48, { seed: 3, kind: 'noise' });
		expect(readPngSize(gradient)).toEqual({ width: 64, height: 48 });
		expect(readPngSize(noise)).toEqual({ width: 64, height: 48 });
		expect(noise.length).toBeGreaterThan(64 * 48 * 3);
		expect(gradient.length).toBeLessThan(noise.length / 4);
		expect(() => readPngSize(new TextEncoder().encode('<html>not an image</html>'))).toThrow(
			/signature|bytes/,
		);
		const badCrc = Uint8Array.from(gradient);
		badCrc[20] ^= 1;
		expect(() => readPngSize(badCrc)).toThrow(/CRC/);
	});
});

describe('buttons', () => {
	it('lists no buttons by default and says so', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 100, now: clock.now });
		const id = await completedJob(fake, clock);
		expect((await result(fake, id)).json.data.buttons).toEqual([]);
		const answer = await press(fake, { _id: id, button: 'U1' });
		expect(answer.json.code).toBe(1003);
		expect(answer.json.msg).toContain('this job lists no buttons');
	});

	it('upscales (U) to 4K, varies (V) at the same resolution, each button once', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 100, buttons: true, now: clock.now });
		const made = await create(fake, { prompt: 'p', scale: '3:2', resolution: '1080p' });
		const id = made.json.data._id as string;
		expect((await result(fake, id)).json.data.buttons).toEqual([]);
		expect((await press(fake, { _id: id, button: 'U1' })).json.code).toBe(1010);
		clock.advance(100);
		expect((await result(fake, id)).json.data.buttons).toEqual([...BUTTONS]);
		expect((await press(fake, { _id: 'ffffffffffffffffffffffff', button: 'U1' })).json.code).toBe(
			1008,
		);
		const bad = await press(fake, { _id: id, button: 'X9' });
		expect(bad.json.code).toBe(1003);
		expect(bad.json.msg).toContain('U1');

		const up = await press(fake, { _id: id, button: 'U1' });
		expect(up.json.code).toBe(1000);
		expect(Array.isArray(up.json.data)).toBe(false);
		expect(fake.jobs.get(up.json.data._id)).toMatchObject({
			ratio: '3:2',
			resolution: '4k',
			parentId: id,
		});
		expect((await press(fake, { _id: id, button: 'U1' })).json.code).toBe(1011);
		const vary = await press(fake, { _id: id, button: 'V2' });
		expect(fake.jobs.get(vary.json.data._id)).toMatchObject({ ratio: '3:2', resolution: '1080p' });
		expect((await result(fake, id)).json.data.used_buttons).toEqual(['U1', 'V2']);
		expect(fake.credits).toBe(997);

		clock.advance(100);
		const upscaled = await download(fake.imageUrl(up.json.data._id));
		expect(readPngSize(upscaled.bytes)).toEqual({ width: 3240, height: 2160 });
	});
});

describe('rate limit', () => {
	it('answers 1005 beyond max per rolling window; rejected requests do not count', async () => {
		const clock = manualClock();
		const fake = await start({ rateLimit: { max: 3, windowMs: 1000 }, now: clock.now });
		for (let i = 0; i < 3; i++) expect((await quota(fake)).json.code).toBe(1000);
		const limited = await quota(fake);
		expect(limited.status).toBe(200);
		expect(limited.json).toMatchObject({ code: 1005, msg: 'Too frequent' });
		clock.advance(500);
		expect((await create(fake, { prompt: 'p' })).json.code).toBe(1005);
		expect(fake.jobs.size).toBe(0);
		clock.advance(501);
		expect((await quota(fake)).json.code).toBe(1000);
		expect(fake.stats().byCode).toMatchObject({ '1000': 4, '1005': 2 });
	});

	it('does not limit the CDN', async () => {
		const clock = manualClock();
		const fake = await start({
			durationMs: 10,
			rateLimit: { max: 1, windowMs: 1000 },
			now: clock.now,
		});
		const id = await completedJob(fake, clock);
		for (let i = 0; i < 3; i++) expect((await download(fake.imageUrl(id))).res.status).toBe(200);
	});
});

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
