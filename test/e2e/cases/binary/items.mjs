// @ts-check
/**
 * (c) Three items each with its own file (a Webhook upload, stored; a JPEG made inline by a Code node,
 * no id; one without the binary property), Number of Images 4, Continue On Fail: in the filesystem
 * mode behind WEBHOOK_URL, and again in the database mode without WEBHOOK_URL.
 */
import assert from 'node:assert/strict';

import { outputOf } from '../../lib/expect.mjs';
import { encodePng, SAMPLE_SOURCES } from '../../lib/fake-akool.mjs';
import { http, multipart } from '../../lib/http.mjs';
import { createsFor, fetchesOf, jobsFor, jwtPayload, sha256, WF } from './setup.mjs';

export const ITEMS_PATH = 'akool-binary-items';
/** The prompts of the items workflow's two items with a file (binary.json). */
const ITEM_PROMPTS = /^binary e2e: the (uploaded PNG|inline JPEG) /;

/**
 * Three items (uploaded PNG, inline JPEG, no `data`) → 4 images each for the first two, an error item
 * for the third. Returns the signed URL base the fake fetched from and the files n8n served.
 * @param {import('./setup.mjs').BinaryEnv} env @param {string} modePrefix the binary data mode
 */
async function itemsRun(env, modePrefix) {
	const { db } = env;
	const png = encodePng(256, 192, { seed: modePrefix.length });
	const jpeg = SAMPLE_SOURCES.jpeg.bytes;
	const before = new Set((await jobsFor(env, ITEM_PROMPTS)).map((j) => j.id));
	const answer = await http(`${env.server?.url}/webhook/${ITEMS_PATH}`, {
		method: 'POST',
		body: multipart({ upload: { bytes: png, name: 'upload.png', type: 'image/png' }, jpeg: jpeg.toString('base64') }),
	});
	assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 300)}`);
	const row = (await db.executions(WF.items)).at(-1);
	assert.ok(row, 'an execution');
	const { data } = await db.execution(row.id);
	assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 400)}`);
	const items = outputOf(data, 'Akool');
	assert.equal(items.length, 9, `8 images and 1 error item: ${JSON.stringify(items.map((i) => i.json.jobId ?? i.json.error))}`);
	assert.deepEqual(items.map((i) => i.pairedItem?.item), [0, 0, 0, 0, 1, 1, 1, 1, 2], 'in input order, paired');
	const error = items[8].json;
	assert.match(String(error.error), /Item 2 has no binary property "data"/, JSON.stringify(error));
	assert.match(String(error.description), /"photo"/, `the error names the properties it has: ${error.description}`);
	const jobs = (await jobsFor(env, ITEM_PROMPTS)).filter((j) => !before.has(j.id));
	const creates = (await createsFor(env, ITEM_PROMPTS)).slice(-2);
	assert.equal(jobs.length, 8, `8 jobs (${jobs.length})`);
	assert.deepEqual(creates.map((c) => c.body.batch_quantity), [4, 4], 'two creates of 4 images (none for the item without a file)');
	const expected = new Map([[/uploaded PNG/, sha256(png)], [/inline JPEG/, sha256(jpeg)]]);
	const fetches = await fetchesOf(env, jobs);
	const base = String(fetches[0]?.url).slice(0, String(fetches[0]?.url).indexOf('token='));
	jobs.forEach((job, i) => {
		const f = fetches[i];
		assert.ok(f, `job ${job.id} fetched its source`);
		const want = [...expected].find(([re]) => re.test(job.prompt))?.[1];
		assert.equal(f.sha256, want, `job ${job.id} (${job.prompt}) got its item's file`);
		assert.equal(f.httpStatus, 200);
		assert.ok(f.url.startsWith(base), 'one n8n serves every file');
		assert.ok(!('x-api-key' in f.requestHeaders), 'no API key on the fetch');
	});
	// each item's four jobs got the same URL; the two items, different files
	assert.equal(new Set(fetches.map((f) => f?.url)).size, 2, 'one signed URL per item');
	const ids = new Set(fetches.map((f) => jwtPayload(new URL(String(f?.url)).searchParams.get('token') ?? '').id));
	for (const id of ids) assert.ok(id.startsWith(modePrefix), `${modePrefix}: the served file is in the ${modePrefix} mode: ${id}`);
	for (const item of items.slice(0, 8)) {
		assert.equal(item.json.status, 'completed');
		assert.equal(item.binary?.data?.mimeType, 'image/png');
		assert.ok(String(item.binary?.data.id).startsWith(modePrefix), `result image stored in the ${modePrefix} mode: ${item.binary?.data.id}`);
	}
	return { base, ids: [...ids] };
}

/** In n8n's default mode (filesystem), on `n8n start` with WEBHOOK_URL. @param {import('./setup.mjs').BinaryEnv} env */
export async function itemsCaseFilesystem(env) {
	await env.suite.case('(c) three items, each with its own file (stored upload, inline JPEG from a Code node, none): 4 images each, an error item naming the properties the item has, 2 creates', async () => {
		const r = await itemsRun(env, 'filesystem');
		assert.equal(r.base, `${env.webhookUrl}rest/binary-data/signed?`);
		// the Webhook stores its upload under executions/temp/, which n8n moves when the run is saved
		assert.ok(!r.ids.some((id) => id.includes('/temp/')), `the node serves its own copy of the upload: ${r.ids.join(', ')}`);
		env.suite.measured(`filesystem mode (n8n's default, N8N_DEFAULT_BINARY_DATA_MODE unset): served files ${r.ids.join(', ')}`);
	});
}

/** In the database mode, on `n8n start` without WEBHOOK_URL. @param {import('./setup.mjs').BinaryEnv} env */
export async function itemsCaseDatabase(env) {
	await env.suite.case('(c) again on n8n start without WEBHOOK_URL, binary mode database: the URL is built on N8N_PROTOCOL://N8N_HOST:N8N_PORT/', async () => {
		const r = await itemsRun(env, 'database');
		assert.equal(r.base, `http://127.0.0.1:${env.port}/rest/binary-data/signed?`);
		env.suite.measured(`n8n start without WEBHOOK_URL (N8N_PROTOCOL=http, N8N_HOST=127.0.0.1, N8N_PORT=${env.port}): the signed URL is ${r.base}token=…; database mode outside queue mode works: served files ${r.ids.join(', ')}`);
	});
}
