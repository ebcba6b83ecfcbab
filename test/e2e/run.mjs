// @ts-check
/**
 * End-to-end suite: the BUILT package inside a REAL n8n 2.41.1 (scripts/e2e/setup.sh), against the
 * fake Akool, through n8n's own CLI: credentials imported into n8n's encrypted store, workflows
 * imported from test/e2e/workflows/*.json (and examples/*.json when present), each executed with
 * `n8n execute --id --rawOutput`, the parsed run data asserted on.
 *
 *   npm run build && npm run e2e:setup && npm run test:e2e
 *
 * Prints one line per case and, last, exactly `N passed, M failed` (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME (where setup.sh installed n8n), AKOOL_E2E_KEEP=1 (keep the temp folder),
 * AKOOL_E2E_VERBOSE=1 (print n8n's output of failing cases in full). `--only core,agent` runs only the
 * workflow files whose path contains one of the strings (and the cases that read them).
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
	assertInstalled,
	binaryFilePath,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	makeInstance,
	nodeItems,
	projectRoot,
	startFakeAkool,
	tempDir,
} from '../../scripts/e2e/n8n.mjs';
import { FAKE_OPENAI_PROMPT, startFakeOpenAi } from './fake-openai.mjs';

const require = createRequire(import.meta.url);
/** @type {{ readPngSize: (b: Buffer) => { width: number, height: number } }} */
const { readPngSize } = require('../fake-akool/png.js');
/**
 * @type {{ imageSize: (ratio: string, resolution: string) => { width: number, height: number },
 *   placeFakeUrl: <T>(value: T, baseUrl: string) => T, sampleSourceUrl: (baseUrl: string, kind?: 'png' | 'jpeg') => string,
 *   sampleAt: (baseUrl: string, url: string) => { sha256: string } | undefined }}
 */
const { imageSize, placeFakeUrl, sampleSourceUrl, sampleAt } = require('../fake-akool/index.js');

const API_KEY = 'e2e-secret-KEY-7f3a91';
const WRONG_KEY = 'e2e-wrong-KEY-0c2d55';
const GOOD_CRED = { id: 'akoolE2eCred0001', name: 'Akool (e2e fake)' };
const BAD_CRED = { id: 'akoolE2eBadKey01', name: 'Akool (e2e wrong key)' };
const OPENAI_KEY = 'e2e-openai-KEY-55aa01';
const OPENAI_CRED = { id: 'akoolE2eOpenAi01', name: 'OpenAI (e2e fake)' };
const EXEC_TIMEOUT_MS = 120_000;
const VERBOSE = process.env.AKOOL_E2E_VERBOSE === '1';
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

const workflowsDir = path.join(projectRoot, 'test', 'e2e', 'workflows');
const examplesDir = process.env.AKOOL_E2E_EXAMPLES_DIR || path.join(projectRoot, 'examples');

/**
 * @typedef {import('../../scripts/e2e/n8n.mjs').ExecuteResult} ExecuteResult
 * @typedef {import('../../scripts/e2e/n8n.mjs').ItemData} ItemData
 * @typedef {{ id: string, name: string, nodes: any[], connections: any, [k: string]: any }} WorkflowJson
 * @typedef {{ name: string, workflow?: string, check: (ctx: Ctx) => Promise<void> | void }} Case
 * @typedef {{ results: Map<string, ExecuteResult>, userFolder: string, filesDir: string | undefined, fake: import('../../scripts/e2e/n8n.mjs').FakeAkool,
 *   openAi: Awaited<ReturnType<typeof startFakeOpenAi>>, jobs: { id: string, prompt: string }[], sourceFetches: any[] }} Ctx
 */

/** @param {ItemData} item */
const pairedIndex = (item) => {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof p === 'number' ? p : p?.item;
};

