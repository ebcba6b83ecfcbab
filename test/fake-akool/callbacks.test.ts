/**
 * The fake Akool's callback mode (callbacks.js): signed, encrypted POSTs to each job's webhook URL
 * (processing, then final), retried on any answer but 200, recorded, cancelled on reset/close.
 * Deliveries are checked against the node's own verifier (a second, independent implementation).
 * Bodies: callback-signing.test.ts; the option: callback-options.test.ts.
 */
import { verifyCallback } from '../../nodes/shared/akool/callbackCrypto';
import { CALLBACK_API_KEY as KEY24, PATHS, sleep } from '../fake-akool';
import type { FakeAkool } from '../fake-akool';
import { closedAfterEach, createJobs as create } from '../harness/fakeAkool';
import { runCli, until } from '../harness/fakeAkoolPeers';

const CLIENT_ID = 'client-7';
const SECRETS = { apiKey: KEY24, clientId: CLIENT_ID };

const { start, receiver: listen } = closedAfterEach({ apiKey: KEY24, durationMs: 200 });

const settled = (fake: FakeAkool) => () =>
	fake.callbacks.length > 0 && fake.callbacks.every((d) => d.state === 'delivered' || d.state === 'gave up');

describe('deliveries', () => {
	it('POSTs a processing callback, then the final one with the URL once the job is completed', async () => {
		const r = await listen();
		const fake = await start({ callbacks: { clientId: CLIENT_ID, retryMs: 50 } });
		const ids = await create(fake, { prompt: 'p', batch_quantity: 2, webhookurl: `${r.url}/hook?n=abc` });
		await until(settled(fake));
		expect(r.received).toHaveLength(4);
		const decoded = r.received.map((got) => {
			const verdict = verifyCallback(got.body, SECRETS);
			if (!verdict.ok) throw new Error(`the node rejected the fake's callback: ${verdict.reason}`);
			return { ...verdict.data, at: got.at, path: got.path };
		});
		for (const id of ids) {
			const mine = decoded.filter((d) => d._id === id);
			expect(mine.map((d) => d.status)).toEqual([2, 3]);
			expect(mine[0]).toMatchObject({ type: 'image', path: '/hook?n=abc' });
			expect(mine[0].url).toBeUndefined();
			expect(mine[1].url).toBe(fake.imageUrl(id));
			const job = fake.jobs.get(id);
			// Sent when the job is processing, then when it is done (real clock).
			expect(mine[0].at).toBeGreaterThanOrEqual(Math.floor(job?.processingAt ?? 0));
			expect(mine[1].at).toBeGreaterThanOrEqual(Math.floor(job?.readyAt ?? 0));
		}
		expect(fake.callbacks.map((d) => [d.status, d.state, d.attempts.length])).toEqual([
			[2, 'delivered', 1],
			[3, 'delivered', 1],
			[2, 'delivered', 1],
			[3, 'delivered', 1],
		]);
		expect(fake.callbacks[1].attempts[0]).toMatchObject({ httpStatus: 200, error: null, response: '{"status":200}' });
		// The callbacks read nothing: the jobs were never asked for.
		expect(fake.count('result')).toBe(0);
		expect(fake.stats().callbacks).toMatchObject({
			deliveries: 4,
			attempts: 4,
			delivered: 4,
			gaveUp: 0,
			pending: 0,
			byHttpStatus: { '200': 4 },
		});
	});

	it('retries any answer but 200 every retryMs (scaled by timeScale), with the same body', async () => {
		// 409 twice (n8n: execution still running), then 200.
		const r = await listen((nth) => (nth <= 2 ? 409 : 200));
		const fake = await start({
			timeScale: 0.5,
			callbacks: { clientId: CLIENT_ID, retryMs: 200, processing: false },
		});
		await create(fake, { prompt: 'p', webhookurl: r.url });
		await until(settled(fake));
		const [delivery] = fake.callbacks;
		expect(delivery.state).toBe('delivered');
		expect(delivery.attempts.map((a) => a.httpStatus)).toEqual([409, 409, 200]);
		expect(r.received.map((got) => got.body)).toEqual([delivery.body, delivery.body, delivery.body]);
		const gaps = delivery.attempts.slice(1).map((a, i) => a.at - (delivery.attempts[i].doneAt ?? 0));
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(95);
		expect(fake.stats().callbacks?.byHttpStatus).toEqual({ '409': 2, '200': 1 });
	});

	it('gives up after maxAttempts, and counts a refused connection as an attempt without answer', async () => {
		const r = await listen(() => 500);
		const fake = await start({ callbacks: { clientId: CLIENT_ID, retryMs: 20, maxAttempts: 3, processing: false } });
		await create(fake, { prompt: 'p', webhookurl: r.url });
		await create(fake, { prompt: 'q', webhookurl: 'http://127.0.0.1:9/closed' });
		await until(settled(fake));
		expect(fake.callbacks.map((d) => d.state)).toEqual(['gave up', 'gave up']);
		expect(fake.callbacks[0].attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500]);
		expect(fake.callbacks[1].attempts.map((a) => a.httpStatus)).toEqual([null, null, null]);
		expect(fake.callbacks[1].attempts[0].error).toMatch(/ECONNREFUSED/);
		expect(fake.stats().callbacks).toMatchObject({ gaveUp: 2, byHttpStatus: { '500': 3, error: 3 } });
	});

	it('sends the processing callback processingDelayMs after creation when set (0: at once)', async () => {
		const r = await listen();
		const fake = await start({ durationMs: 2000, callbacks: { clientId: CLIENT_ID, processingDelayMs: 0 } });
		const [id] = await create(fake, { prompt: 'p', webhookurl: r.url });
		await until(() => r.received.length === 1);
		const job = fake.jobs.get(id);
		expect(r.received[0].at).toBeLessThan(Math.floor(job?.processingAt ?? 0));
		expect(verifyCallback(r.received[0].body, SECRETS)).toMatchObject({ ok: true, data: { _id: id, status: 2 } });
		expect(fake.callbacks.map((d) => [d.status, d.state])).toEqual([
			[2, 'delivered'],
			[3, 'scheduled'],
		]);
	});

	it('holds the create answer holdAnswerMs after creating: the processing callback arrives first', async () => {
		const r = await listen();
		const fake = await start({
			durationMs: 2000,
			callbacks: { clientId: CLIENT_ID, processingDelayMs: 0, holdAnswerMs: 300 },
		});
		const sent = Date.now();
		const [id] = await create(fake, { prompt: 'p', webhookurl: r.url });
		const answered = Date.now();
		expect(answered - sent).toBeGreaterThanOrEqual(290);
		expect(r.received).toHaveLength(1);
		expect(r.received[0].at).toBeLessThan(answered);
		expect(verifyCallback(r.received[0].body, SECRETS)).toMatchObject({ ok: true, data: { _id: id, status: 2 } });
	});

	it('POST /__callbacks/resend sends a delivered callback’s very body again, copies at once (a retry whose 200 was lost, a replay)', async () => {
		const r = await listen();
		const fake = await start({ admin: true, callbacks: { clientId: CLIENT_ID, processing: false } });
		const [id] = await create(fake, { prompt: 'p', webhookurl: r.url });
		await until(settled(fake));
		const res = await fetch(`${fake.baseUrl}/__callbacks/resend`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ jobId: id, status: 3, copies: 3 }),
		});
		const answers = (await res.json()) as Array<{ httpStatus: number; resent: boolean }>;
		expect(answers.map((a) => [a.httpStatus, a.resent])).toEqual([[200, true], [200, true], [200, true]]);
		const [delivery] = fake.callbacks;
		expect([delivery.state, delivery.attempts.length]).toEqual(['delivered', 4]);
		expect(r.received.map((got) => got.body)).toEqual([delivery.body, delivery.body, delivery.body, delivery.body]);
		const unknown = await fetch(`${fake.baseUrl}/__callbacks/resend`, { method: 'POST', body: JSON.stringify({ jobId: id, status: 2 }) });
		expect([unknown.status, await unknown.json()]).toEqual([400, { error: `fake-akool: no callback of job ${id} with status 2` }]);
	});

	it('reports a failed job with status 4 and no URL', async () => {
		const r = await listen();
		const fake = await start({ callbacks: { clientId: CLIENT_ID, processing: false } });
		const [id] = await create(fake, { prompt: '[fail] p', webhookurl: r.url });
		await until(settled(fake));
		const verdict = verifyCallback(r.received[0].body, SECRETS);
		expect(verdict).toEqual({ ok: true, data: { _id: id, status: 4, type: 'image' } });
	});

	it('calls back a button’s job at its webhookUrl', async () => {
		const r = await listen();
		const fake = await start({ buttons: true, callbacks: { clientId: CLIENT_ID, processing: false } });
		const [parent] = await create(fake, { prompt: 'p' });
		await until(() => fake.jobs.get(parent)?.status === 3);
		const res = await fetch(fake.baseUrl + PATHS.button, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': KEY24 },
			body: JSON.stringify({ _id: parent, button: 'U1', webhookUrl: `${r.url}/button` }),
		});
		const child = ((await res.json()) as { data: { _id: string } }).data._id;
		await until(settled(fake));
		expect(fake.callbacks.map((d) => [d.jobId, d.status, d.url])).toEqual([[child, 3, `${r.url}/button`]]);
	});

	it('sends nothing for a job without webhook URL, nor when callbacks are off', async () => {
		const r = await listen();
		const fake = await start({ durationMs: 50 });
		await create(fake, { prompt: 'p', webhookurl: r.url });
		fake.setOptions({ callbacks: { clientId: CLIENT_ID } });
		await create(fake, { prompt: 'p' });
		await sleep(200);
		expect(r.received).toHaveLength(0);
		expect(fake.callbacks).toHaveLength(0);
		expect(fake.stats().callbacks).toMatchObject({ deliveries: 0 });
	});

	it('reset() and close() cancel what is scheduled', async () => {
		const r = await listen();
		const fake = await start({ durationMs: 300, callbacks: { clientId: CLIENT_ID } });
		await create(fake, { prompt: 'p', webhookurl: r.url });
		expect(fake.callbacks.map((d) => d.state)).toEqual(['scheduled', 'scheduled']);
		fake.reset();
		expect(fake.callbacks).toHaveLength(0);
		await create(fake, { prompt: 'p', webhookurl: r.url });
		await fake.close();
		await sleep(450);
		expect(r.received).toHaveLength(0);
	});
});

