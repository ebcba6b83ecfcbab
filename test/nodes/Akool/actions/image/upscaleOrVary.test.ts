import { imageSize, readPngSize } from '../../../../fake-akool';
import { generateParameters, runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool({ buttons: true });

const press = (jobId: string, button: string) => ({
	resource: 'image',
	operation: 'upscaleOrVary',
	jobId,
	button,
	options: { pollInterval: 1, timeout: 30 },
});

async function finishedJob(): Promise<string> {
	const { output } = await runAkool(fake(), { parameters: generateParameters({ aspectRatio: '4:3' }) });
	fake().requests.length = 0;
	return String(output[0].json.jobId);
}

describe('Image → Upscale or Vary', () => {
	it('upscales a finished job: reads it, presses the button once, waits and downloads the 4K image', async () => {
		const parent = await finishedJob();
		const { output, error } = await runAkool(fake(), { parameters: press(parent, 'U2') });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].json.jobId).not.toBe(parent);
		const buttonCalls = fake().requests.filter((request) => request.kind === 'button');
		expect(buttonCalls.map((request) => request.body)).toEqual([{ _id: parent, button: 'U2' }]);
		const png = Buffer.from(output[0].binary?.data.data ?? '', 'base64');
		expect(readPngSize(png)).toEqual(imageSize('4:3', '4k'));
	});

	it('refuses a button already used, before any paid call', async () => {
		const parent = await finishedJob();
		await runAkool(fake(), { parameters: { ...press(parent, 'V1'), waitForCompletion: false } });
		fake().requests.length = 0;
		const { error } = await runAkool(fake(), { parameters: press(parent, 'V1') });
		expect(error?.message).toBe(
			`Job ${parent} has no button V1 to press: it was already used (each button works once)`,
		);
		expect(error?.description).toMatch(/^Nothing was created or charged/);
		expect(fake().count('button')).toBe(0);
	});

	it('says clearly when the job lists no buttons at all', async () => {
		fake().setOptions({ buttons: false });
		try {
			const parent = await finishedJob();
			const { error } = await runAkool(fake(), { parameters: press(parent, 'U1') });
			expect(error?.message).toMatch(new RegExp(`^Job ${parent} has no button U1 to press: the job lists no buttons`));
			expect(fake().count('button')).toBe(0);
		} finally {
			fake().setOptions({ buttons: true });
		}
	});
});