/** @param {ExecuteResult} r */
function expectSuccess(r) {
	assert.ok(!r.timedOut, `execution timed out after ${r.ms} ms`);
	assert.ok(r.raw, `no JSON in --rawOutput (exit ${r.exitCode})`);
	assert.equal(r.status, 'success', `status ${r.status}; error: ${errorText(r)}`);
	if (r.exitCode !== 0) {
		// n8n 2.41.1 now and then segfaults while shutting down after a complete run: the JSON is what counts
		console.log(`  note: exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''} after a successful run (status from --rawOutput is trusted)`);
	}
}

/**
 * A failed execution: `n8n execute` exits 1 and prints the failed run. n8n 2.41.1 now and then dies by
 * a signal (SIGSEGV) while shutting down after it printed the complete run: that is accepted with a
 * note, since the printed status is what n8n decided.
 * @param {ExecuteResult} r
 */
function expectFailedExecution(r) {
	assert.ok(!r.timedOut, `execution timed out after ${r.ms} ms`);
	assert.ok(r.raw, `no JSON in --rawOutput (exit ${r.exitCode}, signal ${r.signal})`);
	assert.equal(r.status, 'error', `status ${r.status}`);
	if (r.exitCode === null && r.signal) {
		console.log(`  note: n8n died by ${r.signal} after printing the failed run (exit 1 expected; n8n 2.41.1 shutdown crash)`);
	} else {
		assert.equal(r.exitCode, 1, `exit code 1 (got ${r.exitCode})`);
	}
}

/** @param {ExecuteResult} r */
const errorText = (r) => (r.error ? JSON.stringify(r.error) : '');

/**
 * An image item as the node documents it.
 * @param {ItemData} item @param {{ status?: string, prompt?: string | RegExp | null, binary?: boolean }} o
 */
