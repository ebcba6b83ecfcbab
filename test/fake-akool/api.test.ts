/**
 * The fake Akool's API routes (api.js): authentication, the create and button answers, credits
 * and the rate limit. Validation: validate.test.ts; the job's life: jobs.test.ts.
 */
import { BUTTONS, MODEL_IMAGE_TO_IMAGE, MODEL_TEXT_TO_IMAGE, PATHS, readPngSize } from '../fake-akool';
import { call, closedAfterEach, completedJob, create, download, manualClock, press, quota, result } from '../harness/fakeAkool';

const { start } = closedAfterEach();

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
