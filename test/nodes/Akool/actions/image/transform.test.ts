import { imageSize, readPngSize } from '../../../../fake-akool';
import { runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

const transform = (overrides: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'transform',
	sourceImageUrl: 'https://example.com/cat.png',
	prompt: 'make it a watercolor',
	resolution: '1080p',
	numberOfImages: 1,
	options: { pollInterval: 1, timeout: 30 },
	...overrides,
});

describe('Image → Transform', () => {
	it('sends the source image, similarity and the Original ratio, and downloads the result', async () => {
		const { output, error } = await runAkool(fake(), { parameters: transform({ similarity: 0.8 }) });
		expect(error).toBeUndefined();
		expect(fake().requests.find((request) => request.kind === 'create')?.body).toEqual({
			prompt: 'make it a watercolor',
			source_images: ['https://example.com/cat.png'],
			similar: 0.8,
			scale: 'Original',
			resolution: '1080p',
			batch_quantity: 1,
		});
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'completed', model: 'wavespeed-ai/flux-kontext-dev' });
		const png = Buffer.from(output[0].binary?.data.data ?? '', 'base64');
		expect(readPngSize(png)).toEqual(imageSize('Original', '1080p'));
	});

	it('takes the source URL of each item from an expression and keeps items apart', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: transform({ sourceImageUrl: '={{ $json.url }}', aspectRatio: '9:16', numberOfImages: 2 }),
			items: [{ url: 'https://example.com/a.jpg' }, { url: 'http://example.com/b.jpg' }],
		});
		expect(error).toBeUndefined();
		const sources = fake()
			.requests.filter((request) => request.kind === 'create')
			.map((request) => (request.body as { source_images: string[] }).source_images[0])
			.sort();
		expect(sources).toEqual(['http://example.com/b.jpg', 'https://example.com/a.jpg']);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		for (const item of output) {
			expect(readPngSize(Buffer.from(item.binary?.data.data ?? '', 'base64'))).toEqual(imageSize('9:16', '1080p'));
		}
	});
});