function expectImageItem(item, { status = 'completed', prompt, binary = true } = {}) {
	const j = item.json;
	assert.equal(typeof j.jobId, 'string', 'jobId is a string');
	assert.ok(j.jobId.length > 0, 'jobId not empty');
	assert.equal(j.status, status, `status of ${j.jobId}`);
	if (status === 'completed') {
		assert.equal(j.statusCode, 3);
		assert.match(String(j.imageUrl), /^https?:\/\//, 'imageUrl is a URL');
	}
	if (prompt instanceof RegExp) assert.match(String(j.prompt), prompt);
	else if (prompt !== undefined) assert.equal(j.prompt, prompt);
	assert.equal(typeof j.akool, 'object', 'raw Akool fields under `akool`');
	assert.equal(j.akool?._id, j.jobId, 'akool._id is the jobId');
	if (binary) {
		const b = item.binary?.data;
		assert.ok(b, `binary.data present on ${j.jobId}`);
		assert.equal(b.mimeType, 'image/png');
		assert.equal(b.fileName, `akool-${j.jobId}.png`);
	} else {
		assert.ok(!item.binary?.data, 'no binary when Download Image is off');
	}
}

/**
 * The fake downloaded the source of each item's job (as Akool does when a job starts processing),
 * and got the fake's sample at that URL, byte for byte.
 * @param {Ctx} ctx @param {ItemData[]} items
 */
function expectSourcesFetched(ctx, items) {
	assert.ok(items.length > 0, 'items whose sources to check');
	for (const item of items) {
		const fetched = ctx.sourceFetches.find((f) => f.jobId === item.json.jobId);
		assert.ok(fetched, `the fake downloaded the source of job ${item.json.jobId}`);
		assert.equal(fetched.state, 'ok', `the source of job ${item.json.jobId}: ${fetched.error}`);
		const sample = sampleAt(ctx.fake.baseUrl, fetched.url);
		assert.ok(sample, `the source ${fetched.url} is one of the fake's samples`);
		assert.equal(fetched.sha256, sample.sha256, `the bytes fetched from ${fetched.url}`);
	}
}

/**
 * The binary of an item is stored by n8n in filesystem mode and is a PNG of the given size.
 * @param {string} userFolder @param {ItemData} item @param {{ width: number, height: number }} size
 */
async function expectStoredPng(userFolder, item, size) {
	const b = item.binary?.data;
	assert.ok(b, 'binary.data present');
	assert.equal(typeof b.id, 'string', `binary has an id (filesystem mode), got ${JSON.stringify(b).slice(0, 200)}`);
	assert.ok(b.id.startsWith('filesystem'), `binary id starts with 'filesystem': ${b.id}`);
	// in filesystem mode n8n replaces the content by the mode's name ('filesystem-v2')
	assert.ok(!b.data || String(b.data).startsWith('filesystem'), `binary content not inlined: data=${String(b.data).slice(0, 40)}`);
	const file = await binaryFilePath(userFolder, b.id);
	assert.ok(file, `stored file for ${b.id} found under ${userFolder}/.n8n/storage`);
	const bytes = await fsp.readFile(file);
	assert.deepEqual(readPngSize(bytes), size, `PNG size of ${path.basename(file)}`);
	assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
	// n8n 2.x stores a human-readable fileSize ("21.3 kB") and the exact `bytes`
	if (typeof b.bytes === 'number') assert.equal(b.bytes, bytes.length, 'binary.bytes is the stored file size');
}

// ---------------------------------------------------------------------------------------------
// the cases (each names the workflow whose execution it reads)

/** @param {Ctx} ctx @param {string} id */
function result(ctx, id) {
	const r = ctx.results.get(id);
	assert.ok(r, `workflow ${id} was not executed`);
	return r;
}

/** @type {Case[]} */
const cases = [
	{
		name: 'Generate 1 image (1:1, 1080p), waited and downloaded',
		workflow: 'akoolE2eCore0001',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const items = nodeItems(r, 'Generate one');
			assert.equal(items.length, 1, 'one item');
			expectImageItem(items[0], { prompt: 'a lighthouse at dawn, watercolor' });
			assert.equal(items[0].json.batchIndex, 0);
			assert.equal(pairedIndex(items[0]), 0);
		},
	},
	{
		name: 'Generate 4 images (16:9, 1080p): four items, four jobs',
		workflow: 'akoolE2eCore0001',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const items = nodeItems(r, 'Generate four');
			assert.equal(items.length, 4, 'four items');
			items.forEach((it) => expectImageItem(it, { prompt: 'a red bicycle in the rain' }));
			assert.equal(new Set(items.map((i) => i.json.jobId)).size, 4, 'four distinct job ids');
			assert.deepEqual(
				items.map((i) => i.json.batchIndex),
				[0, 1, 2, 3],
			);
			assert.deepEqual(items.map(pairedIndex), [0, 0, 0, 0]);
		},
	},
	{
		name: 'Transform (image-to-image, Original ratio)',
		workflow: 'akoolE2eCore0001',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const items = nodeItems(r, 'Transform');
			assert.equal(items.length, 1);
			expectImageItem(items[0], { prompt: 'the same cat as an oil painting' });
			expectSourcesFetched(ctx, items);
			const fetched = ctx.sourceFetches.find((f) => f.jobId === items[0].json.jobId);
			assert.equal(fetched.url, sampleSourceUrl(ctx.fake.baseUrl, 'png'), 'the workflow’s source URL went to Akool');
		},
	},
	{
		name: 'Node version 2, Meitu Yunxiu Pro: parameter (the documented people_type) and no prompt; the source fetched; the image out',
		workflow: 'akoolE2eModels01',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2eModels01');
			expectSuccess(r);
			const items = nodeItems(r, 'Meitu');
			assert.equal(items.length, 1);
			expectImageItem(items[0], { prompt: null });
			// Meitu refuses IP-address URLs: the workflow names the fake's sample on localhost
			const fetched = ctx.sourceFetches.find((f) => f.jobId === items[0].json.jobId);
			assert.equal(fetched?.state, 'ok', `the source was fetched: ${fetched?.error}`);
			const sample = sampleAt(ctx.fake.baseUrl, fetched.url.replace('//localhost:', '//127.0.0.1:'));
			assert.equal(fetched.sha256, sample?.sha256, `the sample's bytes, from ${fetched.url}`);
			const create = (await ctx.fake.requests()).find((q) => q.kind === 'create' && q.body?.model_name === 'meitu/yunxiu-pro/image-to-image');
			assert.ok(create, 'a Meitu create was sent');
			assert.equal(create.body.prompt, undefined, 'no prompt');
			assert.equal(create.body.parameter.people_type.length, 5, 'the five documented people types');
			assert.deepEqual(create.body.parameter.all_params, { exposure: 20, remove_pouch: [50, 50, 0, 50, 50] });
		},
	},
	{
		name: 'Node version 2, Custom Model ID and Additional Body Fields: the typed model_name and the extra field reach Akool',
		workflow: 'akoolE2eModels01',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2eModels01');
			expectSuccess(r);
			const items = nodeItems(r, 'Custom model');
			assert.equal(items.length, 1);
			expectImageItem(items[0], { prompt: 'a paper boat on a pond' });
			const create = (await ctx.fake.requests()).find((q) => q.kind === 'create' && q.body?.prompt === 'a paper boat on a pond');
			assert.equal(create?.body?.model_name, 'wavespeed-ai/flux-krea-dev-lora');
			assert.equal(create?.body?.seed, 42);
		},
	},
	{
		name: 'Get Result of the job created by the previous node',
		workflow: 'akoolE2eCore0001',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const created = nodeItems(r, 'Generate one');
			const items = nodeItems(r, 'Get Result');
			assert.equal(items.length, 1);
			expectImageItem(items[0], { binary: false });
			assert.equal(items[0].json.jobId, created[0].json.jobId);
			assert.equal(items[0].json.imageUrl, created[0].json.imageUrl);
		},
	},
	{
		name: 'Get Credits',
		workflow: 'akoolE2eCore0001',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const items = nodeItems(r, 'Get Credits');
			assert.equal(items.length, 1);
			assert.equal(typeof items[0].json.credit, 'number', `credit is a number: ${JSON.stringify(items[0].json)}`);
		},
	},
	{
		name: 'Download Image in filesystem binary mode: stored PNGs of the requested size',
		workflow: 'akoolE2eCore0001',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2eCore0001');
			expectSuccess(r);
			const one = nodeItems(r, 'Generate one');
			assert.ok(String(one[0].json.imageUrl).startsWith(ctx.fake.cdnBaseUrl), 'image URL is on the (fake) CDN');
			await expectStoredPng(ctx.userFolder, one[0], imageSize('1:1', '1080p'));
			for (const it of nodeItems(r, 'Generate four')) {
				await expectStoredPng(ctx.userFolder, it, imageSize('16:9', '1080p'));
			}
			await expectStoredPng(ctx.userFolder, nodeItems(r, 'Transform')[0], imageSize('Original', '1080p'));
		},
	},
	{
		name: 'Prompt and ratio from expressions over 3 items, pairedItem intact',
		workflow: 'akoolE2ePrompts1',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2ePrompts1');
			expectSuccess(r);
			const input = nodeItems(r, 'Prompts');
			assert.equal(input.length, 3);
			const items = nodeItems(r, 'Generate from prompts');
			assert.equal(items.length, 3, 'one image per input item');
			items.forEach((it, i) => {
				expectImageItem(it, { prompt: `A photo of ${input[i].json.subject}`, binary: false });
				assert.equal(pairedIndex(it), i, `pairedItem of item ${i}`);
			});
			// the aspect ratio came from an expression per item: check what Akool was sent
			const reqs = await ctx.fake.requests();
			const sent = input.map((inp) => {
				const q = reqs.find((x) => x.kind === 'create' && x.body?.prompt === `A photo of ${inp.json.subject}`);
				return q?.body?.scale;
			});
			assert.deepEqual(sent, input.map((inp) => inp.json.ratio), 'scale sent per item');
			// n8n itself follows pairedItem back through the Akool node: $('Prompts').item
			const tagged = nodeItems(r, 'Tag');
			assert.deepEqual(
				tagged.map((t) => t.json.tag),
				['tag-1', 'tag-2', 'tag-3'],
			);
			assert.deepEqual(
				tagged.map((t) => t.json.jobId),
				items.map((t) => t.json.jobId),
			);
		},
	},
	{
		name: 'Business error fails the execution: wrong API key -> exit 1, Akool error 1101',
		workflow: 'akoolE2eWrongKey',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eWrongKey');
			expectFailedExecution(r);
			assert.match(String(r.error?.message), /^Akool error 1101\b/, `error message: ${r.error?.message}`);
			assert.equal(r.lastNodeExecuted ?? 'Generate with wrong key', 'Generate with wrong key');
		},
	},
	{
		name: 'A failed Akool job fails the execution, naming the job ID',
		workflow: 'akoolE2eFailJob1',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2eFailJob1');
			expectFailedExecution(r);
			const created = createdJobIds(ctx, '[fail] this job fails at Akool');
			assert.equal(created.length, 1, 'one job created');
			const message = String(r.error?.message);
			assert.ok(message.includes(created[0]), `error names the job id ${created[0]}: ${message}`);
			assert.match(message, /failed/);
		},
	},
	{
		name: 'Continue On Fail: error item for the failed job, good items go through',
		workflow: 'akoolE2eContinue',
		check: async (ctx) => {
			const r = result(ctx, 'akoolE2eContinue');
			expectSuccess(r);
			const items = nodeItems(r, 'Generate (continue on fail)');
			assert.equal(items.length, 3, `3 items: ${JSON.stringify(items.map((i) => i.json)).slice(0, 500)}`);
			assert.deepEqual(items.map(pairedIndex), [0, 1, 2]);
			expectImageItem(items[0], { prompt: 'a green apple' });
			expectImageItem(items[2], { prompt: 'a yellow lemon' });
			const [failedJob] = createdJobIds(ctx, '[fail] a job that fails');
			assert.ok(failedJob, 'the failing job was created');
			assert.equal(typeof items[1].json.error, 'string', 'item 1 is an error item');
			assert.ok(items[1].json.error.includes(failedJob), `error item names job ${failedJob}: ${items[1].json.error}`);
			assert.ok(!items[1].binary?.data, 'no binary on the error item');
			const wrongKey = nodeItems(r, 'Credits with wrong key (continue on fail)');
			assert.equal(wrongKey.length, 1);
			assert.match(String(wrongKey[0].json.error), /^Akool error 1101\b/, 'error item carries Akool code 1101');
			assert.equal(pairedIndex(wrongKey[0]), 0);
		},
	},
	{
		name: 'AI Agent (OpenAI Chat Model on a fake server) calls the Akool node as a tool',
		workflow: 'akoolE2eAgentTl1',
		check: (ctx) => {
			const r = result(ctx, 'akoolE2eAgentTl1');
			expectSuccess(r);
			const calls = ctx.openAi.requests.filter((q) => q.answered === 'tool_call');
			assert.ok(calls.length >= 1, 'the model asked for a tool call');
			assert.match(String(calls[0].toolName), /akool/i, `tool name ${calls[0].toolName}`);
			assert.equal(calls[0].toolArgs?.prompt, FAKE_OPENAI_PROMPT, `tool schema has a prompt: ${JSON.stringify(calls[0].toolArgs)}`);
			assert.ok(r.runData['Akool Tool']?.length, 'the Akool tool node ran');
			const toolJson = JSON.stringify(r.runData['Akool Tool']);
			const jobs = ctx.jobs.filter((j) => j.prompt === FAKE_OPENAI_PROMPT);
			assert.equal(jobs.length, 1, 'one Akool job made by the agent');
			assert.ok(toolJson.includes(jobs[0].id), 'the tool output names the job');
			const finals = ctx.openAi.requests.filter((q) => q.answered === 'final');
			assert.ok(finals.length >= 1, 'the tool result went back to the model');
			assert.ok(JSON.stringify(finals[0].body).includes(jobs[0].id), 'the model got the job id from the tool');
			const out = nodeItems(r, 'AI Agent');
			assert.equal(out.length, 1);
			assert.match(String(out[0].json.output), /^Done\./, `agent output: ${out[0].json.output}`);
		},
	},
	{
		name: 'Credential from n8n\'s encrypted store: sent to Akool, not stored or printed in clear',
		check: async (ctx) => {
			const reqs = await ctx.fake.requests();
			const apiReqs = reqs.filter((q) => q.host === 'api' && q.kind !== 'other');
			assert.ok(apiReqs.length > 0, 'the fake saw API requests');
			const keys = new Set(apiReqs.map(requestKey));
			assert.ok(keys.has(API_KEY), 'the right key reached Akool (decrypted by n8n)');
			// the database (and its WAL/journal, if any) holds the credential encrypted only
			const n8nDir = path.join(ctx.userFolder, '.n8n');
			const dbFiles = (await fsp.readdir(n8nDir)).filter((f) => f.startsWith('database.sqlite'));
			assert.ok(dbFiles.includes('database.sqlite'), 'sqlite database present');
			for (const f of dbFiles) {
				const bytes = await fsp.readFile(path.join(n8nDir, f));
				for (const key of [API_KEY, WRONG_KEY, OPENAI_KEY]) assert.ok(!bytes.includes(key), `a key is in clear in ${f}`);
			}
			for (const [id, r] of ctx.results) {
				for (const key of [API_KEY, WRONG_KEY, OPENAI_KEY]) {
					assert.ok(!r.stdout.includes(key), `key found in raw stdout of ${id}`);
					assert.ok(!r.stderr.includes(key), `key found in stderr of ${id}`);
				}
			}
			// downloads from the CDN carry no credentials
			const cdn = reqs.filter((q) => q.host === 'cdn');
			assert.ok(cdn.length > 0, 'the fake CDN served downloads');
			for (const q of cdn) {
				assert.equal(requestKey(q), undefined, `CDN request ${q.path} carried x-api-key`);
				assert.equal(q.headers?.authorization, undefined, `CDN request ${q.path} carried Authorization`);
			}
		},
	},
];

