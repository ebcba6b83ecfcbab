/**
 * The door to Akool's API, through the node in n8n's engine against the fake: business codes become
 * NodeApiErrors, refusals (1005, 429) are retried, anything that may have started a paid job is not,
 * reads are retried, and the API key never shows in an error or an output item.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Fault, FaultKind } from '../../../fake-akool';
import { generateParameters, runAkool, useFakeAkool, type AkoolRun } from '../../../harness/akool';

const SECRET = 'sk-SECRET-4242';
const WRONG_KEY = 'sk-WRONG-0000';

const fake = useFakeAkool({ apiKey: SECRET });

const MAY_BE_CHARGED = /may have created \(and charged\) the job/;

function credential(apiKey = SECRET): ICredentialDataDecryptedObject {
	return { apiKey, baseUrl: fake().baseUrl, clientId: '' };
}

/** Runs the node with the secret key, and checks that no key shows anywhere in what n8n keeps. */
async function run(parameters: IDataObject, options: { apiKey?: string; items?: IDataObject[] } = {}) {
	const result = await runAkool(fake(), {
		parameters,
		items: options.items,
		credential: credential(options.apiKey),
	});
	expectNoKey(result);
	return result;
}

function expectNoKey({ run: execution, output, error }: AkoolRun): void {
	for (const key of [SECRET, WRONG_KEY]) {
		expect(error?.message ?? '').not.toContain(key);
		expect(error?.description ?? '').not.toContain(key);
		expect(JSON.stringify(error ?? {})).not.toContain(key);
		expect(JSON.stringify(output)).not.toContain(key);
		expect(JSON.stringify(execution.data.resultData.runData)).not.toContain(key);
	}
}

function plan(kind: FaultKind, faults: Fault[]): void {
	fake().plan(kind, faults);
}

const requestsOf = (kind: string) => fake().requests.filter((request) => request.kind === kind);

describe('Akool business errors', () => {
	it('turns a code on HTTP 200 into a NodeApiError "Akool error <code>: <msg>" with the code table’s hint', async () => {
		plan('create', [{ json: { code: 1006, msg: 'quota not enough', data: null } }]);
		const { error, output } = await run(generateParameters());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Akool error 1006: quota not enough');
		expect(error?.description).toMatch(/not enough credits: top up in the Akool console/);
		expect(error?.context?.akoolCode).toBe(1006);
		expect(output).toEqual([]);
		// A billing error is final: one create, nothing read.
		expect(fake().count('create')).toBe(1);
		expect(fake().count('result')).toBe(0);
	});

	it('reads the code of a business error that comes with an HTTP 4xx, and does not retry it', async () => {
		plan('create', [{ status: 400, json: { code: 1003, msg: 'scale is invalid', data: null } }]);
		const { error } = await run(generateParameters());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Akool error 1003: scale is invalid');
		expect(error?.description).toMatch(/Akool rejected a parameter/);
		expect(fake().count('create')).toBe(1);
	});

	it('reports the fake’s own not-enough-credit refusal', async () => {
		fake().setOptions({ credits: 0 });
		try {
			const { error } = await run(generateParameters());
			expect(error?.message).toBe('Akool error 1006: Your quota is not enough');
			expect(fake().jobs.size).toBe(0);
		} finally {
			fake().setOptions({ credits: 1000 });
		}
	});

	it('names the job when Akool does not know it (1008 on Get Result), without retrying', async () => {
		const jobId = '0123456789abcdef01234567';
		const { error } = await run({ resource: 'image', operation: 'getResult', jobIds: jobId, options: { pollInterval: 1 } });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(`Akool error 1008 (job ${jobId}): Content does not exist`);
		expect(error?.description).toMatch(/check the job ID/);
		expect(fake().count('result')).toBe(1);
	});
});

