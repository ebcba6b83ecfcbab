/**
 * Wait Mode "Callback", the execute() half (engine/callback/waitByCallback.ts) in n8n's real engine:
 * the jobs are created with this execution's resume URL, their IDs kept in the node's context, and
 * the run left waiting; or the run is refused before any create (callbacksAtSize.test.ts: large runs;
 * callbackContinueOnFail.test.ts: items that fail before Akool has a job). The webhook() half:
 * resumeOnCallback.test.ts; the fixture: test/harness/callbackRun.ts.
 */
import type { IRunExecutionData } from 'n8n-workflow';

import { CALLBACK_API_KEY as KEY } from '../../../../fake-akool';
import { useCallbackRun } from '../../../../harness/callbackRun';

/** Not 16, 24 or 32 characters: cannot be an AES key. */
const ODD_LENGTH = 'a-key-of-21-characters';

const { fake, credential, startWaiting, createBodies, jobIds, reads } = useCallbackRun();

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

		// The job IDs, per item, in the node's context (saved with the waiting execution), with the nonce.
		const ids = jobIds();
		expect(ids).toHaveLength(4);
		const kept = run.data.executionData?.contextData['node:Akool'] as { akoolCallback: string };
		expect(JSON.parse(kept.akoolCallback)).toEqual({
			nonce: url.searchParams.get('n'),
			items: [{ jobIds: ids.slice(0, 2) }, { jobIds: ids.slice(2) }],
		});
		expect(run.data.resultData.metadata ?? {}).toEqual({});

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
