/**
 * The fake Akool's callback mode: signed, encrypted POSTs to each job's webhook URL (processing,
 * then final), retried on any answer but 200, recorded, cancelled on reset/close. Deliveries are
 * checked against the node's own verifier (a second, independent implementation).
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

import { verifyCallback } from '../../nodes/shared/akool/callbackCrypto';
import { CALLBACK_API_KEY as KEY24, PATHS, sleep, startFakeAkool } from '../fake-akool';
import type { FakeAkool, FakeAkoolOptions } from '../fake-akool';
import { callbackBody, decryptText, ivFor, signatureOf } from './callbacks';
import { runCli, startReceiver, until } from './test-peers';

const CLIENT_ID = 'client-7';
const SECRETS = { apiKey: KEY24, clientId: CLIENT_ID };

const started: FakeAkool[] = [];
const receivers: Array<{ close: () => Promise<void> }> = [];

async function start(options: FakeAkoolOptions = {}): Promise<FakeAkool> {
	const fake = await startFakeAkool({ apiKey: KEY24, durationMs: 200, ...options });
	started.push(fake);
	return fake;
}

async function listen(answer?: (nth: number, body: Record<string, unknown>) => number) {
	const r = await startReceiver(answer);
	receivers.push(r);
	return r;
}

afterEach(async () => {
	await Promise.all(started.splice(0).map(async (fake) => await fake.close()));
	await Promise.all(receivers.splice(0).map(async (r) => await r.close()));
});

async function create(fake: FakeAkool, body: Record<string, unknown>): Promise<string[]> {
	const res = await fetch(fake.baseUrl + PATHS.create, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': fake.options.apiKey },
		body: JSON.stringify(body),
	});
	const { data } = (await res.json()) as { data: { _id: string } | Array<{ _id: string }> };
	return (Array.isArray(data) ? data : [data]).map((job) => job._id);
}

const settled = (fake: FakeAkool) => () =>
	fake.callbacks.length > 0 && fake.callbacks.every((d) => d.state === 'delivered' || d.state === 'gave up');

describe('callback bodies (encrypt, then sign)', () => {
	it('encrypts with AES-CBC, key = API key bytes, IV = Client ID padded with spaces; signs the sorted fields', () => {
		const body = callbackBody({ _id: 'j1', status: 3, type: 'image', url: 'http://x/y.png' }, SECRETS, {
			timestamp: 1_750_000_000_000,
			nonce: '1234',
		});
		// Decrypted by hand with explicit buffers, not through the module's helpers.
		const decipher = createDecipheriv('aes-192-cbc', Buffer.from(KEY24), Buffer.from('client-7        '));
		const plain = Buffer.concat([decipher.update(Buffer.from(body.dataEncrypt, 'base64')), decipher.final()]);
		expect(JSON.parse(plain.toString('utf8'))).toEqual({ _id: 'j1', status: 3, type: 'image', url: 'http://x/y.png' });
		const sorted = [CLIENT_ID, '1750000000000', '1234', body.dataEncrypt].sort().join('');
		expect(body.signature).toBe(createHash('sha1').update(sorted).digest('hex'));
		expect(body).toMatchObject({ timestamp: 1_750_000_000_000, nonce: '1234' });
	});

	it('cuts a long Client ID to its first 16 bytes for the IV and signs with all of it', () => {
		const clientId = 'abcdefghijklmnopqrstuvwx';
		expect(ivFor(clientId).toString()).toBe('abcdefghijklmnop');
		const body = callbackBody('{"_id":"j","status":2}', { apiKey: KEY24, clientId }, { timestamp: 1, nonce: 'n' });
		const cipher = createCipheriv('aes-192-cbc', Buffer.from(KEY24), Buffer.from('abcdefghijklmnop'));
		const expected = Buffer.concat([cipher.update('{"_id":"j","status":2}'), cipher.final()]).toString('base64');
		expect(body.dataEncrypt).toBe(expected);
		expect(body.signature).toBe(signatureOf(clientId, 1, 'n', expected));
		expect(decryptText(body.dataEncrypt, { apiKey: KEY24, clientId })).toBe('{"_id":"j","status":2}');
	});

	it.each([16, 24, 32])('round-trips through the node’s verifier with a %i-byte key', (length) => {
		const apiKey = 'k'.repeat(length);
		const body = callbackBody({ _id: 'job', status: 4, type: 'image' }, { apiKey, clientId: 'c' });
		expect(verifyCallback(body, { apiKey, clientId: 'c' })).toEqual({
			ok: true,
			data: { _id: 'job', status: 4, type: 'image' },
		});
	});

	it('refuses to encrypt with a key that is not 16, 24 or 32 bytes', () => {
		expect(() => callbackBody({ _id: 'j', status: 3 }, { apiKey: 'short', clientId: 'c' })).toThrow(/16, 24 or 32/);
	});
});

describe('callback options', () => {
	it.each([
		[{ callbacks: { clientId: CLIENT_ID }, apiKey: 'test-api-key' }, /16, 24 or 32 bytes/],
		[{ callbacks: { clientId: '' } }, /clientId/],
		[{ callbacks: { clientId: 'c', maxAttempts: 0 } }, /maxAttempts/],
		[{ callbacks: { clientId: 'c', retryMs: -1 } }, /retryMs/],
		[{ callbacks: { clientId: 'c', processing: 'yes' } }, /processing/],
		[{ callbacks: { clientId: 'c', processingDelayMs: -5 } }, /processingDelayMs/],
		[{ callbacks: { clientId: 'c', holdAnswerMs: 'long' } }, /holdAnswerMs/],
		[{ callbacks: { clientId: 'c', retries: 3 } }, /unknown callbacks option retries/],
	])('rejects %j', async (options, message) => {
		await expect(start(options as FakeAkoolOptions)).rejects.toThrow(message);
	});

	it('fills the defaults, and can be turned on and off live', async () => {
		const fake = await start();
		expect(fake.options.callbacks).toBeNull();
		fake.setOptions({ callbacks: { clientId: 'c' } });
		expect(fake.options.callbacks).toEqual({
			clientId: 'c',
			retryMs: 2000,
			maxAttempts: 6,
			processing: true,
			processingDelayMs: null,
			holdAnswerMs: 0,
			requestTimeoutMs: 60000,
		});
		expect(() => fake.setOptions({ apiKey: 'not-an-aes-key' })).toThrow(/16, 24 or 32 bytes/);
		fake.setOptions({ callbacks: null });
		expect(fake.options.callbacks).toBeNull();
	});
});

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
