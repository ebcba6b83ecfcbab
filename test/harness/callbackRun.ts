/**
 * The fixture of Wait Mode "Callback" in n8n's real engine. The harness engine has no HTTP server, so:
 * - the execute() half runs through `runAkool` (the execution ends 'waiting');
 * - the webhook() half runs in-process the way n8n's WaitingWebhooks does it (n8n 2.41.1,
 *   waiting-webhooks.js → webhook.service.js `runWebhook`): the saved run data with the waiting node
 *   disabled, `waitTill` cleared and its pre-wait run data popped, then n8n-core's own
 *   `WebhookContext` over a request (body, query) and a response that records what is answered.
 * The callbacks are signed and encrypted by test/fake-akool/callbacks.js. The fake runs on a manual
 * clock so that which jobs are finished is decided by the test.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeType, IRun, IRunExecutionData } from 'n8n-workflow';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';
import { Akool } from '../../nodes/Akool/Akool.node';
import { CALLBACK_API_KEY as KEY, sleep } from '../fake-akool';
import { callbackBody } from '../fake-akool/callbacks';
import { AKOOL_TYPE, ITEMS_TYPE, akoolWorkflow, generateParameters, runAkool, useFakeAkool } from './akool';
import { ItemsSource, testWorkflow } from './engine';
import { callWebhook } from './webhook';

export const CLIENT_ID = 'client-callback-1';
export const SECRETS = { apiKey: KEY, clientId: CLIENT_ID };
/** How long each job takes on the fake's manual clock. */
export const DURATION = 1000;

/** What n8n would answer a callback, and whether the run resumes. */
export interface CallbackAnswer {
	/** HTTP status n8n would answer */
	status: number;
	/** the body n8n would answer */
	body: unknown;
	/** the items the run would resume with; undefined when it keeps waiting */
	resumedWith?: INodeExecutionData[];
}

/** A run left waiting, with what the webhook() half needs to rebuild its workflow. */
export interface WaitingRun {
	run: IRun;
	parameters: IDataObject;
	items: IDataObject[];
	cred: ICredentialDataDecryptedObject;
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
 * A fake Akool on a manual clock for one test file, and the two halves of a run that waits by
 * callback. `clock.t0` is each test's start: now, since the node checks callback timestamps
 * against the real clock.
 */
export function useCallbackRun() {
	const clock = { t0: Date.now(), t: Date.now(), now: () => clock.t };
	const fake = useFakeAkool({ apiKey: KEY, durationMs: DURATION, now: () => clock.now() });

	beforeEach(() => {
		clock.t0 = Date.now();
		clock.t = clock.t0;
	});

	const credential = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		apiKey: KEY,
		baseUrl: fake().baseUrl,
		clientId: CLIENT_ID,
		...extra,
	});

	const callbackParameters = (overrides: IDataObject = {}): IDataObject =>
		generateParameters({ waitMode: 'callback', ...overrides });

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

	/** The query of the URL the node gave Akool. */
	function queryOf(run: IRun): IDataObject {
		const url = new URL(String(createBodies()[0]?.webhookurl));
		void run;
		return Object.fromEntries(url.searchParams);
	}

	/**
	 * POSTs one callback to the waiting node, as n8n's WaitingWebhooks would hand it over: the query
	 * of the resume URL (`n` and n8n's `signature`), the JSON body. `nodeType`: the node as another
	 * process loaded it (its own module state), e.g. from `jest.isolateModules`.
	 */
	async function postCallback(
		waiting: WaitingRun,
		body: unknown,
		query: IDataObject = queryOf(waiting.run),
		{ nodeType = new Akool() }: { nodeType?: INodeType } = {},
	): Promise<CallbackAnswer> {
		const answer = await callWebhook({
			workflow: testWorkflow({
				nodeTypes: { [ITEMS_TYPE]: new ItemsSource(), [AKOOL_TYPE]: nodeType },
				...akoolWorkflow(waiting.parameters, waiting.items),
			}),
			nodeName: 'Akool',
			nodeType,
			credentialType: new AkoolApi(),
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

	return { fake, clock, credential, callbackParameters, startWaiting, createBodies, jobIds, queryOf, postCallback, finalCallback, reads, ticking };
}
