/**
 * Wait Mode "Callback" with Continue On Fail and items that fail before Akool has a job for them (a
 * parameter check, a refused create): every job made was given this execution's resume URL, so the
 * run must wait for their callbacks. Were it to poll and finish instead, Akool would call an ended
 * execution and n8n would answer each callback 409, which Akool retries.
 */
import type { IDataObject } from 'n8n-workflow';

import { runAkool } from '../../../../harness/akool';
import { DURATION, useCallbackRun } from '../../../../harness/callbackRun';

const { fake, clock, credential, callbackParameters, createBodies, jobIds, postCallback, finalCallback, reads } =
	useCallbackRun();

async function startWithContinueOnFail(items: IDataObject[], overrides: IDataObject = {}) {
	const parameters = callbackParameters({ prompt: '={{ $json.prompt }}', downloadImage: false, ...overrides });
	const cred = credential();
	const waiting = await runAkool(fake(), { parameters, items, credential: cred, continueOnFail: true });
	return { ...waiting, parameters, items, cred };
}

const resumePaths = () => createBodies().map((body) => new URL(String(body.webhookurl)).pathname);

describe('Wait Mode "Callback" with Continue On Fail', () => {
	it('an invalid item: the valid items’ jobs are awaited by callback, and the invalid item is an error item in its place', async () => {
		const waiting = await startWithContinueOnFail([{ prompt: 'a red fox' }, { prompt: '' }, { prompt: 'a blue bird' }]);
		expect(waiting.error).toBeUndefined();
		// The jobs got the resume URL: the execution must be waiting for their callbacks.
		expect(resumePaths()).toEqual([
			expect.stringMatching(/^\/webhook-waiting\/[^/]+\/Akool$/),
			expect.stringMatching(/^\/webhook-waiting\/[^/]+\/Akool$/),
		]);
		expect(waiting.run.status).toBe('waiting');
		expect(reads()).toBe(0);

		const [fox, bird] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
		const answer = await postCallback(waiting, finalCallback(bird));
		expect(answer.body).toEqual({ message: 'resumed' });
		const items = answer.resumedWith ?? [];
		expect(items.map((item) => [item.json.jobId ?? null, item.json.status ?? null, item.pairedItem])).toEqual([
			[fox, 'completed', { item: 0 }],
			[null, null, { item: 1 }],
			[bird, 'completed', { item: 2 }],
		]);
		expect(items[1].json.error).toMatch(/Prompt/);
		expect(items[0].json).toMatchObject({ prompt: 'a red fox' });
	});

	it('a create Akool refuses: the other items’ jobs are awaited by callback, the refused item is an error item with Akool’s code', async () => {
		fake().plan('create', [{ nth: 2, json: { code: 1003, msg: 'Parameter error: prompt', data: null } }]);
		const waiting = await startWithContinueOnFail([{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }], {
			options: { concurrency: 1 },
		});
		expect(waiting.run.status).toBe('waiting');
		expect(jobIds()).toHaveLength(2);

		clock.t = clock.t0 + 2 * DURATION;
		const [first, third] = jobIds();
		const answer = await postCallback(waiting, finalCallback(first));
		const items = answer.resumedWith ?? [];
		expect(items.map((item) => [item.json.jobId ?? null, item.pairedItem])).toEqual([
			[first, { item: 0 }],
			[null, { item: 1 }],
			[third, { item: 2 }],
		]);
		expect(items[1].json).toMatchObject({ akoolCode: 1003 });
		expect(String(items[1].json.error)).toMatch(/prompt/i);
	});

	it('while waiting, the node shows the queued jobs and the error items in input order', async () => {
		const waiting = await startWithContinueOnFail([{ prompt: '' }, { prompt: 'a red fox' }]);
		const [fox] = jobIds();
		expect(waiting.output.map((item) => [item.json.jobId ?? null, item.json.status ?? null, item.pairedItem])).toEqual([
			[null, null, { item: 0 }],
			[fox, 'queueing', { item: 1 }],
		]);
		expect(waiting.output[0].json.error).toMatch(/Prompt/);
	});

	it('no job at all (every item invalid): nothing is created and the run does not wait', async () => {
		const waiting = await startWithContinueOnFail([{ prompt: '' }, { prompt: '' }]);
		expect(fake().count('create')).toBe(0);
		expect(waiting.run.status).toBe('success');
		expect(waiting.output.map((item) => [Boolean(item.json.error), item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
		]);
	});
});
