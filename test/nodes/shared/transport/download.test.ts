/**
 * Downloading finished images from Akool's CDN: what is retried, what is final, and that the API key
 * never goes to the CDN or wherever the CDN redirects. Every failure names the job, which is finished
 * and charged: the user must fetch it again, not pay again.
 */
import type { IDataObject } from 'n8n-workflow';

import { API_KEY, readPngSize, imageSize, type Fault } from '../../../fake-akool';
import { generateParameters, runAkool, useFakeAkool } from '../../../harness/akool';

const fake = useFakeAkool();

const FINISHED_AND_CHARGED = /The job itself is finished and charged: run Get Result with this job ID/;

const downloads = () => fake().requests.filter((request) => request.kind === 'download');
const cdnRequests = () => fake().requests.filter((request) => request.host === 'cdn');

function expectNoKeyOutsideTheApi(): void {
	const outside = fake().requests.filter((request) => request.host === 'cdn' || request.kind === 'other');
	for (const request of outside) {
		expect(request.headers['x-api-key']).toBeUndefined();
		expect(request.headers.authorization).toBeUndefined();
	}
}

/** The only job this test created. */
function onlyJobId(): string {
	const ids = [...fake().jobs.keys()];
	expect(ids).toHaveLength(1);
	return ids[0];
}

async function runGenerate(options: IDataObject = {}, continueOnFail = false) {
	return await runAkool(fake(), { parameters: generateParameters({ options }), continueOnFail });
}

describe('a good download', () => {
	it('goes to the CDN without the API key, while every API call carries it', async () => {
		const { output, error } = await runGenerate();
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		const binary = output[0].binary?.data;
		expect(binary?.mimeType).toBe('image/png');
		expect(readPngSize(Buffer.from(binary?.data ?? '', 'base64'))).toEqual(imageSize('1:1', '1080p'));

		const cdn = cdnRequests();
		expect(cdn).toHaveLength(1);
		expect(cdn[0].kind).toBe('download');
		expect(cdn[0].path).toBe(`/images/${output[0].json.jobId}.png`);
		expect(cdn[0].headers['x-api-key']).toBeUndefined();
		expect(cdn[0].headers.authorization).toBeUndefined();

		const api = fake().requests.filter((request) => request.host === 'api');
		expect(api.map((request) => request.kind)).toContain('create');
		expect(api.map((request) => request.kind)).toContain('result');
		expect(api.every((request) => request.headers['x-api-key'] === API_KEY)).toBe(true);
	});
});

