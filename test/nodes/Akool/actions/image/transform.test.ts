import { SAMPLE_SOURCES, imageSize, readPngSize } from '../../../../fake-akool';
import type { FakeAkool } from '../../../../fake-akool';
import { runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

// Every source is one of the fake's samples: Akool (and so the fake) downloads it, for real.
const transform = (overrides: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'transform',
	sourceImageUrl: fake().sampleSourceUrl('png'),
	prompt: 'make it a watercolor',
	resolution: '1080p',
	numberOfImages: 1,
	options: { pollInterval: 1, timeout: 30 },
	...overrides,
});

/** What the fake downloaded for each job: URL and SHA-256 of the bytes, by job ID. */
const fetchedByJob = (akool: FakeAkool) =>
	new Map(akool.sourceFetches.map((fetched) => [fetched.jobId, [fetched.url, fetched.sha256]]));

describe('Image → Transform', () => {
	it('sends the source image, similarity and the Original ratio, and downloads the result', async () => {
		const { output, error } = await runAkool(fake(), { parameters: transform({ similarity: 0.8 }) });
		expect(error).toBeUndefined();
		expect(fake().requests.find((request) => request.kind === 'create')?.body).toEqual({
			prompt: 'make it a watercolor',
			source_images: [fake().sampleSourceUrl('png')],
			similar: 0.8,
			scale: 'Original',
			resolution: '1080p',
			batch_quantity: 1,
		});
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'completed', model: 'wavespeed-ai/flux-kontext-dev' });
		const png = Buffer.from(output[0].binary?.data.data ?? '', 'base64');
		expect(readPngSize(png)).toEqual(imageSize('Original', '1080p'));
		// Akool got the source itself: the fake fetched exactly the sample, once, for this job
		expect(fake().sourceFetches).toHaveLength(1);
		expect(fake().sourceFetches[0]).toMatchObject({
			jobId: output[0].json.jobId,
			url: fake().sampleSourceUrl('png'),
			state: 'ok',
			httpStatus: 200,
			bytes: SAMPLE_SOURCES.png.bytes.length,
			sha256: SAMPLE_SOURCES.png.sha256,
			imageType: 'png',
		});
	});

	it('takes the source URL of each item from an expression and keeps items apart', async () => {
		const [png, jpeg] = [fake().sampleSourceUrl('png'), fake().sampleSourceUrl('jpeg')];
		const { output, error } = await runAkool(fake(), {
			parameters: transform({ sourceImageUrl: '={{ $json.url }}', aspectRatio: '9:16', numberOfImages: 2 }),
			items: [{ url: png }, { url: jpeg }],
		});
		expect(error).toBeUndefined();
		const sources = fake()
			.requests.filter((request) => request.kind === 'create')
			.map((request) => (request.body as { source_images: string[] }).source_images[0])
			.sort();
		expect(sources).toEqual([jpeg, png].sort());
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		for (const item of output) {
			expect(readPngSize(Buffer.from(item.binary?.data.data ?? '', 'base64'))).toEqual(imageSize('9:16', '1080p'));
		}
		// each job of an item fetched that item's own source
		const fetched = fetchedByJob(fake());
		expect(output.map((item) => fetched.get(String(item.json.jobId)))).toEqual([
			[png, SAMPLE_SOURCES.png.sha256],
			[png, SAMPLE_SOURCES.png.sha256],
			[jpeg, SAMPLE_SOURCES.jpeg.sha256],
			[jpeg, SAMPLE_SOURCES.jpeg.sha256],
		]);
	});

	it('fails the job whose source Akool cannot download, naming it', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: transform({ sourceImageUrl: '={{ $json.url }}' }),
			items: [{ url: fake().sampleSourceUrl('png') }, { url: fake().sampleSourceUrl('text') }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const failed = fake().sourceFetches.find((fetched) => fetched.state === 'failed');
		expect(failed).toMatchObject({ url: fake().sampleSourceUrl('text'), error: expect.stringMatching(/^not an image/) });
		expect(output[0].json).toMatchObject({ status: 'completed' });
		expect(String(output[1].json.error)).toContain(String(failed?.jobId));
	});
});
