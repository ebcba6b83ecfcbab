/**
 * The Akool Trigger starts the workflow once per job and status, through n8n 2.41.1's production
 * webhook path as harness/triggerFlow.js plays it (static data read per request, saved from an
 * execution's end only; n8n's processed-data store for the execution's check), with the node's
 * source. The reliability matrix runs its trigger rows (duplicate, replay, forged with and without a
 * Client ID) over the same harness with the BUILT node (test/reliability/rows/trigger.mjs).
 */
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { AkoolApi } from '../../../credentials/AkoolApi.credentials';
import { CALLBACK_API_KEY as KEY } from '../../fake-akool';
import { callbackBody } from '../../fake-akool/callbacks';
import { processedDataStore } from '../../harness/processedData';
import { TRIGGER_NAME, TriggerInstance } from '../../harness/triggerFlow';
import { PROCESSED_MAX_ENTRIES } from '../../../nodes/AkoolTrigger/startOnce';

const CLIENT_ID = 'client-trigger-once';
const SECRETS = { apiKey: KEY, clientId: CLIENT_ID };
const STARTED = { message: 'ok' };
const DUPLICATE = { message: 'ignored: already started the workflow' };
const MINUTE = 60_000;

const credential = (extra: ICredentialDataDecryptedObject = {}) => () => ({ apiKey: KEY, clientId: CLIENT_ID, baseUrl: 'http://127.0.0.1:9', ...extra });
/** A failed job's callback (nothing to download), signed now unless said otherwise. */
const failed = (jobId: string, at: { timestamp?: number } = {}) => callbackBody({ _id: jobId, status: 4, type: 'image' }, SECRETS, at);

/** The node's code as a new process loads it: its own copy of every module, its own memory. */
function loadTrigger(): INodeType {
	let trigger: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require('../../../nodes/AkoolTrigger/AkoolTrigger.node') as typeof import('../../../nodes/AkoolTrigger/AkoolTrigger.node');
		trigger = new loaded.AkoolTrigger();
	});
	return trigger as INodeType;
}

/** One n8n process serving the trigger (a new database unless given one). */
const n8nProcess = (options: Partial<ConstructorParameters<typeof TriggerInstance>[0]> = {}) =>
	new TriggerInstance({ loadTrigger, credentialType: new AkoolApi(), credential: credential(), ...options });

let store: ReturnType<typeof processedDataStore>;
let n8n: TriggerInstance;

beforeEach(() => {
	store = processedDataStore();
	n8n = n8nProcess();
});

afterEach(() => jest.restoreAllMocks());

/** The items that reached the node after the trigger, over all executions. */
const receivedJobs = () => n8n.executions.flatMap((execution) => (execution.received ?? []).map((item) => item.json.jobId));

