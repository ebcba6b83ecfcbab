/**
 * Wait Mode "Callback" in n8n's real engine. The harness engine has no HTTP server, so:
 * - the execute() half runs through `runAkool` (the execution ends 'waiting');
 * - the webhook() half runs in-process the way n8n's WaitingWebhooks does it (n8n 2.41.1,
 *   waiting-webhooks.js → webhook.service.js `runWebhook`): the saved run data with the waiting node
 *   disabled, `waitTill` cleared and its pre-wait run data popped, then n8n-core's own
 *   `WebhookContext` over a request (body, query) and a response that records what is answered.
 * The callbacks are signed and encrypted by test/fake-akool/callbacks.js. The fake runs on a manual
 * clock so that which jobs are finished is decided by the test.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunExecutionData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Akool } from '../../../../../nodes/Akool/Akool.node';
import { CALLBACK_API_KEY as KEY, imageSize, readPngSize, sleep } from '../../../../fake-akool';

/** Not 16, 24 or 32 characters: cannot be an AES key. */
const ODD_LENGTH = 'a-key-of-21-characters';
import { callbackBody } from '../../../../fake-akool/callbacks';
import { AKOOL_TYPE, generateParameters, ITEMS_TYPE, runAkool, useFakeAkool } from '../../../../harness/akool';
import { ItemsSource, ManualTrigger, TRIGGER_TYPE } from '../../../../harness/engine';
import { callWebhook } from '../../../../harness/webhook';

const CLIENT_ID = 'client-callback-1';
const SECRETS = { apiKey: KEY, clientId: CLIENT_ID };
/** Each test's start on the fake's manual clock: now, since the node checks callback timestamps against the real clock. */
let T0 = Date.now();
const DURATION = 1000;

const clock = { t: T0, now: () => clock.t };
const fake = useFakeAkool({ apiKey: KEY, durationMs: DURATION, now: () => clock.now() });

beforeEach(() => {
	T0 = Date.now();
	clock.t = T0;
});

const credential = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	apiKey: KEY,
	baseUrl: fake().baseUrl,
	clientId: CLIENT_ID,
	...extra,
});

function callbackParameters(overrides: IDataObject = {}): IDataObject {
	return generateParameters({ waitMode: 'callback', ...overrides });
}

/** Starts a run that waits by callback: 2 items × `images` jobs unless said otherwise. */
async function startWaiting(
	overrides: IDataObject = {},
	items: IDataObject[] = [{ n: 1 }, { n: 2 }],
	cred: ICredentialDataDecryptedObject = credential(),
) {
	const parameters = callbackParameters({ numberOfImages: 2, ...overrides });
	const waiting = await runAkool(fake(), { parameters, items, credential: cred });
	return { ...waiting, parameters, items, cred };
}

const createBodies = () =>
	fake()
		.requests.filter((request) => request.kind === 'create')
		.map((request) => request.body as IDataObject);

const jobIds = () => [...fake().jobs.keys()];

// ---------------------------------------------------------------------------------------------
// the webhook() half, in-process

interface Answer {
	/** HTTP status n8n would answer */
	status: number;
	/** the body n8n would answer */
	body: unknown;
	/** the items the run would resume with; undefined when it keeps waiting */
	resumedWith?: INodeExecutionData[];
}

