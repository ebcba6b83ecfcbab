import { generateParameters, runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool({ credits: 50 });

describe('Account → Get Credits', () => {
	it('reads the balance, which the images created before have lowered', async () => {
		await runAkool(fake(), { parameters: generateParameters({ numberOfImages: 3, waitForCompletion: false }) });
		const { output, error } = await runAkool(fake(), {
			parameters: { resource: 'account', operation: 'getCredits' },
			items: [{}, {}],
		});
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{ json: { credit: 47 }, pairedItem: { item: 0 } },
			{ json: { credit: 47 }, pairedItem: { item: 1 } },
		]);
	});

	it('turns a wrong key into Akool’s 1101 error, or an error item with Continue On Fail', async () => {
		const credential = { apiKey: 'wrong-key', baseUrl: fake().baseUrl };
		const parameters = { resource: 'account', operation: 'getCredits' };
		const failed = await runAkool(fake(), { parameters, credential });
		expect(failed.error?.message).toMatch(/^Akool error 1101: /);
		const kept = await runAkool(fake(), { parameters, credential, continueOnFail: true });
		expect(kept.output).toHaveLength(1);
		expect(kept.output[0]).toMatchObject({ json: { akoolCode: 1101 }, pairedItem: { item: 0 } });
	});
});
