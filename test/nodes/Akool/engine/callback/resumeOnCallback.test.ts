/**
 * Wait Mode "Callback", the webhook() half (engine/callback/resumeOnCallback.ts), called in-process
 * as n8n's WaitingWebhooks calls it: callbacks verified, ignored or rejected, the jobs read only as
 * far as needed, and the run resumed once every job is final. The execute() half:
 * waitByCallback.test.ts; the fixture: test/harness/callbackRun.ts.
 */
import type { IDataObject, IRunExecutionData } from 'n8n-workflow';

import { CALLBACK_API_KEY as KEY, imageSize, readPngSize } from '../../../../fake-akool';
import { callbackBody } from '../../../../fake-akool/callbacks';
import { generateParameters, runAkool } from '../../../../harness/akool';
import { CLIENT_ID, DURATION, SECRETS, useCallbackRun } from '../../../../harness/callbackRun';

const { fake, clock, credential, startWaiting, jobIds, queryOf, postCallback, finalCallback, reads, ticking } = useCallbackRun();

describe('Wait Mode "Callback": the webhook() half (in-process, as n8n’s WaitingWebhooks calls it)', () => {
	it('ignores (200, no resume, no read) callbacks that are not for this run or not final', async () => {
		const waiting = await startWaiting();
		const [id] = jobIds();
		clock.t = clock.t0 + 500;

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
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 500;
		const first = await postCallback(waiting, finalCallback(ids[0]));
		expect(first).toEqual({ status: 200, body: { message: `ok: job ${ids[1]} is still running` }, resumedWith: undefined });
		expect(reads()).toBe(1);
		// A repeated callback for job 0 (Akool retries) reads job 1 again, and still waits.
		expect((await postCallback(waiting, finalCallback(ids[0]))).resumedWith).toBeUndefined();
		expect(reads()).toBe(2);

		// Everything is done now; job 1's own callback reads jobs 2 and 3, and resumes.
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 500;
		// Job 0 done by callback; job 1 read once: unfinished.
		expect((await postCallback(waiting, finalCallback(ids[0]))).resumedWith).toBeUndefined();
		expect(reads()).toBe(1);
		clock.t = clock.t0 + 2 * DURATION;
		// Job 1's callback: job 0 is remembered final (in this process); it resumes.
		const last = await postCallback(waiting, finalCallback(ids[1]));
		expect(last.resumedWith?.map((item) => item.json.jobId)).toEqual(ids);
		expect(reads() / ids.length).toBeLessThanOrEqual(2);
	});

	it('a job an earlier check read final is not read again when its own callback comes, nor on resume', async () => {
		// Concurrency 1: one read at a time, so that which read Akool answers "processing" is known.
		const waiting = await startWaiting({ downloadImage: false, options: { concurrency: 1 } }, [{ n: 1 }, { n: 2 }]);
		const ids = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 2 * DURATION;
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

	it('answers "not waiting" for a node whose context lost the run', async () => {
		const waiting = await startWaiting({ numberOfImages: 1 }, [{}]);
		const [id] = jobIds();
		const bare = { ...waiting, run: { ...waiting.run, data: JSON.parse(JSON.stringify(waiting.run.data)) as IRunExecutionData } };
		bare.run.data.executionData!.contextData = {};
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
		clock.t = clock.t0;
		const waiting = await startWaiting({ numberOfImages: 1, downloadImage: false }, [{}]);
		const [id] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
		const resumed = (await postCallback(waiting, finalCallback(id))).resumedWith ?? [];
		const shape = (json: IDataObject) =>
			Object.fromEntries(Object.entries(json).map(([key, value]) => [key, value === null ? null : typeof value]));
		expect(shape(resumed[0].json)).toEqual(shape(polled.output[0].json));
		expect(resumed[0].json).toMatchObject({ prompt: 'a lighthouse at dusk', creditsCharged: 1 });
	});

	it('a "completed" callback without URL is not a failure (Akool can show the URL a moment later)', async () => {
		const waiting = await startWaiting({ numberOfImages: 1, downloadImage: false }, [{}]);
		const [id] = jobIds();
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 2 * DURATION;
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
		clock.t = clock.t0 + 2 * DURATION;
		await expect(postCallback({ ...waiting, cred: credential({ clientId: '' }) }, finalCallback(id))).rejects.toThrow(
			'The Akool credential has no Client ID, needed to verify callbacks',
		);
	});
});