/** @param {any} q @returns {string | undefined} */
function requestKey(q) {
	return q.headers?.['x-api-key'];
}

/** Job ids the fake created for a prompt (GET /__jobs after the runs). @param {Ctx} ctx @param {string} prompt @returns {string[]} */
function createdJobIds(ctx, prompt) {
	return ctx.jobs.filter((j) => j.prompt === prompt).map((j) => String(j.id));
}

// ---------------------------------------------------------------------------------------------
// examples/*.json: imported and run; each must end in success

/** @param {string} dir @returns {Promise<WorkflowJson[]>} */
async function loadWorkflows(dir) {
	if (!existsSync(dir)) return [];
	const files = (await fsp.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
	/** @type {WorkflowJson[]} */
	const out = [];
	for (const f of files) {
		const parsed = JSON.parse(await fsp.readFile(path.join(dir, f), 'utf8'));
		for (const wf of Array.isArray(parsed) ? parsed : [parsed]) {
			if (!wf || !Array.isArray(wf.nodes)) continue;
			out.push(Object.assign(wf, { __file: path.relative(projectRoot, path.join(dir, f)) }));
		}
	}
	return out;
}

// A public image URL in an example (a user's source image): http(s), not loopback, ending in an image
// file name. Matched in the workflow's JSON text, so it stops at a quote or a backslash.
const PUBLIC_IMAGE_URL = /https?:\/\/(?!127\.|localhost[:/]|\[::1\])[^\s"'`\\<>]+?\.(jpe?g|png|webp)(?=[?#"'`\s\\]|$)/gi;

/**
 * The example's public source images (right for users) become the fake's samples of the same type:
 * the fake, like Akool, downloads every source, but only from loopback.
 * @param {WorkflowJson['nodes']} nodes @param {string} fakeBaseUrl
 */
function loopbackSources(nodes, fakeBaseUrl) {
	const text = JSON.stringify(nodes).replace(PUBLIC_IMAGE_URL, (_url, /** @type {string} */ ext) =>
		sampleSourceUrl(fakeBaseUrl, ext.toLowerCase() === 'png' ? 'png' : 'jpeg'),
	);
	return JSON.parse(text);
}

/**
 * Examples are written for a user's own credential and public images: point every Akool credential
 * at ours and every source image at the fake's samples, give each workflow an id when it has none.
 * @param {WorkflowJson} wf @param {number} i @param {string} fakeBaseUrl
 */
function prepareExample(wf, i, fakeBaseUrl) {
	if (!wf.id) wf.id = `akoolE2eExample${i}`.slice(0, 16);
	wf.nodes = loopbackSources(wf.nodes, fakeBaseUrl);
	for (const node of wf.nodes) {
		// installed from npm the type is `n8n-nodes-akool.akool`; loaded as a custom extension, `CUSTOM.akool`
		if (typeof node.type === 'string' && node.type.startsWith('n8n-nodes-akool.')) {
			node.type = `CUSTOM.${node.type.slice('n8n-nodes-akool.'.length)}`;
		}
		if (node.credentials?.akoolApi) node.credentials.akoolApi = { ...GOOD_CRED };
		if (node.credentials?.openAiApi) node.credentials.openAiApi = { ...OPENAI_CRED };
	}
	wf.active = false;
	return wf;
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const tmp = await tempDir('akool-e2e-run-');
	let passed = 0;
	let failed = 0;
	/** @type {import('../../scripts/e2e/n8n.mjs').FakeAkool | undefined} */
	let fake;
	/** @type {Awaited<ReturnType<typeof startFakeOpenAi>> | undefined} */
	let openAi;
	try {
		const inst = await makeInstance({ root: tmp.dir, binaryMode: 'filesystem', isolateHome: true });
		await installPackage(inst.extDir);
		fake = await startFakeAkool({ apiKey: API_KEY, args: ['--duration-ms', '300-900'] });
		openAi = await startFakeOpenAi();
		console.log(`e2e: n8n user folder ${inst.userFolder}, fake Akool ${fake.baseUrl}`);
		await importCredentials(inst.env, [
			{ ...GOOD_CRED, type: 'akoolApi', data: { apiKey: API_KEY, baseUrl: fake.baseUrl } },
			{ ...BAD_CRED, type: 'akoolApi', data: { apiKey: WRONG_KEY, baseUrl: fake.baseUrl } },
			{ ...OPENAI_CRED, type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: openAi.baseUrl } },
		]);
		const only = onlyFilter();
		const fakeBaseUrl = fake.baseUrl;
		// fixtures name the fake's sample sources as <fake-akool>/samples/…: its address goes in now
		const fixtures = (await loadWorkflows(workflowsDir)).map((w) => placeFakeUrl(w, fakeBaseUrl)).filter((w) => only(w.__file));
		// `n8n execute` starts a workflow at its Manual Trigger: an example started by a form or a
		// webhook runs in test/e2e/binary.mjs, on `n8n start`.
		const examples = (await loadWorkflows(examplesDir))
			.filter((w) => w.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger'))
			.map((w, i) => prepareExample(w, i, fakeBaseUrl))
			.filter((w) => only(w.__file));
		await importWorkflow(inst.env, [...fixtures, ...examples].map(stripPrivate));
		console.log(`e2e: imported 3 credentials, ${fixtures.length} workflows, ${examples.length} examples (${ms(t0)})`);

		/** @type {Map<string, ExecuteResult>} */
		const results = new Map();
		const runsDir = path.join(tmp.dir, 'runs'); // raw output of every execution, kept when a case fails
		await fsp.mkdir(runsDir);
		for (const wf of [...fixtures, ...examples]) {
			const r = await executeWorkflow(inst.env, wf.id, { timeoutMs: EXEC_TIMEOUT_MS });
			results.set(wf.id, r);
			await fsp.writeFile(path.join(runsDir, `${wf.id}.stdout.txt`), r.stdout);
			await fsp.writeFile(path.join(runsDir, `${wf.id}.stderr.txt`), r.stderr);
			console.log(
				`  ran ${wf.__file} (${wf.id}): status ${r.status ?? '-'}, exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}, ${(r.ms / 1000).toFixed(1)} s`,
			);
		}
		/** @type {Ctx} */
		const ctx = {
			results,
			userFolder: inst.userFolder,
			filesDir: inst.filesDir,
			fake,
			openAi,
			jobs: await fake.jobs(),
			sourceFetches: /** @type {any[]} */ (await (await fetch(`${fake.baseUrl}/__source-fetches`)).json()),
		};

		/** @type {Case[]} */
		const exampleCases = examples.map((wf) => ({
			name: `Example ${wf.__file}: "${wf.name}" runs to success`,
			check: async (/** @type {Ctx} */ c) => {
				const r = result(c, wf.id);
				expectSuccess(r);
				const akoolNodes = wf.nodes.filter((n) => n.type === 'CUSTOM.akool' || n.type === 'CUSTOM.akoolTool');
				assert.ok(akoolNodes.length > 0, 'the example uses the Akool node');
				for (const n of akoolNodes) {
					assert.ok(r.runData[n.name]?.length, `Akool node "${n.name}" ran`);
					if (n.parameters?.operation === 'transform' && n.parameters?.sourceImage !== 'binaryData')
						expectSourcesFetched(c, nodeItems(r, n.name));
				}
				// files written by "Read/Write Files from Disk" land under ~/.n8n-files (n8n 2.x restriction)
				for (const n of wf.nodes.filter((x) => x.type === 'n8n-nodes-base.readWriteFile' && x.parameters?.operation === 'write')) {
					const written = nodeItems(r, n.name);
					assert.ok(written.length > 0, `"${n.name}" wrote files`);
					for (const it of written) {
						const file = String(it.json.fileName ?? '');
						const abs = path.isAbsolute(file) ? file : path.join(String(c.filesDir), file);
						const bytes = await fsp.readFile(abs);
						assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${file} is a PNG`);
					}
				}
			},
		}));

		let skipped = 0;
		for (const c of [...cases, ...exampleCases]) {
			if (c.workflow && !results.has(c.workflow)) {
				skipped++;
				continue;
			}
			const tc = Date.now();
			try {
				await c.check(ctx);
				passed++;
				console.log(`ok   ${c.name} (${ms(tc)})`);
			} catch (e) {
				failed++;
				const err = /** @type {Error} */ (e);
				console.log(`FAIL ${c.name}\n     ${String(err.message).split('\n').join('\n     ')}`);
			}
		}
		if (skipped) console.log(`(${skipped} cases skipped by --only)`);
		if (failed && VERBOSE) {
			for (const [id, r] of results) {
				if (r.status === 'success') continue;
				console.log(`--- ${id} stdout ---\n${r.stdout.slice(0, 20_000)}\n--- stderr ---\n${r.stderr.slice(0, 5_000)}`);
			}
		}
	} catch (e) {
		failed++;
		console.log(`FAIL suite: ${/** @type {Error} */ (e).message}`);
	} finally {
		await fake?.stop();
		await openAi?.close();
		if (failed === 0) await tmp.remove();
		else console.log(`e2e: kept ${tmp.dir} for inspection`);
	}
	console.log(`e2e wall time ${ms(t0)}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

/** `--only a,b`: run only the workflow files whose path contains one of these strings. */
function onlyFilter() {
	const i = process.argv.indexOf('--only');
	if (i < 0) return () => true;
	const parts = String(process.argv[i + 1] ?? '').split(',').filter(Boolean);
	return (/** @type {string} */ file) => parts.some((p) => file.includes(p));
}

/** @param {WorkflowJson} wf */
function stripPrivate(wf) {
	const { __file, ...rest } = wf;
	return rest;
}

/** @param {number} t */
const ms = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

main().catch((e) => {
	console.log(`FAIL suite: ${e instanceof Error ? e.message : String(e)}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
});