describe('the API key', () => {
	it('a wrong key gives 1101 with the credential hint, and is not retried', async () => {
		const { error } = await run(generateParameters(), { apiKey: WRONG_KEY });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Akool error 1101: Invalid authorization or the request token has expired');
		expect(error?.description).toMatch(/API key is invalid or expired: update the Akool credential/);
		expect(fake().count('create')).toBe(1);
		expect(requestsOf('create')[0].headers['x-api-key']).toBe(WRONG_KEY);
		expect(fake().jobs.size).toBe(0);
	});

	it('a wrong key on Get Credits gives 1101 too', async () => {
		const { error } = await run({ resource: 'account', operation: 'getCredits' }, { apiKey: WRONG_KEY });
		expect(error?.message).toBe('Akool error 1101: Invalid authorization or the request token has expired');
		expect(fake().count('credits')).toBe(1);
	});

	it('1102 (no key reached Akool, e.g. a proxy dropped it) has its own hint', async () => {
		// The node refuses a blank key itself (see validation.test.ts): Akool's 1102 can only come
		// from something between the node and Akool, so the fake answers it.
		plan('credits', [{ json: { code: 1102, msg: 'Authorization cannot be empty', data: null } }]);
		const { error } = await run({ resource: 'account', operation: 'getCredits' });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Akool error 1102: Authorization cannot be empty');
		expect(error?.description).toMatch(/No API key was sent: set the API key in the Akool credential/);
	});

	it('the right key is sent as x-api-key on every API call, and the output holds no key', async () => {
		const { error, output } = await run(generateParameters({ numberOfImages: 2 }));
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		const api = fake().requests.filter((request) => request.host === 'api');
		expect(api.length).toBeGreaterThanOrEqual(3);
		expect(api.every((request) => request.headers['x-api-key'] === SECRET)).toBe(true);
		expect(api.every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	it('is not sent along when an API call is redirected to another host', async () => {
		// The CDN server plays "another host" (localhost instead of 127.0.0.1, another port).
		plan('credits', [{ redirect: `${fake().cdnBaseUrl}/api/open/v3/faceswap/quota/info` }]);
		const { error } = await run({ resource: 'account', operation: 'getCredits' });
		const elsewhere = fake().requests.filter((request) => request.host === 'cdn');
		expect(elsewhere.length).toBeLessThanOrEqual(1);
		for (const request of elsewhere) {
			expect(request.headers['x-api-key']).toBeUndefined();
			expect(request.headers.authorization).toBeUndefined();
		}
		// Followed (the CDN answers 404 text) or refused: either way an error, never the credits.
		expect(error?.name).toBe('NodeApiError');
		expect(fake().count('credits')).toBe(1);
	});
});

describe('refusals are retried (nothing was created)', () => {
	it.each<[string, Fault]>([
		['code 1005', { json: { code: 1005, msg: 'Too frequent', data: null } }],
		['HTTP 429 with Retry-After: 1', { status: 429, headers: { 'Retry-After': '1' } }],
		['HTTP 429 without Retry-After', { status: 429 }],
		['HTTP 429 with an Akool body', { status: 429, json: { code: 1005, msg: 'Too frequent', data: null } }],
	])('a create refused with %s is sent again after a back-off and makes one job', async (_, fault) => {
		plan('create', [fault]);
		const { error, output } = await run(generateParameters());
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].json.status).toBe('completed');
		const creates = requestsOf('create');
		expect(creates).toHaveLength(2);
		expect(creates[0].fault).toBe(fault);
		expect(creates[1].fault).toBeNull();
		// Back-off: Retry-After when given, else the first step (1 s).
		expect(creates[1].at - creates[0].at).toBeGreaterThanOrEqual(950);
		expect(fake().jobs.size).toBe(1);
		expect(output[0].json.jobId).toBe([...fake().jobs.keys()][0]);
	});

	it('a read refused with 1005 is retried too, and the run succeeds', async () => {
		plan('result', [{ json: { code: 1005, msg: 'Too frequent', data: null } }]);
		const { error, output } = await run(generateParameters());
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('completed');
		expect(fake().count('create')).toBe(1);
		expect(requestsOf('result').length).toBeGreaterThanOrEqual(2);
	});
});

describe('a create that may have started a paid job is never sent again', () => {
	it.each<[string, Fault, RegExp]>([
		['HTTP 500', { status: 500 }, /HTTP 500/],
		['HTTP 502', { status: 502 }, /HTTP 502/],
		['HTTP 503', { status: 503 }, /HTTP 503/],
		['a reset connection', { reset: true }, /connection was reset/],
		['malformed JSON', { raw: '{"code":1000,"msg":"OK","data":{"_id":', contentType: 'application/json' }, /not Akool JSON/],
		['an HTML page', { raw: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }, /an HTML page/],
		['an HTML error page with HTTP 502', { status: 502, raw: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' }, /HTTP 502 with an HTML page/],
	])('%s: one create, and the error says the job may have been charged', async (_, fault, says) => {
		plan('create', [fault]);
		const { error, output } = await run(generateParameters());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^Akool request failed: /);
		expect(error?.message).toMatch(says);
		expect(error?.description).toMatch(MAY_BE_CHARGED);
		expect(error?.description).toMatch(/not sent again/);
		expect(output).toEqual([]);
		expect(fake().count('create')).toBe(1);
		expect(fake().count('result')).toBe(0);
	});

	it('a create that hangs past the Request Timeout is reported and not retried', async () => {
		plan('create', [{ hangMs: 8000 }]);
		const started = Date.now();
		const { error } = await run(generateParameters({ options: { requestTimeout: 5 } }));
		const took = Date.now() - started;
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Akool request failed: no answer within the request timeout');
		expect(error?.description).toMatch(MAY_BE_CHARGED);
		expect(fake().count('create')).toBe(1);
		expect(took).toBeGreaterThanOrEqual(4900);
		expect(took).toBeLessThan(7900);
	});

	it('an Upscale press that answers HTTP 500 is not sent again either', async () => {
		fake().setOptions({ buttons: true });
		try {
			const first = await run(generateParameters({ downloadImage: false }));
			const jobId = String(first.output[0].json.jobId);
			plan('button', [{ status: 500 }]);
			const { error } = await run({
				resource: 'image',
				operation: 'upscaleOrVary',
				jobId,
				button: 'U1',
				options: { pollInterval: 1 },
			});
			expect(error?.message).toMatch(/^Akool request failed \(U1 of job [0-9a-f]{24}\): HTTP 500/);
			expect(error?.description).toMatch(MAY_BE_CHARGED);
			expect(fake().count('button')).toBe(1);
			expect(fake().jobs.size).toBe(1);
		} finally {
			fake().setOptions({ buttons: false });
		}
	});
});

describe('reads are retried', () => {
	it('a result read answering 503 twice, then OK, is retried and the run succeeds', async () => {
		plan('result', [{ status: 503, times: 2 }]);
		const { error, output } = await run(generateParameters());
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].json.status).toBe('completed');
		expect(output[0].binary?.data?.mimeType).toBe('image/png');
		const reads = requestsOf('result');
		expect(reads.slice(0, 2).map((request) => request.status)).toEqual([503, 503]);
		expect(reads.length).toBeGreaterThanOrEqual(3);
		expect(fake().count('create')).toBe(1);
	});

	it('a reset read and an HTML read are retried as well', async () => {
		plan('result', [{ reset: true }, { raw: '<html>busy</html>', contentType: 'text/html' }]);
		const { error, output } = await run(generateParameters());
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('completed');
		expect(fake().count('create')).toBe(1);
	});

	it('a result read failing every time gives up, naming the job ID and pointing to Get Result', async () => {
		plan('result', [{ status: 503, always: true }]);
		const { error, output } = await run(generateParameters());
		const jobIds = [...fake().jobs.keys()];
		expect(jobIds).toHaveLength(1);
		const [jobId] = jobIds;
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain(jobId);
		expect(error?.message).toBe(`Akool request failed (job ${jobId}): HTTP 503 with an answer that is not Akool JSON`);
		expect(error?.description).toMatch(/Gave up after \d+ tries/);
		expect(error?.description).toMatch(/Get Result/);
		expect(error?.description).toContain(jobId);
		expect(output).toEqual([]);
		const reads = requestsOf('result');
		expect(reads.length).toBeGreaterThanOrEqual(2);
		expect(reads.length).toBeLessThanOrEqual(6);
		expect(fake().count('create')).toBe(1);
	});
});
