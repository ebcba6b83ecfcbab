/**
 * Wait Mode "Callback", the execute() half (engine/callback/waitByCallback.ts) in n8n's real engine:
 * the jobs are created with this execution's resume URL, their IDs kept in the execution's custom
 * data, and the run left waiting; or the run is refused before any create. The webhook() half:
 * resumeOnCallback.test.ts; the fixture: test/harness/callbackRun.ts.
 */
import type { IRunExecutionData } from 'n8n-workflow';

import { CALLBACK_API_KEY as KEY } from '../../../../fake-akool';
import { runAkool } from '../../../../harness/akool';
import { DURATION, useCallbackRun } from '../../../../harness/callbackRun';

/** Not 16, 24 or 32 characters: cannot be an AES key. */
const ODD_LENGTH = 'a-key-of-21-characters';

const { fake, clock, credential, callbackParameters, startWaiting, createBodies, jobIds, postCallback, finalCallback, reads, ticking } =
	useCallbackRun();

describe('Wait Mode "Callback": the execute() half', () => {
	it('creates the jobs with this execution’s resume URL, keeps the job IDs and leaves the run waiting', async () => {
		const { run, error, output } = await startWaiting({}, [{ n: 1 }, { n: 2 }]);
		expect(error).toBeUndefined();
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toBeInstanceOf(Date);
		// Timeout 30 s (generateParameters): the wait is bounded.
		const waitMs = (run.waitTill as Date).getTime() - Date.now();
		expect(waitMs).toBeGreaterThan(20_000);
		expect(waitMs).toBeLessThanOrEqual(30_000);
		expect(run.data.resultData.lastNodeExecuted).toBe('Akool');
		expect(run.data.executionData?.nodeExecutionStack.map((entry) => entry.node.name)).toEqual(['Akool']);

		const bodies = createBodies();
		expect(bodies).toHaveLength(2);
		const urls = bodies.map((body) => new URL(String(body.webhookurl)));
		expect(new Set(bodies.map((body) => body.webhookurl)).size).toBe(1);
		const [url] = urls;
		expect(url.origin).toBe('http://127.0.0.1:5678');
		expect(url.pathname).toMatch(/^\/webhook-waiting\/[^/]+\/Akool$/);
		expect(url.searchParams.get('signature')).toBe((run.data as IRunExecutionData & { resumeToken?: string }).resumeToken);
		expect(url.searchParams.get('n')).toMatch(/^[0-9a-f]{16}$/);
		expect(bodies.map((body) => ({ ...body, webhookurl: undefined }))).toEqual([
			{ prompt: 'a lighthouse at dusk', scale: '1:1', resolution: '1080p', batch_quantity: 2, webhookurl: undefined },
			{ prompt: 'a lighthouse at dusk', scale: '1:1', resolution: '1080p', batch_quantity: 2, webhookurl: undefined },
		]);

		// The job IDs, per item, in the execution's custom data.
		const metadata = run.data.resultData.metadata as Record<string, string>;
		const ids = jobIds();
		expect(ids).toHaveLength(4);
		const stored = Object.entries(metadata).filter(([key]) => key.startsWith('akool_Akool'));
		expect(stored.length).toBeGreaterThanOrEqual(2);
		const text = stored.map(([, value]) => value).join(';');
		for (const id of ids) expect(text).toContain(id);
		expect(text).toContain(url.searchParams.get('n'));

		// Nothing was read or downloaded: the wait costs no request.
		expect(reads()).toBe(0);
		expect(fake().count('download')).toBe(0);
		// While waiting, the node shows the queued jobs.
		expect(output.map((item) => [item.json.jobId, item.json.status, item.pairedItem])).toEqual([
			[ids[0], 'queueing', { item: 0 }],
			[ids[1], 'queueing', { item: 0 }],
			[ids[2], 'queueing', { item: 1 }],
			[ids[3], 'queueing', { item: 1 }],
		]);
	});

	it('gives each run its own nonce', async () => {
		await startWaiting({ numberOfImages: 1 }, [{}]);
		const first = new URL(String(createBodies()[0].webhookurl)).searchParams.get('n');
		fake().reset();
		await startWaiting({ numberOfImages: 1 }, [{}]);
		const second = new URL(String(createBodies()[0].webhookurl)).searchParams.get('n');
		expect(first).not.toBe(second);
	});

	it('refuses a user Webhook URL in callback mode, before any request', async () => {
		const { run, error } = await startWaiting({ options: { webhookUrl: 'https://example.com/hook' } });
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/Webhook URL/);
		expect(String((error as { description?: string })?.description ?? error?.message)).toMatch(/empty when Wait Mode is "Callback"/);
		expect(fake().count()).toBe(0);
	});

	it('refuses, before any create, a run ordering more jobs than the custom data can keep', async () => {
		const items = Array.from({ length: 30 }, (_, n) => ({ n }));
		const { run, error } = await startWaiting({ numberOfImages: 4, options: { maxImagesPerRun: 0 } }, items);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Wait Mode "Callback" can follow at most \d+ images in one run; this run orders 120$/);
		expect(fake().count()).toBe(0);
	});

	it('keeps 90 jobs (the most that fit) and resumes with all of them', async () => {
		const items = Array.from({ length: 90 }, (_, n) => ({ n }));
		const waiting = await startWaiting({ numberOfImages: 1, downloadImage: false, options: { maxImagesPerRun: 0 } }, items);
		expect(waiting.run.status).toBe('waiting');
		const ids = jobIds();
		expect(ids).toHaveLength(90);
		const keys = Object.keys(waiting.run.data.resultData.metadata ?? {});
		expect(keys.length).toBeLessThanOrEqual(10);
		clock.t = clock.t0 + 2 * DURATION;
		const answer = await postCallback(waiting, finalCallback(ids[0]));
		expect(answer.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
		expect(answer.resumedWith?.map((item) => (item.pairedItem as { item: number }).item)).toEqual(items.map((_, n) => n));
	});

	it('with Continue On Fail and one invalid item, waits by polling instead: error item and images', async () => {
		const items = [{ prompt: 'a red fox' }, { prompt: '' }];
		const parameters = callbackParameters({ prompt: '={{ $json.prompt }}' });
		const { run, output, error } = await ticking(
			async () => await runAkool(fake(), { parameters, items, credential: credential(), continueOnFail: true }),
		);
		expect(error).toBeUndefined();
		expect(run.status).toBe('success');
		expect(output).toHaveLength(2);
		expect(output[0].json).toMatchObject({ status: 'completed', prompt: 'a red fox' });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].binary?.data).toBeDefined();
		expect(output[1].json.error).toMatch(/Prompt/);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		// Waited by polling: the job was read. The create still named the resume URL (the fallback is
		// decided after the creates), so Akool's callbacks to this finished execution get n8n's 409.
		expect(reads()).toBeGreaterThan(0);
		expect(createBodies().map((body) => new URL(String(body.webhookurl)).pathname)).toEqual([
			expect.stringMatching(/^\/webhook-waiting\/[^/]+\/Akool$/),
		]);
		expect(run.waitTill).toBeUndefined();
	});

	it(
		'refuses callback mode before any create when the credential has no Client ID (callbacks could never be verified)',
		async () => {
			const { run, error } = await startWaiting({}, [{}], credential({ clientId: '' }));
			expect(run.status).toBe('error');
			expect(error?.message).toMatch(/Client ID/);
			expect(fake().count('create')).toBe(0);
		},
	);

	it(
		'refuses callback mode before any create when the API key cannot decrypt callbacks (not 16/24/32 bytes)',
		async () => {
			fake().setOptions({ apiKey: ODD_LENGTH });
			try {
				const { run, error } = await startWaiting({}, [{}], credential({ apiKey: ODD_LENGTH }));
				expect(run.status).toBe('error');
				expect(error?.message).toMatch(/cannot decrypt callbacks/);
				expect(fake().count('create')).toBe(0);
			} finally {
				fake().setOptions({ apiKey: KEY });
			}
		},
	);
});
