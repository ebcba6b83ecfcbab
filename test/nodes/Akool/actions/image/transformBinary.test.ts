/**
 * Image → Transform with Source Image "Binary Data": n8n serves the item's file to Akool through a
 * signed URL, and the fake Akool fetches it from there as Akool would (in n8n's filesystem mode).
 */
import { GIF_BYTES, fileOf, jwtClaims, pngBytes, pngFile, sha256 } from '../../../../harness/sourceFiles';
import { startSignedUrlServer, useFilesystemMode } from '../../../../harness/binaryData';
import { runAkool, useFakeAkool, type AkoolRunOptions } from '../../../../harness/akool';
import { API_KEY, type FakeAkool } from '../../../../fake-akool';

const fake = useFakeAkool();
let n8n: Awaited<ReturnType<typeof startSignedUrlServer>>;

beforeAll(async () => {
	await useFilesystemMode();
	n8n = await startSignedUrlServer();
});
afterEach(() => n8n.requests.splice(0));
afterAll(async () => await n8n.close());

const TIMEOUT_S = 30;
const SIGNED_PATH = '/rest/binary-data/signed?token=';

const transform = (overrides: Record<string, unknown> = {}) => ({
	resource: 'image',
	operation: 'transform',
	sourceImage: 'binaryData',
	sourceBinaryProperty: 'data',
	prompt: 'make it a watercolor',
	resolution: '1080p',
	numberOfImages: 1,
	options: { pollInterval: 1, timeout: TIMEOUT_S },
	...overrides,
});

async function run(options: Partial<AkoolRunOptions> & { files: AkoolRunOptions['files'] }) {
	return await runAkool(fake(), { parameters: transform(), instanceBaseUrl: n8n.baseUrl, ...options });
}

function createBodies(akool: FakeAkool) {
	return akool.requests.filter((request) => request.kind === 'create').map((request) => request.body as { source_images: string[] });
}

describe('Transform from binary data', () => {
	it('gives Akool a signed n8n URL for the file; the fake fetches exactly its bytes, with no API key', async () => {
		const bytes = pngBytes(64, 48, 7);
		const { output, error } = await run({ files: [{ data: fileOf(bytes, 'image/png', 'cat.png') }] });
		expect(error).toBeUndefined();
		const [source] = createBodies(fake())[0].source_images;
		expect(source.startsWith(`${n8n.baseUrl}${SIGNED_PATH}`)).toBe(true);
		const fetches = fake().sourceFetches;
		expect(fetches.map((fetch) => [fetch.url, fetch.httpStatus, fetch.sha256])).toEqual([[source, 200, sha256(bytes)]]);
		expect(fetches[0].headers['content-type']).toBe('image/png');
		expect(n8n.requests).toHaveLength(1);
		expect(JSON.stringify(n8n.requests[0].headers)).not.toContain(API_KEY);
		expect(source).not.toContain(API_KEY);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'completed' });
		expect(output[0].binary?.data.mimeType).toBe('image/png');
	});

	it('signs the URL for the Timeout plus 5 minutes, not n8n’s one-day default', async () => {
		await run({ files: [{ data: pngFile() }] });
		const token = new URL(createBodies(fake())[0].source_images[0]).searchParams.get('token') as string;
		const { iat, exp } = jwtClaims(token);
		expect(exp - iat).toBe(TIMEOUT_S + 300);
	});

	it('keeps the signed URL’s token out of the output items', async () => {
		const { output } = await run({ files: [{ data: pngFile() }] });
		const sourceImage = String((output[0].json.akool as { source_image: string }).source_image);
		expect(sourceImage).toBe(`${n8n.baseUrl}${SIGNED_PATH}redacted`);
		const token = new URL(createBodies(fake())[0].source_images[0]).searchParams.get('token') as string;
		expect(JSON.stringify(output)).not.toContain(token);
	});

	it('stores a file made inline (no binary ID, e.g. by a Code node) so that n8n can serve it', async () => {
		const bytes = pngBytes(64, 48, 3);
		const { error } = await run({ files: [{ data: fileOf(bytes, 'image/png', 'inline.png', true) }] });
		expect(error).toBeUndefined();
		expect(fake().sourceFetches.map((fetch) => fetch.sha256)).toEqual([sha256(bytes)]);
	});

	it('serves each item its own file, under the property it names, in input order', async () => {
		const first = pngBytes(64, 48, 11);
		const second = pngBytes(48, 64, 12);
		const { output, error } = await run({
			parameters: transform({ sourceBinaryProperty: '={{ $json.property }}' }),
			items: [{ property: 'photo' }, { property: 'upload' }],
			files: [{ photo: fileOf(first, 'image/png', 'a.png') }, { upload: fileOf(second, 'image/png', 'b.png') }],
		});
		expect(error).toBeUndefined();
		const fetchedBySource = new Map(fake().sourceFetches.map((fetch) => [fetch.url, fetch.sha256]));
		const sources = createBodies(fake()).map((body) => body.source_images[0]);
		expect(sources.map((url) => fetchedBySource.get(url)).sort()).toEqual([sha256(first), sha256(second)].sort());
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const jobOfItem = output.map((item) => String(item.json.jobId));
		const shaOfJob = new Map(fake().sourceFetches.map((fetch) => [fetch.jobId, fetch.sha256]));
		expect(jobOfItem.map((id) => shaOfJob.get(id))).toEqual([sha256(first), sha256(second)]);
	});

	it('makes four images from one file with Number of Images 4 (one create)', async () => {
		const { output, error } = await run({ parameters: transform({ numberOfImages: 4 }), files: [{ data: pngFile() }] });
		expect(error).toBeUndefined();
		expect(fake().count('create')).toBe(1);
		expect(output).toHaveLength(4);
		expect(output.map((item) => item.json.batchIndex)).toEqual([0, 1, 2, 3]);
	});

	it('with Continue On Fail, an item missing its binary becomes an error item and the others go on', async () => {
		const { output, error } = await run({
			continueOnFail: true,
			items: [{}, {}, {}],
			files: [{ data: pngFile({ seed: 1 }) }, { other: pngFile({ seed: 2 }) }, { data: pngFile({ seed: 3 }) }],
		});
		expect(error).toBeUndefined();
		expect(fake().count('create')).toBe(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toBe('Item 1 has no binary property "data"');
		expect(output[1].json.description).toContain('"other"');
		expect(output[0].json.status).toBe('completed');
		expect(output[2].json.status).toBe('completed');
	});
});