describe('Akool Trigger: one start per job and status', () => {
	it('Akool sends a callback again (its retry after the workflow started): answered 200, nothing started', async () => {
		const body = failed('job-retry');
		const first = await n8n.deliver(body);
		expect([first.status, first.body, first.execution?.received?.map((item) => item.json)]).toEqual([
			200,
			STARTED,
			[{ jobId: 'job-retry', status: 'failed', statusCode: 4, type: 'image', imageUrl: null }],
		]);
		for (let retry = 0; retry < 3; retry++) {
			expect(await n8n.receive(body)).toEqual({ status: 200, body: DUPLICATE });
		}
		expect(n8n.executions).toHaveLength(1);
	});

	it('a captured callback replayed within its window: answered 200, nothing started; once stale, refused (401)', async () => {
		const t0 = Date.now();
		// signed 10 minutes ahead: the latest timestamp verification accepts, replayable the longest
		const body = failed('job-replayed', { timestamp: t0 + 10 * MINUTE - 1000 });
		await n8n.deliver(body);
		const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(t0 + ms);
		at(19 * MINUTE);
		expect(await n8n.receive(body)).toEqual({ status: 200, body: DUPLICATE });
		at(20 * MINUTE + 1000);
		expect(await n8n.receive(body)).toEqual({ status: 401, body: { message: 'rejected: stale' } });
		expect(n8n.executions).toHaveLength(1);
	});

	it('another status of the same job, or another job, starts the workflow', async () => {
		const processing = n8nProcess({ parameters: { statuses: ['2', '4'] } });
		await processing.deliver(callbackBody({ _id: 'job-a', status: 2, type: 'image' }, SECRETS));
		await processing.deliver(failed('job-a'));
		await processing.deliver(failed('job-b'));
		expect(processing.executions.map((execution) => execution.received?.map((item) => [item.json.jobId, item.json.statusCode]))).toEqual([
			[['job-a', 2]],
			[['job-a', 4]],
			[['job-b', 4]],
		]);
	});

	it('a duplicate that comes before the first execution ended starts one that ends at the trigger: the next node gets the callback once', async () => {
		const body = failed('job-in-flight');
		const first = await n8n.receive(body);
		const second = await n8n.receive(body);
		expect([first.status, first.body, second.status, second.body]).toEqual([200, STARTED, 200, STARTED]);
		await first.start?.();
		const late = await second.start?.();
		expect([late?.triggerOutput, late?.received]).toEqual([[], undefined]);
		expect(receivedJobs()).toEqual(['job-in-flight']);
		// Both executions remembered it: the next copy starts nothing at all.
		expect(await n8n.receive(body)).toEqual({ status: 200, body: DUPLICATE });
	});

	it('two processes whose executions end together (queue-mode workers) lose a start from the static data: n8n’s processed-data store still stops the duplicate, and the static data learns it again', async () => {
		const worker1 = n8n;
		const worker2 = n8nProcess({ database: n8n.database });
		const [a, b] = [await worker1.receive(failed('job-a')), await worker2.receive(failed('job-b'))];
		await a.start?.();
		await b.start?.();
		const memo = () => Object.keys((n8n.database.staticData[`node:${TRIGGER_NAME}`] as { startedCallbacks: object }).startedCallbacks);
		expect(memo()).toEqual(['job-b:4']);
		const again = await worker2.deliver(failed('job-a'));
		expect([again.body, again.execution?.triggerOutput]).toEqual([STARTED, []]);
		expect(memo().sort()).toEqual(['job-a:4', 'job-b:4']);
		expect(await worker1.receive(failed('job-a'))).toEqual({ status: 200, body: DUPLICATE });
		expect([...worker1.executions, ...worker2.executions].filter((e) => e.received).map((e) => e.triggerOutput[0].json.jobId)).toEqual(['job-a', 'job-b']);
	});

	it('a record that another worker’s check dropped from n8n’s store comes back with the next callback this process handles', async () => {
		await n8n.deliver(failed('job-a'));
		const [row] = [...store.rows.values()];
		row.splice(0); // another worker read the row before job-a was recorded, and wrote it back after
		await n8n.deliver(failed('job-b'));
		const elsewhere = n8nProcess();
		expect((await elsewhere.deliver(failed('job-a'))).execution?.triggerOutput).toEqual([]);
	});

	it('in one process, what it recorded answers a duplicate even when the static data lost it, and goes into the static data (saved: that request starts nothing)', async () => {
		const [a, b] = [await n8n.receive(failed('job-a')), await n8n.receive(failed('job-b'))];
		await b.start?.();
		await a.start?.();
		n8n.database.staticData = {};
		expect(await n8n.receive(failed('job-b'))).toEqual({ status: 200, body: DUPLICATE });
		const memo = n8n.database.staticData[`node:${TRIGGER_NAME}`] as { startedCallbacks: object };
		expect(Object.keys(memo.startedCallbacks).sort()).toEqual(['job-a:4', 'job-b:4']);
		expect(n8n.executions).toHaveLength(2);
	});

	it('executions of one n8n process check one at a time: of copies started at once, one passes; callbacks of other jobs at once are all kept', async () => {
		const copies = await Promise.all([1, 2, 3].map(async () => await n8n.receive(failed('job-copies'))));
		const others = await Promise.all(['job-x', 'job-y', 'job-z'].map(async (jobId) => await n8n.receive(failed(jobId))));
		await Promise.all([...copies, ...others].map(async (receipt) => await receipt.start?.()));
		expect(receivedJobs().sort()).toEqual(['job-copies', 'job-x', 'job-y', 'job-z']);
		expect([...store.rows.values()][0]).toHaveLength(4);
	});

	it('two executions recording the trigger’s first callbacks at once: the one whose insert fails on n8n’s unique key asks again', async () => {
		// Another execution inserted n8n's row with the same callback between this one's read and insert.
		store.collide(['job-raced:4']);
		const raced = await n8n.deliver(failed('job-raced'));
		expect(raced.execution?.triggerOutput).toEqual([]);
		store.collide(['job-other:4']);
		const other = await n8n.deliver(failed('job-mine'));
		expect(other.execution?.received?.map((item) => item.json.jobId)).toEqual(['job-mine']);
	});

	it('holds across a restart: a new n8n process reads the same database', async () => {
		const body = failed('job-restart');
		await n8n.deliver(body);
		const restarted = n8nProcess({ database: n8n.database });
		expect(await restarted.receive(body)).toEqual({ status: 200, body: DUPLICATE });
		// with the static data gone too, n8n's processed-data store (its own table) still knows
		const blank = n8nProcess();
		expect((await blank.deliver(body)).execution?.triggerOutput).toEqual([]);
	});

	it('keeps the last 10,000 callbacks in n8n’s processed-data store (n8n’s Remove Duplicates default), node scope', async () => {
		await n8n.deliver(failed('job-bounded'));
		expect(store.calls).toEqual([{ mode: 'entries', maxEntries: PROCESSED_MAX_ENTRIES }]);
		expect(PROCESSED_MAX_ENTRIES).toBe(10_000);
		expect([...store.rows.keys()]).toEqual(['wf-trigger-once|n:trigger-node-1']);
	});

	it('the test URL (Listen for test event) starts every verified callback, recording nothing', async () => {
		const testing = n8nProcess({ mode: 'manual' });
		const body = failed('job-test');
		await testing.deliver(body);
		await testing.deliver(body);
		expect(testing.executions.map((execution) => execution.received?.length)).toEqual([1, 1]);
		expect(store.calls).toEqual([]);
	});

	it('a status not selected is acknowledged and starts nothing, and does not count as a start', async () => {
		const processing = callbackBody({ _id: 'job-p', status: 2, type: 'image' }, SECRETS);
		expect(await n8n.receive(processing)).toEqual({ status: 200, body: { message: 'ignored: status not selected' } });
		const selecting = n8nProcess({ parameters: { statuses: ['2'] } });
		expect((await selecting.deliver(processing)).execution?.received).toHaveLength(1);
	});
});

