/**
 * The Akool credential: its declarative test, evaluated as n8n's "Test" button does
 * (test/harness/credentialTest.js), against the fake Akool; and its authentication as the node uses it.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';
import { PATHS, startFakeAkool, type FakeAkool } from '../fake-akool';
import { fullUrl, resolveTestRequest, testCredential } from '../harness/credentialTest';

const KEY = 'sk-CRED-7731';

let fake: FakeAkool;
beforeAll(async () => {
	fake = await startFakeAkool({ apiKey: KEY, durationMs: [200, 400] });
});
afterEach(() => fake.reset());
afterAll(async () => {
	await fake.close();
});

const credentialType = new AkoolApi();

async function test(data: ICredentialDataDecryptedObject) {
	return await testCredential(credentialType, data, { timeoutMs: 10_000 });
}

describe('the credential test', () => {
	it('passes with the right key, calling the quota call with x-api-key', async () => {
		const result = await test({ apiKey: KEY, baseUrl: fake.baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(fake.requests).toHaveLength(1);
		const [request] = fake.requests;
		expect(request).toMatchObject({ kind: 'credits', method: 'GET', path: PATHS.credits, host: 'api', code: 1000 });
		expect(request.path).toBe('/api/open/v3/faceswap/quota/info');
		expect(request.headers['x-api-key']).toBe(KEY);
		expect(request.headers.authorization).toBeUndefined();
	});

	it('fails with a wrong key, saying 1101', async () => {
		const result = await test({ apiKey: 'sk-not-the-key', baseUrl: fake.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\b1101\b/);
		expect(result.message).toMatch(/invalid or expired/);
		expect(result.message).not.toContain('sk-not-the-key');
		expect(fake.requests[0].headers['x-api-key']).toBe('sk-not-the-key');
	});

	it.each([
		['blank', { apiKey: '' }],
		['missing', {}],
	])('fails with a %s key, saying 1102', async (_, key) => {
		const result = await test({ ...key, baseUrl: fake.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\b1102\b/);
		expect(fake.requests).toHaveLength(1);
		expect(fake.requests[0].path).toBe(PATHS.credits);
	});

	it.each(['/', '//'])('works with a base URL ending in "%s"', async (slash) => {
		const result = await test({ apiKey: KEY, baseUrl: `${fake.baseUrl}${slash}` });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(fake.requests.map((request) => request.path)).toEqual([PATHS.credits]);
		expect(fake.requests[0].headers['x-api-key']).toBe(KEY);
	});

	it.each(['', '/', '///'])(
		'resolves the base URL expression itself with n8n’s engine (base URL ending in "%s")',
		async (slash) => {
			// Independent of axios' own joining of baseURL and url: the credential's expression strips the slashes.
			const request = await resolveTestRequest(credentialType, { apiKey: KEY, baseUrl: `${fake.baseUrl}${slash}` });
			expect(request.baseURL).toBe(fake.baseUrl);
			expect(request.url).toBe(PATHS.credits);
			expect(request.method).toBe('GET');
			expect(request.headers).toEqual({ 'x-api-key': KEY });
			expect(fullUrl(request.baseURL, request.url)).toBe(`${fake.baseUrl}${PATHS.credits}`);
			expect(fake.requests).toHaveLength(0);
		},
	);

	it('falls back to the default base URL when the field was never saved', async () => {
		const request = await resolveTestRequest(credentialType, { apiKey: KEY });
		expect(request.baseURL).toBe('https://openapi.akool.com');
	});

	it('still passes when the account has no credits left (the key itself is fine)', async () => {
		fake.setOptions({ credits: 0 });
		try {
			const result = await test({ apiKey: KEY, baseUrl: fake.baseUrl });
			expect(result.status).toBe('OK');
		} finally {
			fake.setOptions({ credits: 1000 });
		}
	});

	// Each code the credential's rules list fails the test with its own message.
	const ruleCodes = (credentialType.test.rules ?? []).map((rule) => {
		const { value, message } = rule.properties as { value: number; message: string };
		return [value, message] as const;
	});

	it('has a rule for every code that means "this key will not work"', () => {
		expect(ruleCodes.map(([code]) => code)).toEqual(expect.arrayContaining([1101, 1102, 1103, 1109, 1200]));
		expect((credentialType.test.rules ?? []).every((rule) => rule.type === 'responseSuccessBody')).toBe(true);
	});

	it.each(ruleCodes)('code %d on HTTP 200 fails the test with its message', async (code, message) => {
		fake.plan('credits', [{ json: { code, msg: 'from the fake', data: null } }]);
		const result = await test({ apiKey: KEY, baseUrl: fake.baseUrl });
		expect(result).toEqual({ status: 'Error', message });
		expect(message).toContain(String(code));
	});

	it('an HTTP error status fails the test with the status text', async () => {
		fake.plan('credits', [{ status: 503 }]);
		const result = await test({ apiKey: KEY, baseUrl: fake.baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'Service Unavailable' });
	});

	it('a base URL where nothing listens fails with the network error code', async () => {
		const closed = await startFakeAkool();
		const baseUrl = closed.baseUrl;
		await closed.close();
		const result = await test({ apiKey: KEY, baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('the credential’s authentication', () => {
	it('puts the key in x-api-key and nothing else', () => {
		expect(credentialType.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
		});
	});

	it('keeps the key out of the defaults and marks it as a password', () => {
		const apiKey = credentialType.properties.find((property) => property.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(apiKey?.default).toBe('');
		const baseUrl = credentialType.properties.find((property) => property.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://openapi.akool.com');
	});
});