/** The Workflow n8n builds from the saved workflow: the same three nodes as runAkool's. */
function workflowOf(parameters: IDataObject, items: IDataObject[]): Workflow {
	const types: Record<string, INodeType> = {
		[TRIGGER_TYPE]: new ManualTrigger(),
		[ITEMS_TYPE]: new ItemsSource(),
		[AKOOL_TYPE]: new Akool(),
	};
	const nodeTypes = {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(types[type], version),
		getKnownTypes: () => ({}),
	};
	const node = (name: string, type: string, params: IDataObject, x: number, extra: Partial<INode> = {}): INode =>
		({ id: name, name, type, typeVersion: 1, position: [x * 200, 0], parameters: params, ...extra }) as INode;
	return new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: [
			node('Start', TRIGGER_TYPE, {}, 0),
			node('Items', ITEMS_TYPE, { items: JSON.stringify(items) }, 1),
			node('Akool', AKOOL_TYPE, parameters, 2, { credentials: { akoolApi: { id: 'cred-1', name: 'Akool account' } } }),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Akool', type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
}

/** What WaitingWebhooks does to the loaded execution before it calls the node's webhook(). */
function asLoadedForWebhook(saved: IRunExecutionData): IRunExecutionData {
	const data = JSON.parse(JSON.stringify(saved)) as IRunExecutionData;
	const entry = data.executionData?.nodeExecutionStack[0];
	if (!entry) throw new Error('nothing waits on the execution stack');
	entry.node.disabled = true;
	data.waitTill = undefined;
	const lastNode = String(data.resultData.lastNodeExecuted);
	data.resultData.runData[lastNode]?.pop();
	return data;
}

/**
 * POSTs one callback to the waiting node, as n8n's WaitingWebhooks would hand it over: the query
 * of the resume URL (`n` and n8n's `signature`), the JSON body.
 */
async function postCallback(
	waiting: { run: IRun; parameters: IDataObject; items: IDataObject[]; cred: ICredentialDataDecryptedObject },
	body: unknown,
	query: IDataObject = queryOf(waiting.run),
): Promise<Answer> {
	const answer = await callWebhook({
		workflow: workflowOf(waiting.parameters, waiting.items),
		nodeName: 'Akool',
		nodeType: new Akool(),
		credential: waiting.cred,
		body,
		query,
		path: 'Akool',
		mode: 'manual',
		runExecutionData: asLoadedForWebhook(waiting.run.data),
		executionId: 'exec-1',
	});
	return { status: answer.status, body: answer.body, resumedWith: answer.workflowData };
}

/** The query of the URL the node gave Akool. */
function queryOf(run: IRun): IDataObject {
	const url = new URL(String(createBodies()[0]?.webhookurl));
	void run;
	return Object.fromEntries(url.searchParams);
}

const finalCallback = (id: string, at = clock.t) =>
	callbackBody({ _id: id, status: 3, type: 'image', url: fake().imageUrl(id) }, SECRETS, { timestamp: at });

const reads = () => fake().count('result');

/** Polling needs the manual clock to move: it advances 200 ms every 20 ms while `work` runs. */
async function ticking<T>(work: () => Promise<T>): Promise<T> {
	let done = false;
	const ticker = (async () => {
		while (!done) {
			clock.t += 200;
			await sleep(20);
		}
	})();
	try {
		return await work();
	} finally {
		done = true;
		await ticker;
	}
}

// ---------------------------------------------------------------------------------------------

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
		clock.t = T0 + 2 * DURATION;
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

describe('Wait Mode "Callback": the webhook() half (in-process, as n8n’s WaitingWebhooks calls it)', () => {
	it('ignores (200, no resume, no read) callbacks that are not for this run or not final', async () => {
		const waiting = await startWaiting();
		const [id] = jobIds();
		clock.t = T0 + 500;

		const wrongNonce = await postCallback(waiting, finalCallback(id), { ...queryOf(waiting.run), n: '0123456789abcdef' });
		expect(wrongNonce).toEqual({ status: 200, body: { message: 'ignored: not for this run' }, resumedWith: undefined });

		const { n, ...noNonce } = queryOf(waiting.run);
		void n;
		expect((await postCallback(waiting, finalCallback(id), noNonce)).body).toEqual({ message: 'ignored: not for this run' });

		const processing = callbackBody({ _id: id, status: 2, type: 'image' }, SECRETS, { timestamp: clock.t });
		expect(await postCallback(waiting, processing)).toEqual({
			status: 200,
			body: { message: 'ok: not final yet' },
			resumedWith: undefined,
		});

		const queueing = callbackBody({ _id: id, status: 1, type: 'image' }, SECRETS, { timestamp: clock.t });
		expect((await postCallback(waiting, queueing)).resumedWith).toBeUndefined();

		const stranger = callbackBody({ _id: '0123456789abcdef01234567', status: 3, url: 'http://x/y.png' }, SECRETS, {
			timestamp: clock.t,
		});
		expect(await postCallback(waiting, stranger)).toEqual({
			status: 200,
			body: { message: 'ignored: not a job of this run' },
			resumedWith: undefined,
		});
		expect(reads()).toBe(0);
	});

	it('rejects forged, garbled and stale callbacks with 401/400, saying nothing else', async () => {
		const waiting = await startWaiting();
		const [id] = jobIds();
		clock.t = T0 + 2 * DURATION;
		const good = finalCallback(id);
		const cases: Array<[unknown, number, string]> = [
			[{ ...good, signature: 'f'.repeat(40) }, 401, 'rejected: bad signature'],
			[callbackBody({ _id: id, status: 3, url: 'http://x' }, { apiKey: KEY, clientId: 'someone-else' }), 401, 'rejected: bad signature'],
			[finalCallback(id, clock.t - 11 * 60 * 1000), 401, 'rejected: stale'],
			[{ ...good, nonce: undefined }, 400, 'rejected: malformed'],
			['not json', 400, 'rejected: malformed'],
			[callbackBody('not json', SECRETS, { timestamp: clock.t }), 400, 'rejected: undecryptable'],
			[callbackBody({ _id: id, status: 3 }, { apiKey: 'another-key-of-24-chars!', clientId: CLIENT_ID }), 400, 'rejected: undecryptable'],
		];
		for (const [body, status, message] of cases) {
			const answer = await postCallback(waiting, body);
			expect(answer).toEqual({ status, body: { message } });
			expect(JSON.stringify(answer)).not.toContain(KEY);
		}
		expect(reads()).toBe(0);
	});

	it('resumes once every job is final: reads only jobs not yet known final, stopping at the first unfinished one', async () => {
		const waiting = await startWaiting({}, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		// Job 0 reports itself done while the others still run: one read (job 1), which is unfinished.
		clock.t = T0 + 500;
		const first = await postCallback(waiting, finalCallback(ids[0]));
		expect(first).toEqual({ status: 200, body: { message: `ok: job ${ids[1]} is still running` }, resumedWith: undefined });
		expect(reads()).toBe(1);
		// A repeated callback for job 0 (Akool retries) reads job 1 again, and still waits.
		expect((await postCallback(waiting, finalCallback(ids[0]))).resumedWith).toBeUndefined();
		expect(reads()).toBe(2);

		// Everything is done now; job 1's own callback reads jobs 2 and 3, and resumes.
		clock.t = T0 + 2 * DURATION;
		const last = await postCallback(waiting, finalCallback(ids[1]));
		expect(last.status).toBe(200);
		expect(last.body).toEqual({ message: 'resumed' });
		const perJob = fake().stats().readsPerJob;
		expect(perJob[ids[2]]).toBeGreaterThanOrEqual(1);
		expect(perJob[ids[3]]).toBeGreaterThanOrEqual(1);
		expect(Math.max(...Object.values(perJob))).toBeLessThanOrEqual(3);
		expect(reads()).toBeLessThanOrEqual(2 * ids.length);

		const items = last.resumedWith ?? [];
		expect(items.map((item) => [item.json.jobId, item.json.status, item.json.batchIndex, item.pairedItem])).toEqual([
			[ids[0], 'completed', 0, { item: 0 }],
			[ids[1], 'completed', 1, { item: 0 }],
			[ids[2], 'completed', 0, { item: 1 }],
			[ids[3], 'completed', 1, { item: 1 }],
		]);
		for (const item of items) {
			expect(item.json.imageUrl).toBe(fake().imageUrl(String(item.json.jobId)));
			const binary = item.binary?.data;
			expect(binary).toMatchObject({ mimeType: 'image/png', fileName: `akool-${item.json.jobId}.png` });
			expect(readPngSize(Buffer.from(String(binary?.data), 'base64'))).toEqual(imageSize('1:1', '1080p'));
		}
		expect(fake().stats().downloads).toBe(4);
	});

	it('when final callbacks arrive in order, each reads only the next job, and the last resumes', async () => {
		const waiting = await startWaiting({ downloadImage: false }, [{ n: 1 }]);
		const ids = jobIds();
		expect(ids).toHaveLength(2);
		clock.t = T0 + 500;
		// Job 0 done by callback; job 1 read once: unfinished.
		expect((await postCallback(waiting, finalCallback(ids[0]))).resumedWith).toBeUndefined();
		expect(reads()).toBe(1);
		clock.t = T0 + 2 * DURATION;
		// Job 1's callback: job 0 is remembered final (in this process); it resumes.
		const last = await postCallback(waiting, finalCallback(ids[1]));
		expect(last.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
		expect(reads() / ids.length).toBeLessThanOrEqual(2);
	});

	it('a job an earlier check read final is not read again when its own callback comes, nor on resume', async () => {
		const waiting = await startWaiting({ downloadImage: false }, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		clock.t = T0 + 2 * DURATION;
		// Job 0's check reads job 1 (final) and job 2, which Akool still shows processing (2nd read).
		fake().plan('result', [{ nth: 2, jobStatus: 2 }]);
		const first = await postCallback(waiting, finalCallback(ids[0]));
		expect(first.body).toEqual({ message: `ok: job ${ids[2]} is still running` });
		expect(reads()).toBe(2);
		// Job 1's own callback: jobs 2 and 3 are read, then job 0 (known only from its callback) once.
		const last = await postCallback(waiting, finalCallback(ids[1]));
		expect(last.body).toEqual({ message: 'resumed' });
		expect(fake().stats().readsPerJob).toEqual({ [ids[0]]: 1, [ids[1]]: 1, [ids[2]]: 2, [ids[3]]: 1 });
		expect(last.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
	});

	it('concurrent final callbacks (Akool finishes a batch at once) resume once, without reading and downloading everything again', async () => {
		const waiting = await startWaiting({ downloadImage: true }, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		clock.t = T0 + 2 * DURATION;
		const answers = await Promise.all(ids.map(async (id) => await postCallback(waiting, finalCallback(id))));
		const resumed = answers.filter((answer) => answer.resumedWith);
		// n8n lets only one resume win: the others would get its 500 (ExecutionAlreadyResumingError) and be retried.
		expect(resumed).toHaveLength(1);
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expect(fake().stats().downloads).toBe(ids.length);
		expect(reads()).toBeLessThanOrEqual(2 * ids.length);
	});

	it('turns a job that failed at Akool into an error item of its input item (the run cannot fail from webhook())', async () => {
		const waiting = await startWaiting({ numberOfImages: 1, prompt: '={{ $json.prompt }}' }, [
			{ prompt: 'fine' },
			{ prompt: '[fail] broken' },
		]);
		const [good, bad] = jobIds();
		clock.t = T0 + 2 * DURATION;
		const failed = callbackBody({ _id: bad, status: 4, type: 'image' }, SECRETS, { timestamp: clock.t });
		const answer = await postCallback(waiting, failed);
		expect(answer.body).toEqual({ message: 'resumed' });
		const items = answer.resumedWith ?? [];
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ jobId: good, status: 'completed' });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(String(items[1].json.error)).toContain(bad);
		expect(items[1].json.jobIds).toEqual([bad]);
	});

	it('answers "not waiting" for a node whose custom data is gone', async () => {
		const waiting = await startWaiting({ numberOfImages: 1 }, [{}]);
		const [id] = jobIds();
		const bare = { ...waiting, run: { ...waiting.run, data: JSON.parse(JSON.stringify(waiting.run.data)) as IRunExecutionData } };
		bare.run.data.resultData.metadata = {};
		expect((await postCallback(bare, finalCallback(id), queryOf(waiting.run))).body).toEqual({
			message: 'ignored: this node is not waiting for Akool',
		});
	});

	it('outputs the same fields as polling would, not nulls for the jobs known from their callback', async () => {
		const polled = await ticking(
			async () =>
				await runAkool(fake(), {
					parameters: generateParameters({ numberOfImages: 1, downloadImage: false }),
					credential: credential(),
				}),
		);
		expect(polled.run.status).toBe('success');
		fake().reset();
		clock.t = T0;
		const waiting = await startWaiting({ numberOfImages: 1, downloadImage: false }, [{}]);
		const [id] = jobIds();
		clock.t = T0 + 2 * DURATION;
		const resumed = (await postCallback(waiting, finalCallback(id))).resumedWith ?? [];
		const shape = (json: IDataObject) =>
			Object.fromEntries(Object.entries(json).map(([key, value]) => [key, value === null ? null : typeof value]));
		expect(shape(resumed[0].json)).toEqual(shape(polled.output[0].json));
		expect(resumed[0].json).toMatchObject({ prompt: 'a lighthouse at dusk', creditsCharged: 1 });
	});

	it('a "completed" callback without URL is not a failure (Akool can show the URL a moment later)', async () => {
		const waiting = await startWaiting({ numberOfImages: 1, downloadImage: false }, [{}]);
		const [id] = jobIds();
		clock.t = T0 + 2 * DURATION;
		const noUrl = callbackBody({ _id: id, status: 3, type: 'image' }, SECRETS, { timestamp: clock.t });
		const answer = await postCallback(waiting, noUrl);
		// The job's URL can be read (the fake shows it): resume with the image, or keep waiting.
		if (answer.resumedWith) {
			expect(answer.resumedWith[0].json).toMatchObject({ jobId: id, status: 'completed', imageUrl: fake().imageUrl(id) });
		} else {
			expect(answer.resumedWith).toBeUndefined();
		}
	});

	it('a failing result read answers non-200 (Akool retries) instead of throwing (n8n would end the waiting run with the error)', async () => {
		const waiting = await startWaiting({ downloadImage: false }, [{}]);
		const ids = jobIds();
		clock.t = T0 + 2 * DURATION;
		fake().plan('result', [{ always: true, json: { code: 1101, msg: 'Invalid authorization', data: null } }]);
		// webhook() throws today: n8n 2.41.1 then answers 500 AND resumes the execution with that error
		// (webhook-helpers.js: runExecutionDataMerge with resultData.error), dropping its run data.
		const answer = await postCallback(waiting, finalCallback(ids[0]));
		expect(answer.status).toBeGreaterThanOrEqual(500);
		expect(answer.resumedWith).toBeUndefined();
		fake().plan('result', []);
		expect((await postCallback(waiting, finalCallback(ids[0]))).resumedWith).toHaveLength(2);
	});

	it('throws in webhook() when the credential lost its Client ID (n8n then answers 500 and ends the waiting run with that error)', async () => {
		const waiting = await startWaiting({ numberOfImages: 1 }, [{}]);
		const [id] = jobIds();
		clock.t = T0 + 2 * DURATION;
		await expect(postCallback({ ...waiting, cred: credential({ clientId: '' }) }, finalCallback(id))).rejects.toThrow(
			'The Akool credential has no Client ID, needed to verify callbacks',
		);
	});
});
