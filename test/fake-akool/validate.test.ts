/**
 * The create call's validation (validate.js): a 1003 naming the field, with nothing created or
 * charged. Meitu's own rules: meitu.test.ts.
 */
import { MODEL_IMAGE_TO_IMAGE, MODEL_TEXT_TO_IMAGE, PATHS } from '../fake-akool';
import { KEY, closedAfterEach, create } from '../harness/fakeAkool';
import type { Envelope } from '../harness/fakeAkool';

const { start } = closedAfterEach();

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