describe('the CLI', () => {
	it('turns callbacks on with --callbacks and serves them at GET /__callbacks', async () => {
		const r = await listen((nth) => (nth === 1 ? 409 : 200));
		const cli = runCli(['--api-key', KEY24, '--duration-ms', '100', '--callbacks', CLIENT_ID, '--callback-retry-ms', '50', '--callback-max-attempts', '4', '--no-processing-callback']);
		try {
			const line = await cli.firstLine;
			const { baseUrl } = JSON.parse(line) as { baseUrl: string };
			const res = await fetch(baseUrl + PATHS.create, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': KEY24 },
				body: JSON.stringify({ prompt: 'p', webhookurl: r.url }),
			});
			expect(((await res.json()) as { code: number }).code).toBe(1000);
			let deliveries: Array<{ status: number; state: string; attempts: Array<{ httpStatus: number }> }> = [];
			for (let i = 0; i < 100 && deliveries[0]?.state !== 'delivered'; i++) {
				deliveries = (await (await fetch(`${baseUrl}/__callbacks`)).json()) as typeof deliveries;
				await sleep(50);
			}
			expect(deliveries.map((d) => [d.status, d.state, d.attempts.map((a) => a.httpStatus)])).toEqual([
				[3, 'delivered', [409, 200]],
			]);
			const stats = (await (await fetch(`${baseUrl}/__stats`)).json()) as { callbacks: { delivered: number } };
			expect(stats.callbacks.delivered).toBe(1);
		} finally {
			await cli.stop();
		}
	});

	it('refuses --callback-* flags without --callbacks', async () => {
		const cli = runCli(['--callback-retry-ms', '5']);
		const code = await cli.exited;
		const err = cli.stderr();
		expect(code).toBe(2);
		expect(err).toMatch(/need --callbacks CLIENT_ID/);
	});
});
