import { imageSize, readPngSize } from '../../../../fake-akool';
import { generateParameters, runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

/** The bytes of a binary the node stored (inline base64 in n8n-core's default binary mode). */
function binaryBytes(data: string | undefined): Buffer {
	return Buffer.from(data ?? '', 'base64');
}

describe('Image → Generate', () => {
	it('turns one image (Akool answers one object) into one item with a downloaded PNG', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ aspectRatio: '16:9', prompt: '  a red fox  ' }),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			status: 'completed',
			statusCode: 3,
			prompt: 'a red fox',
			model: 'wavespeed-ai/flux-krea-dev-lora',
			creditsCharged: 1,
			batchIndex: 0,
		});
		expect(item.json.imageUrl).toBe(fake().imageUrl(String(item.json.jobId)));
		const createdAt = Date.parse(String(item.json.createdAt));
		expect(Date.parse(String(item.json.expiresAt)) - createdAt).toBe(7 * 24 * 3600 * 1000);
		const binary = item.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: `akool-${item.json.jobId}.png` });
		expect(readPngSize(binaryBytes(binary?.data))).toEqual(imageSize('16:9', '1080p'));

		const [create] = fake().requests.filter((request) => request.kind === 'create');
		expect(create.body).toEqual({ prompt: 'a red fox', scale: '16:9', resolution: '1080p', batch_quantity: 1 });
		expect(fake().count('create')).toBe(1);
	});

	it('turns four images (Akool answers an array) into four items of the same input item, in order', async () => {
		const { output, error } = await runAkool(fake(), { parameters: generateParameters({ numberOfImages: 4 }) });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.batchIndex)).toEqual([0, 1, 2, 3]);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(new Set(output.map((item) => item.json.jobId)).size).toBe(4);
		for (const item of output) {
			expect(readPngSize(binaryBytes(item.binary?.data.data))).toEqual(imageSize('1:1', '1080p'));
		}
		expect(fake().count('create')).toBe(1);
	});

	it('sends the options under Akool’s names and the default 4K resolution', async () => {
		const parameters = generateParameters({
			downloadImage: false,
			options: {
				negativePrompt: 'blurry',
				model: 'wavespeed-ai/flux-krea-dev-lora',
				webhookUrl: 'https://example.com/hook',
			},
		});
		delete parameters.resolution;
		const { output, error } = await runAkool(fake(), { parameters });
		expect(error).toBeUndefined();
		expect(output[0].binary).toBeUndefined();
		expect(fake().requests.find((request) => request.kind === 'create')?.body).toEqual({
			prompt: 'a lighthouse at dusk',
			scale: '1:1',
			resolution: '4k',
			batch_quantity: 1,
			model_name: 'wavespeed-ai/flux-krea-dev-lora',
			negative_prompt: 'blurry',
			webhookurl: 'https://example.com/hook',
		});
		expect(fake().count('download')).toBe(0);
	});

	it('without Wait for Completion outputs the queued jobs at once and reads nothing', async () => {
		const { output } = await runAkool(fake(), {
			parameters: generateParameters({ numberOfImages: 2, waitForCompletion: false }),
		});
		expect(output.map((item) => item.json.status)).toEqual(['queueing', 'queueing']);
		expect(output.map((item) => item.json.imageUrl)).toEqual([null, null]);
		expect(fake().count('result')).toBe(0);
	});

	it('creates the jobs of all items before waiting, and waits for them together', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.subject }}', numberOfImages: 2 }),
			items: [{ subject: 'cat' }, { subject: 'dog' }, { subject: 'owl' }],
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.prompt, item.pairedItem])).toEqual([
			['cat', { item: 0 }],
			['cat', { item: 0 }],
			['dog', { item: 1 }],
			['dog', { item: 1 }],
			['owl', { item: 2 }],
			['owl', { item: 2 }],
		]);
		const kinds = fake().requests.map((request) => request.kind);
		expect(kinds.lastIndexOf('create')).toBeLessThan(kinds.indexOf('result'));
	});

	it('has the credential decrypted once per run, not once per request (n8n reads its database each time)', async () => {
		const { error, credentialReads } = await runAkool(fake(), {
			parameters: generateParameters({ numberOfImages: 2 }),
			items: [{}, {}, {}],
		});
		expect(error).toBeUndefined();
		expect(fake().requests.filter((request) => request.host === 'api').length).toBeGreaterThanOrEqual(9);
		expect(credentialReads).toBe(1);
	});

	it('fails with the job ID when Akool reports the job failed, and says nothing was lost with Continue On Fail', async () => {
		const failed = await runAkool(fake(), { parameters: generateParameters({ prompt: 'a [fail] case' }) });
		expect(failed.error?.message).toMatch(/^Akool job\(s\) [0-9a-f]{24} failed \(status 4\)$/);

		const mixed = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.prompt }}' }),
			items: [{ prompt: 'good one' }, { prompt: 'bad [fail] one' }, { prompt: 'good two' }],
			continueOnFail: true,
		});
		expect(mixed.error).toBeUndefined();
		expect(mixed.output.map((item) => [item.pairedItem, item.json.status ?? 'error'])).toEqual([
			[{ item: 0 }, 'completed'],
			[{ item: 1 }, 'error'],
			[{ item: 2 }, 'completed'],
		]);
		expect(mixed.output[1].json.error).toMatch(/failed \(status 4\)/);
		expect(mixed.output[1].json.jobIds).toHaveLength(1);
	});

	it('times out naming every unfinished job and pointing to Get Result, never to a re-run', async () => {
		fake().setOptions({ durationMs: 60_000 });
		try {
			const { error } = await runAkool(fake(), {
				parameters: generateParameters({ numberOfImages: 2, options: { timeout: 5, pollInterval: 1 } }),
			});
			const ids = fake().requests.length ? [...fake().jobs.keys()] : [];
			expect(ids).toHaveLength(2);
			expect(error?.message).toBe(`Timed out after 5 s waiting for Akool job(s) ${ids.join(', ')}`);
			expect(error?.description).toMatch(/Get Result/);
			expect(error?.description).not.toMatch(/re-?run|run (it|this) again\b(?!, which)/i);
			expect(fake().count('create')).toBe(1);
		} finally {
			fake().setOptions({ durationMs: [200, 400] });
		}
	});
});
