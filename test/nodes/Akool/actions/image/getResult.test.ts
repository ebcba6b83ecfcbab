import type { IDataObject } from 'n8n-workflow';

import { generateParameters, runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

const getResult = (jobIds: string | string[], overrides: IDataObject = {}): IDataObject => ({
	resource: 'image',
	operation: 'getResult',
	jobIds,
	...overrides,
	options: { pollInterval: 1, timeout: 30, ...((overrides.options as IDataObject) ?? {}) },
});

/** Creates jobs without waiting and returns their IDs. */
async function createJobs(count: number): Promise<string[]> {
	const { output } = await runAkool(fake(), {
		parameters: generateParameters({ numberOfImages: count, waitForCompletion: false }),
	});
	return output.map((item) => String(item.json.jobId));
}

describe('Image → Get Result', () => {
	it('reads several comma-separated IDs, waits for them and downloads each image', async () => {
		const ids = await createJobs(3);
		fake().requests.length = 0;
		const { output, error } = await runAkool(fake(), { parameters: getResult(` ${ids.join(' ,')} `) });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.jobId)).toEqual(ids);
		expect(output.every((item) => item.json.status === 'completed' && item.binary?.data)).toBe(true);
		expect(fake().count('create')).toBe(0);
	});

	it('reads each job once without waiting, whatever its status, and takes IDs from an expression', async () => {
		// Jobs of 5 s: two engine runs on a busy 2-core machine can take longer than the default 200 ms.
		fake().setOptions({ durationMs: 5000 });
		try {
			const ids = await createJobs(2);
			fake().requests.length = 0;
			const { output } = await runAkool(fake(), {
				parameters: getResult('={{ $json.ids }}', { waitForCompletion: false }),
				items: [{ ids }],
			});
			expect(output.map((item) => item.json.jobId)).toEqual(ids);
			for (const item of output) {
				expect(['queueing', 'processing']).toContain(item.json.status);
				expect(item.json.imageUrl).toBeNull();
			}
			expect(fake().count('result')).toBe(2);
			expect(fake().count('download')).toBe(0);
		} finally {
			fake().setOptions({ durationMs: [200, 400] });
		}
	});

	it('reads a finished job at once, not after a poll interval, and never again', async () => {
		const ids = await createJobs(1);
		const done = await runAkool(fake(), { parameters: getResult(ids[0]) });
		expect(done.error).toBeUndefined();
		fake().requests.length = 0;
		const started = Date.now();
		const again = await runAkool(fake(), { parameters: getResult(ids[0], { options: { pollInterval: 10 } }) });
		expect(again.output[0].json.status).toBe('completed');
		expect(fake().count('result')).toBe(1);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('names the unknown job in Akool’s 1008 error', async () => {
		const { error } = await runAkool(fake(), { parameters: getResult('0123456789abcdef01234567') });
		expect(error?.message).toBe(
			'Akool error 1008 (job 0123456789abcdef01234567): Content does not exist',
		);
		expect(fake().count('result')).toBe(1);
	});
});