describe('Transform from binary data: refused before any create', () => {
	async function refusal(options: Partial<AkoolRunOptions> & { files: AkoolRunOptions['files'] }) {
		const { error } = await run(options);
		expect(fake().count('create')).toBe(0);
		expect(fake().sourceFetches).toHaveLength(0);
		return { message: error?.message, description: (error as { description?: string } | undefined)?.description };
	}

	it('an item without binary data says how to get one', async () => {
		const { message, description } = await refusal({ files: [] });
		expect(message).toBe('Item 0 has no binary property "data"');
		expect(description).toContain('no binary data at all');
		expect(description).toContain('"Source Image" to "URL"');
	});

	it('a missing property names the properties the item has', async () => {
		const { description } = await refusal({ files: [{ attachment_0: pngFile(), attachment_1: pngFile() }] });
		expect(description).toBe('"Source Binary Property" must name one of the item\'s binary properties: "attachment_0", "attachment_1".');
	});

	it('a GIF labelled image/png is refused from its bytes', async () => {
		const { message, description } = await refusal({ files: [{ data: fileOf(GIF_BYTES, 'image/png', 'anim.png') }] });
		expect(message).toBe('The binary "data" of item 0 (anim.png) is a GIF file; its MIME type says image/png');
		expect(description).toContain('PNG and JPEG');
	});

	it('a file over 20 MB is refused', async () => {
		const big = Buffer.concat([pngBytes(), Buffer.alloc(20 * 1024 * 1024)]);
		const { message } = await refusal({ files: [{ data: fileOf(big, 'image/png', 'huge.png') }] });
		expect(message).toMatch(/^The binary "data" of item 0 \(huge\.png\) is 20\.1 MB, more than the 20 MB/);
	});

	it.each([
		['a loopback address', 'http://127.0.0.1:5678', 'on this machine or a local network (127.0.0.1)'],
		['a private address', 'http://192.168.1.20:5678', 'on this machine or a local network (192.168.1.20)'],
		['a name without a domain', 'http://n8n:5678', 'on this machine or a local network (n8n)'],
		['a public bare IP address', 'https://203.0.113.7', 'a bare IP address (203.0.113.7), which Akool refuses'],
	])('an n8n URL on %s is refused when Akool is public, naming WEBHOOK_URL', async (_, instanceBaseUrl, reason) => {
		// `.invalid` never resolves (RFC 2606): were the check to let the run through, no request could leave.
		const { message, description } = await refusal({
			instanceBaseUrl,
			credential: { apiKey: API_KEY, baseUrl: 'https://akool.invalid', clientId: '' },
			files: [{ data: pngFile() }],
		});
		expect(message).toBe(`Akool cannot download the source image from this n8n (${new URL(instanceBaseUrl).origin}): it is ${reason}`);
		expect(description).toContain('WEBHOOK_URL');
		expect(`${message} ${description}`).not.toContain('token=');
	});
});

describe('Transform from binary data: a source Akool cannot fetch', () => {
	it('fails the job (status 4), naming the job and where n8n served the file', async () => {
		const closed = await startSignedUrlServer();
		await closed.close();
		const { error } = await run({ instanceBaseUrl: closed.baseUrl, files: [{ data: pngFile() }] });
		const [job] = [...fake().jobs.keys()];
		expect(fake().sourceFetches.map((fetch) => fetch.httpStatus)).toEqual([null]);
		expect(error?.message).toBe(`Akool job(s) ${job} failed (status 4)`);
		expect((error as { description?: string }).description).toContain(`This n8n served it at ${closed.baseUrl}`);
	});

	it('n8n refuses a tampered token with HTTP 400', async () => {
		await run({ files: [{ data: pngFile() }] });
		const url = createBodies(fake())[0].source_images[0];
		const tampered = url.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
		const response = await fetch(tampered);
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('invalid signature');
	});
});
