/**
 * The spending guard (engine/runJobs.ts): a run that would order more images than Max Images per Run
 * is refused before any create; 0 lifts it; items skipped by Continue On Fail do not count.
 */
import { generateParameters, runAkool, useFakeAkool } from '../../../harness/akool';

const fake = useFakeAkool();

describe('the spending guard (Max Images per Run)', () => {
	const thirtyItems = Array.from({ length: 30 }, (_, index) => ({ p: `picture ${index}` }));

	it('refuses 30 items × 4 images with the default limit of 100, before any create', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4 }),
			items: thirtyItems,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/\b120\b/);
		expect(error?.message).toMatch(/\b100\b/);
		expect(error?.message).toMatch(/Max Images per Run/);
		expect(error?.message).toBe('This run would order 120 images, more than Max Images per Run (100)');
		expect(error?.description).toMatch(/"Max Images per Run" \(0 = no limit\)/);
		expect(error?.description).toMatch(/Nothing was created/);
		expect(output).toEqual([]);
		expect(fake().requests.length).toBe(0);
	});

	it('counts exactly: 25 items × 4 images = 100 is allowed by the default limit', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4, waitForCompletion: false }),
			items: thirtyItems.slice(0, 25),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(100);
		expect(fake().count('create')).toBe(25);
	});

	it('is lifted by Max Images per Run 0: 30 creates of 4 images are sent', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({
				prompt: '={{ $json.p }}',
				numberOfImages: 4,
				waitForCompletion: false,
				options: { maxImagesPerRun: 0 },
			}),
			items: thirtyItems,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(120);
		expect(fake().count('create')).toBe(30);
		const creates = fake().requests.filter((request) => request.kind === 'create');
		expect(creates.every((request) => request.body.batch_quantity === 4)).toBe(true);
		expect(new Set(creates.map((request) => request.body.prompt)).size).toBe(30);
		expect(fake().count('result')).toBe(0);
	});

	it('does not count invalid items skipped by Continue On Fail', async () => {
		// 26 items × 4 = 104 > 100, but one of them is invalid: 25 × 4 = 100 is within the limit.
		const items = thirtyItems.slice(0, 26).map((item, index) => (index === 3 ? { p: ' ' } : item));
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: 4, waitForCompletion: false }),
			items,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(fake().count('create')).toBe(25);
		expect(output.filter((item) => item.json.error)).toEqual([
			{ json: expect.objectContaining({ error: 'Invalid "Prompt": it is empty' }), pairedItem: { item: 3 } },
		]);
	});
});