describe('download failures', () => {
	it.each<[string, Fault, RegExp]>([
		['404', { status: 404 }, /HTTP 404: the image is gone \(Akool deletes results 7 days after creation\)/],
		['410', { status: 410 }, /HTTP 410: the image is gone \(Akool deletes results 7 days after creation\)/],
		[
			'an HTML page instead of an image',
			{ raw: '<!DOCTYPE html><html><body>Access denied</body></html>', contentType: 'text/html; charset=utf-8' },
			/answered text\/html instead of an image/,
		],
		['a JSON error instead of an image', { json: { error: 'signature expired' } }, /answered application\/json instead of an image/],
	])('%s: fails at once (not retried), naming the job', async (_, fault, says) => {
		fake().plan('download', [{ ...fault, always: true }]);
		const { error, output } = await runGenerate();
		const jobId = onlyJobId();
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain(`could not download the image of job ${jobId}`);
		expect(error?.message).toMatch(says);
		expect(error?.description).toMatch(FINISHED_AND_CHARGED);
		expect(error?.description).toContain(fake().imageUrl(jobId));
		expect(output).toEqual([]);
		expect(downloads()).toHaveLength(1);
		expect(fake().count('create')).toBe(1);
		expectNoKeyOutsideTheApi();
	});

	it('500 once: retried after a back-off, then the image is there', async () => {
		fake().plan('download', [{ status: 500 }]);
		const { error, output } = await runGenerate();
		expect(error).toBeUndefined();
		expect(output[0].binary?.data?.mimeType).toBe('image/png');
		expect(downloads().map((request) => request.status)).toEqual([500, 200]);
		expect(downloads()[1].at - downloads()[0].at).toBeGreaterThanOrEqual(900);
		expect(fake().count('create')).toBe(1);
		expectNoKeyOutsideTheApi();
	});

	it('500 every time: gives up after a few tries, naming the job', async () => {
		fake().plan('download', [{ status: 500, always: true }]);
		const { error } = await runGenerate();
		const jobId = onlyJobId();
		expect(error?.message).toBe(
			`Akool request failed: could not download the image of job ${jobId}: HTTP 500 from the image host`,
		);
		expect(error?.description).toMatch(FINISHED_AND_CHARGED);
		expect(downloads().length).toBeGreaterThanOrEqual(2);
		expect(downloads().length).toBeLessThanOrEqual(5);
		expect(fake().count('create')).toBe(1);
	});

	it('a body cut short of its Content-Length once: retried, then the whole image', async () => {
		fake().plan('download', [{ truncate: 500 }]);
		const { error, output } = await runGenerate();
		expect(error).toBeUndefined();
		const bytes = Buffer.from(output[0].binary?.data?.data ?? '', 'base64');
		expect(readPngSize(bytes)).toEqual(imageSize('1:1', '1080p'));
		expect(bytes.length).toBe(downloads()[1].bytes);
		expect(downloads()).toHaveLength(2);
		expect(downloads()[0].bytes).toBe(500);
	});

	it('a body cut short every time: fails naming the job, never keeping a partial image', async () => {
		fake().plan('download', [{ truncate: 500, always: true }]);
		const { error, output } = await runGenerate();
		const jobId = onlyJobId();
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain(`could not download the image of job ${jobId}`);
		expect(error?.message).toMatch(/cut short|connection (broke|failed)/);
		expect(error?.description).toMatch(FINISHED_AND_CHARGED);
		expect(output).toEqual([]);
		expect(downloads().length).toBeGreaterThanOrEqual(2);
	});

	it('a body over Max Image Size: refused, not retried', async () => {
		fake().plan('download', [{ oversize: 2 * 1024 * 1024, always: true }]);
		const { error, output } = await runGenerate({ maxImageSizeMb: 1 });
		const jobId = onlyJobId();
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain(`could not download the image of job ${jobId}`);
		expect(error?.message).toMatch(/larger than the size cap \(\d+ bytes > 1048576 bytes; see the option "Max Image Size"\)/);
		expect(error?.description).toMatch(FINISHED_AND_CHARGED);
		expect(output).toEqual([]);
		expect(downloads()).toHaveLength(1);
	});

	it('with Continue On Fail, a gone image becomes an error item holding the job ID', async () => {
		fake().plan('download', [{ status: 404, always: true }]);
		const { error, output } = await runGenerate({}, true);
		const jobId = onlyJobId();
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ jobIds: [jobId] });
		expect(String(output[0].json.error)).toContain(jobId);
		expect(output[0].json.description).toMatch(FINISHED_AND_CHARGED);
	});
});

describe('a CDN that redirects to another host', () => {
	it('to the API’s host: the API key does not follow, and the download fails naming the job', async () => {
		// 127.0.0.1:<api port> is another origin than the CDN's localhost:<cdn port>.
		fake().plan('download', [{ redirect: `${fake().baseUrl}/moved/image.png`, always: true }]);
		const { error } = await runGenerate();
		const jobId = onlyJobId();
		const redirected = fake().requests.filter((request) => request.host === 'api' && request.kind === 'other');
		expect(redirected.length).toBeLessThanOrEqual(3);
		for (const request of redirected) expect(request.path).toBe('/moved/image.png');
		expectNoKeyOutsideTheApi();
		expect(error?.message).toContain(`could not download the image of job ${jobId}`);
		expect(error?.description).toMatch(FINISHED_AND_CHARGED);
	});

	it('to the image on another host name: followed or refused, and no key is sent either way', async () => {
		const first = await runAkool(fake(), { parameters: generateParameters({ downloadImage: false }) });
		expect(first.error).toBeUndefined();
		const jobId = String(first.output[0].json.jobId);
		// Same CDN server, but reached as 127.0.0.1 instead of localhost: another origin.
		const elsewhere = fake().imageUrl(jobId).replace('//localhost:', '//127.0.0.1:');
		expect(elsewhere).not.toBe(fake().imageUrl(jobId));
		fake().plan('download', [{ redirect: elsewhere }]);
		const { error, output } = await runAkool(fake(), {
			parameters: { resource: 'image', operation: 'getResult', jobIds: jobId, options: { pollInterval: 1 } },
		});
		const cdn = cdnRequests();
		expect(cdn.length).toBeGreaterThanOrEqual(1);
		for (const request of cdn) {
			expect(request.headers['x-api-key']).toBeUndefined();
			expect(request.headers.authorization).toBeUndefined();
		}
		if (error) {
			expect(error.message).toContain(jobId);
			expect(error.description).toMatch(FINISHED_AND_CHARGED);
		} else {
			expect(output[0].binary?.data?.mimeType).toBe('image/png');
			expect(cdn.map((request) => request.status)).toContain(200);
		}
	});
});
