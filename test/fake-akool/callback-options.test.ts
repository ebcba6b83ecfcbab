/**
 * The fake Akool's `callbacks` option (callback-options.js): what it refuses, its defaults, and
 * turning callbacks on and off live.
 */
import { CALLBACK_API_KEY as KEY24 } from '../fake-akool';
import type { FakeAkoolOptions } from '../fake-akool';
import { closedAfterEach } from '../harness/fakeAkool';

const CLIENT_ID = 'client-7';

const { start } = closedAfterEach({ apiKey: KEY24, durationMs: 200 });

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
