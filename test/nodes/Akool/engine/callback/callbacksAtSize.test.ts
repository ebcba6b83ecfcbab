/**
 * Wait Mode "Callback" at size: the run's job IDs are kept in the node's context (saved with the
 * waiting execution, read back by webhook() through `$node[...].context`), not in the execution's
 * custom data (10 values of 512 characters, about 90 job IDs), so 1,000 images wait in one execution.
 * Also: a callback reaching a process that knows none of the run's jobs (queue mode's other webhook
 * processes, a restart), a run kept by version 0.1.0 in the custom data, and a callback that n8n
 * still hands over after this process resumed the run.
 */
import type { IDataObject, INodeType, IRunExecutionData } from 'n8n-workflow';

import { CALLBACK_API_KEY as KEY, sleep } from '../../../../fake-akool';
import { useFakeAkool } from '../../../../harness/akool';
import { DURATION, useCallbackRun } from '../../../../harness/callbackRun';

const { fake, clock, credential, startWaiting, createBodies, jobIds, postCallback, finalCallback, reads } = useCallbackRun();
/** A second fake on the real clock, holding each answer: shows how many reads are in flight at once. */
const slowFake = useFakeAkool({ apiKey: KEY, durationMs: 1, latencyMs: 15 });

const sizeOptions = { maxImagesPerRun: 0 };
const contextOf = (data: IRunExecutionData) => data.executionData?.contextData['node:Akool'] as IDataObject | undefined;

/** The node as another n8n process has it: a fresh copy of its modules (and of their memory). */
function nodeOfAnotherProcess(): INodeType {
	let node: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { Akool } = require('../../../../../nodes/Akool/Akool.node') as { Akool: new () => INodeType };
		node = new Akool();
	});
	return node as INodeType;
}

/** Waits (real time) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 5000) throw new Error('condition not met within 5 s');
		await sleep(10);
	}
}

/** The most requests of `kind` the fake was answering at the same moment. */
function mostInFlight(requests: Array<{ kind: string; at: number; doneAt: number | null }>, kind: string): number {
	const edges = requests
		.filter((request) => request.kind === kind)
		.flatMap((request) => [
			[request.at, 1],
			[request.doneAt ?? request.at, -1],
		])
		.sort(([a, da], [b, db]) => a - b || da - db);
	let now = 0;
	let most = 0;
	for (const [, delta] of edges) most = Math.max(most, (now += delta));
	return most;
}