describe('Akool Trigger: requests that fail verification start nothing and leave no execution', () => {
	const genuine = () => failed('job-forged');
	const forgeries: Array<[string, () => unknown, number, string]> = [
		['a forged signature', () => ({ ...genuine(), signature: 'f'.repeat(40) }), 401, 'rejected: bad signature'],
		['signed with another Client ID', () => callbackBody({ _id: 'x', status: 4 }, { apiKey: KEY, clientId: 'intruder' }), 401, 'rejected: bad signature'],
		['stale', () => failed('x', { timestamp: Date.now() - 11 * MINUTE }), 401, 'rejected: stale'],
		['malformed', () => ({ dataEncrypt: 'x' }), 400, 'rejected: malformed'],
	];

	it.each(forgeries)('%s: 4xx, nothing started', async (_label, body, status, message) => {
		expect(await n8n.receive(body())).toEqual({ status, body: { message } });
		expect(n8n.executions).toHaveLength(0);
	});

	const misconfigured: Array<[string, ICredentialDataDecryptedObject, string]> = [
		['no Client ID', { clientId: '' }, 'rejected: The Akool credential has no Client ID, needed to verify callbacks'],
		['a blank Client ID', { clientId: '   ' }, 'rejected: The Akool credential has no Client ID, needed to verify callbacks'],
		['an API key of 9 characters', { apiKey: 'short-key' }, 'rejected: The Akool API key cannot decrypt callbacks'],
	];

	it.each(misconfigured)('with %s in the credential: every request, forged or not, gets 401 saying what is missing (no value), nothing started', async (_label, cred, message) => {
		const broken = n8nProcess({ credential: credential(cred) });
		for (const body of [genuine(), { ...genuine(), signature: '0'.repeat(40) }, {}]) {
			const answer = await broken.receive(body);
			expect(answer).toEqual({ status: 401, body: { message } });
			for (const secret of [KEY, CLIENT_ID, 'short-key', '9']) expect(JSON.stringify(answer)).not.toContain(secret);
		}
		expect(broken.executions).toHaveLength(0);
		expect(broken.database.staticData).toEqual({});
	});
});
