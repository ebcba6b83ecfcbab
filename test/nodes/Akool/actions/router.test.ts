/**
 * n8n's per-item rules, owned by the router (actions/router.ts): with Continue On Fail an invalid
 * item becomes an error item of its own and the others go on; without it the whole run is refused
 * before any request.
 */
import { generateParameters, runAkool, useFakeAkool } from '../../../harness/akool';

const fake = useFakeAkool();

describe('Continue On Fail with an invalid item', () => {
	it('creates the images of the good items and turns the bad one into an error item', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}', numberOfImages: '={{ $json.n }}' }),
			items: [
				{ p: 'a red fox', n: 1 },
				{ p: 'a blue owl', n: 7 },
				{ p: 'a green frog', n: 1 },
			],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ status: 'completed', prompt: 'a red fox' });
		expect(output[2].json).toMatchObject({ status: 'completed', prompt: 'a green frog' });
		expect(output[0].binary?.data?.mimeType).toBe('image/png');
		expect(output[2].binary?.data?.mimeType).toBe('image/png');
		expect(output[1].json).toEqual({
			error: 'Invalid "Number of Images": got number 7',
			description: '"Number of Images" must be a whole number from 1 to 4.',
		});
		expect(output[1].binary).toBeUndefined();
		// Only the two good items were sent.
		const creates = fake().requests.filter((request) => request.kind === 'create');
		expect(creates.map((request) => request.body.prompt).sort()).toEqual(['a green frog', 'a red fox']);
		expect(fake().count('download')).toBe(2);
	});

	it('without Continue On Fail refuses the whole run, even the good items, before any request', async () => {
		const { output, error } = await runAkool(fake(), {
			parameters: generateParameters({ prompt: '={{ $json.p }}' }),
			items: [{ p: 'a red fox' }, { p: '' }, { p: 'a green frog' }],
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Invalid "Prompt": it is empty');
		expect(error?.context?.itemIndex).toBe(1);
		expect(output).toEqual([]);
		expect(fake().requests.length).toBe(0);
	});
});