describe('Wait Mode "Callback" at size', () => {
	it('250 items × 4 images wait in one execution and resume with all 1,000 images in input order', async () => {
		const items = Array.from({ length: 250 }, (_, n) => ({ n }));
		const waiting = await startWaiting({ numberOfImages: 4, downloadImage: false, options: sizeOptions }, items);
		expect(waiting.error).toBeUndefined();
		expect(waiting.run.status).toBe('waiting');
		// Each item's create sent once, with the resume URL.
		expect(createBodies()).toHaveLength(250);
		expect(new Set(createBodies().map((body) => body.webhookurl)).size).toBe(1);
		const ids = jobIds();
		expect(ids).toHaveLength(1000);
		// The run is in the node's context; none of the user's 10 custom data keys is taken.
		expect(waiting.run.data.resultData.metadata ?? {}).toEqual({});
		const kept = JSON.parse(String(contextOf(waiting.run.data)?.akoolCallback)) as { items: Array<{ jobIds: string[] }> };
		expect(kept.items.map((item) => item.jobIds)).toEqual(items.map((_, n) => ids.slice(4 * n, 4 * n + 4)));

		clock.t = clock.t0 + 2 * DURATION;
		const answer = await postCallback(waiting, finalCallback(ids[999]));
		expect(answer.body).toEqual({ message: 'resumed' });
		const resumed = answer.resumedWith ?? [];
		expect(resumed.map((item) => item.json.jobId)).toEqual(ids);
		expect(resumed.map((item) => [item.json.status, item.json.batchIndex, (item.pairedItem as { item: number }).item])).toEqual(
			ids.map((_, index) => ['completed', index % 4, Math.floor(index / 4)]),
		);
		// A process that knew none of the jobs read each one once: 999 checked, 1 known from its callback.
		expect(fake().stats().maxReadsPerJob).toBe(1);
		expect(reads()).toBe(1000);
	});

	it('a process that knows none of the run’s jobs reads them Concurrency at a time, not one after another', async () => {
		const items = Array.from({ length: 10 }, (_, n) => ({ n }));
		const cred = credential({ baseUrl: slowFake().baseUrl });
		const waiting = await startWaiting({ numberOfImages: 4, downloadImage: false, options: { concurrency: 5 } }, items, cred);
		const ids = [...slowFake().jobs.keys()];
		expect(ids).toHaveLength(40);
		const query = Object.fromEntries(new URL(String(slowFake().requests.find((r) => r.kind === 'create')?.body?.webhookurl)).searchParams);
		await sleep(50);

		// Job 0's callback reaches a process that has seen nothing of this run.
		const answer = await postCallback(waiting, finalCallback(ids[0], Date.now()), query, { nodeType: nodeOfAnotherProcess() });
		expect(answer.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
		expect(slowFake().stats().maxReadsPerJob).toBe(1);
		expect(mostInFlight(slowFake().requests, 'result')).toBe(5);
	});

	it('a callback the other process gets later does its own check and resumes with the same items', async () => {
		const waiting = await startWaiting({ downloadImage: false }, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		clock.t = clock.t0 + 500;
		// Process A sees job 0 done while the others run; process B then gets the last callback.
		const a = nodeOfAnotherProcess();
		const b = nodeOfAnotherProcess();
		expect((await postCallback(waiting, finalCallback(ids[0]), undefined, { nodeType: a })).resumedWith).toBeUndefined();
		clock.t = clock.t0 + 2 * DURATION;
		const last = await postCallback(waiting, finalCallback(ids[3]), undefined, { nodeType: b });
		expect(last.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
	});

	it('resumes a run that version 0.1.0 left waiting with its job IDs in the execution’s custom data', async () => {
		const waiting = await startWaiting({ downloadImage: false }, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		const { n } = Object.fromEntries(new URL(String(createBodies()[0].webhookurl)).searchParams);
		const data = JSON.parse(JSON.stringify(waiting.run.data)) as IRunExecutionData;
		delete contextOf(data)?.akoolCallback;
		data.resultData.metadata = { akool_Akool: `akool1;${n};1;2.2`, akool_Akool_0: ids.join(',') };
		clock.t = clock.t0 + 2 * DURATION;
		const answer = await postCallback({ ...waiting, run: { ...waiting.run, data } }, finalCallback(ids[1]));
		expect(answer.resumedWith?.map((item) => [item.json.jobId, item.pairedItem])).toEqual([
			[ids[0], { item: 0 }],
			[ids[1], { item: 0 }],
			[ids[2], { item: 1 }],
			[ids[3], { item: 1 }],
		]);
	});

	it('after this process resumed the run: other jobs’ callbacks are acknowledged for 2 minutes, the resuming job’s is checked again', async () => {
		const waiting = await startWaiting({ downloadImage: false, numberOfImages: 1 }, [{ n: 1 }, { n: 2 }]);
		const [first, second] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
		const node = nodeOfAnotherProcess();
		expect((await postCallback(waiting, finalCallback(first), undefined, { nodeType: node })).body).toEqual({ message: 'resumed' });
		const readsAtResume = reads();
		// n8n is marking the execution running: another job's callback it still let through is only acknowledged.
		expect(await postCallback(waiting, finalCallback(second), undefined, { nodeType: node })).toEqual({
			status: 200,
			body: { message: 'ok: already resumed' },
			resumedWith: undefined,
		});
		// The resuming callback again: Akool calls it again when n8n did not answer it, so it is checked
		// (from what this process knows: no read) and resumes again.
		const again = await postCallback(waiting, finalCallback(first), undefined, { nodeType: node });
		expect(again.resumedWith?.map((item) => item.json.jobId)).toEqual([first, second]);
		expect(reads()).toBe(readsAtResume);
		// Two minutes on, n8n still hands callbacks over: the resume did not happen, the run is checked again.
		const now = Date.now();
		const later = jest.spyOn(Date, 'now').mockReturnValue(now + 2 * 60_000 + 1_000);
		try {
			const late = await postCallback(waiting, finalCallback(second, now + 2 * 60_000 + 1_000), undefined, { nodeType: node });
			expect(late.resumedWith?.map((item) => item.json.jobId)).toEqual([first, second]);
		} finally {
			later.mockRestore();
		}
	});
});

describe('Wait Mode "Callback" when n8n is overloaded', () => {
	it('a callback that comes while this process resumes the run (images downloading) is answered at once, not held', async () => {
		const waiting = await startWaiting({ numberOfImages: 1 }, [{ n: 1 }, { n: 2 }]);
		const [first, second] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
		fake().plan('download', [{ nth: 1, hangMs: 1500 }]);
		const node = nodeOfAnotherProcess();
		const order: string[] = [];
		const resuming = postCallback(waiting, finalCallback(first), undefined, { nodeType: node }).then((answer) => {
			order.push('resumer');
			return answer;
		});
		await until(() => fake().count('download') >= 1);
		const late = await postCallback(waiting, finalCallback(second), undefined, { nodeType: node });
		order.push('late');
		expect(late).toEqual({ status: 200, body: { message: 'ok: already resumed' }, resumedWith: undefined });
		// The resuming job's own callback again (Akool gave up waiting for n8n's answer): not 200 until it is answered.
		expect(await postCallback(waiting, finalCallback(first), undefined, { nodeType: node })).toEqual({
			status: 503,
			body: { message: 'retry: the run is being resumed' },
		});
		expect((await resuming).body).toEqual({ message: 'resumed' });
		expect(order).toEqual(['late', 'resumer']);
	});

	it('a credential read that fails (n8n’s database timed out) answers 503 instead of ending the waiting run', async () => {
		const waiting = await startWaiting({ downloadImage: false, numberOfImages: 1 }, [{ n: 1 }]);
		const [id] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
		const { WebhookContext } = jest.requireActual<typeof import('n8n-core')>('n8n-core');
		const read = jest
			.spyOn(WebhookContext.prototype, 'getCredentials')
			.mockRejectedValueOnce(new Error('operation timed out for an unknown reason'));
		try {
			expect(await postCallback(waiting, finalCallback(id))).toEqual({
				status: 503,
				body: { message: 'retry: the credential could not be read' },
			});
			// Akool calls again: the run resumes.
			expect((await postCallback(waiting, finalCallback(id))).resumedWith?.map((item) => item.json.jobId)).toEqual([id]);
		} finally {
			read.mockRestore();
		}
	});
});

describe('Wait Mode "Callback" on an n8n that does not give the node’s context back', () => {
	it('refuses before any create', async () => {
		const { ExecuteContext } = jest.requireActual<typeof import('n8n-core')>('n8n-core');
		const original = ExecuteContext.prototype.evaluateExpression;
		const evaluate = jest
			.spyOn(ExecuteContext.prototype, 'evaluateExpression')
			.mockImplementation(function (this: InstanceType<typeof ExecuteContext>, expression: string, itemIndex?: number) {
				return expression.includes('.context[') ? undefined : original.call(this, expression, itemIndex ?? 0);
			});
		try {
			const { run, error } = await startWaiting({}, [{}]);
			expect(run.status).toBe('error');
			expect(error?.message).toBe('Wait Mode "Callback" cannot keep the run’s jobs on this n8n');
			expect(fake().count('create')).toBe(0);
		} finally {
			evaluate.mockRestore();
		}
	});
});
