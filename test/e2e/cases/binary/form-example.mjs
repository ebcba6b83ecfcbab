// @ts-check
/**
 * (a) examples/transform-an-uploaded-photo.json as a user imports it, on `n8n start` with WEBHOOK_URL:
 * the form submitted over HTTP as multipart; the fake downloaded exactly the uploaded bytes from the
 * signed URL, without the API key; the form's completion page hands the user the image Akool made;
 * the ending page's POST ends the execution in success.
 */
import assert from 'node:assert/strict';

import { encodePng, imageSize, readPngSize } from '../../lib/fake-akool.mjs';
import { expectPng, outputOf } from '../../lib/expect.mjs';
import { http, multipart } from '../../lib/http.mjs';
import { API_KEY, createsFor, fetchesOf, jobsFor, sha256, SIGNED_PATH, WF } from './setup.mjs';

/**
 * The form run the later cases read: its execution, the URL its ending page waits at, the fake's
 * download of its source, its job, and the token of the signed URL.
 * @typedef {{ executionId: string, waitingUrl: URL, fetch: import('../../lib/fake-akool.mjs').SourceFetch, jobId: string,
 *   token: string, upload: Buffer, style: string }} FormRun
 */

/** @param {import('./setup.mjs').BinaryEnv} env @returns {Promise<FormRun | undefined>} */
export async function formCases(env) {
	const { suite, example, db, fake, webhookUrl } = env;
	const formUrl = `${env.server?.url}/form/${example.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger').webhookId}`;
	// n8n answers /healthz before it has registered the published workflows' webhooks (404 until then)
	await db.until(async () => ((await http(formUrl)).status === 200 ? true : undefined), 60_000, 'the form to be served');

	const upload = encodePng(320, 240, { seed: 7 });
	const style = 'binary e2e: the photo as a charcoal drawing';
	/** @type {FormRun | undefined} */
	let formRun;
	await suite.case('(a) example: the form page asks for one PNG/JPEG file (field-0) and the style (field-1)', async () => {
		const page = await http(formUrl);
		assert.equal(page.status, 200);
		const fileInput = /<input[^>]*type='file'[^>]*>/.exec(page.text)?.[0] ?? '';
		assert.match(fileInput, /name='field-0'/, fileInput);
		assert.match(fileInput, /accept='\.png, \.jpg, \.jpeg'/, fileInput);
		assert.match(fileInput, /form-required/, 'required');
		assert.doesNotMatch(fileInput, /multiple/, 'one file');
		assert.match(page.text, /<input[^>]*name='field-1'/, 'the Style field');
	});

	await suite.case('(a) example: the form, submitted as multipart, gets the image Akool made from the uploaded bytes (fetched from n8n’s signed URL, no API key)', async () => {
		const submitted = await http(formUrl, {
			method: 'POST',
			body: multipart({ 'field-0': { bytes: upload, name: 'photo.png', type: 'image/png' }, 'field-1': style }),
		});
		assert.equal(submitted.status, 200, `form POST: ${submitted.status} ${submitted.text.slice(0, 300)}`);
		const waitingUrl = new URL(String(JSON.parse(submitted.text).formWaitingUrl));
		const executionId = waitingUrl.pathname.split('/').pop() ?? '';
		assert.equal(`${waitingUrl.origin}${waitingUrl.pathname}`, `${webhookUrl}form-waiting/${executionId}`, 'the form waits at WEBHOOK_URL');
		// as the form page does: poll the execution's status until the ending page waits
		const statusUrl = new URL(waitingUrl);
		statusUrl.pathname += '/n8n-execution-status';
		const status = await db.until(async () => {
			const s = (await http(statusUrl.toString())).text.trim();
			return ['form-waiting', 'error', 'crashed', 'canceled', 'success'].includes(s) ? s : undefined;
		}, 60_000, 'the form ending page', 300);
		if (status !== 'form-waiting') {
			const { data } = await db.execution(executionId);
			assert.fail(`execution ${executionId} is ${status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 600)}`);
		}
		const page = await http(waitingUrl.toString());
		assert.equal(page.status, 200, `ending page: ${page.status}`);
		const encoded = /const binaries = "([^"]*)"/.exec(page.text)?.[1];
		assert.ok(encoded, 'the ending page carries the file for the browser to download');
		const [file, ...more] = JSON.parse(decodeURIComponent(encoded));
		assert.equal(more.length, 0, 'one file');
		const image = Buffer.from(file.data.data);
		expectPng(image, 'the user gets a PNG');
		assert.equal(file.type, 'image/png');
		assert.deepEqual(readPngSize(image), imageSize('Original', '1080p'), 'the size the fake makes for Original at 1080p');

		const jobs = await jobsFor(env, new RegExp(`^${style}$`));
		assert.equal(jobs.length, 1, 'one job');
		const jobId = String(jobs[0].id);
		assert.equal(file.fileName, `akool-${jobId}.png`);
		const made = await http(`${fake.cdnBaseUrl}/images/${jobId}.png`);
		assert.equal(sha256(image), sha256(made.body), 'the very image the fake made for the job');

		const [fetched] = await fetchesOf(env, jobs);
		assert.ok(fetched, 'the fake fetched the job’s source');
		assert.ok(fetched.url.startsWith(`${webhookUrl}${SIGNED_PATH}`), `fetched from n8n's signed URL at WEBHOOK_URL: ${fetched.url.slice(0, 80)}`);
		assert.equal(fetched.httpStatus, 200);
		assert.equal(fetched.sha256, sha256(upload), 'exactly the uploaded bytes');
		assert.equal(fetched.bytes, upload.length);
		assert.equal(fetched.headers['content-type'], 'image/png', 'n8n serves it with its MIME type');
		for (const [k, v] of Object.entries(fetched.requestHeaders)) {
			assert.ok(!['x-api-key', 'authorization'].includes(k) && !v.includes(API_KEY), `the fetch carried ${k}`);
		}
		const [create] = await createsFor(env, new RegExp(`^${style}$`));
		assert.deepEqual(create?.body?.source_images, [fetched.url], 'Akool got the signed URL as source_images[0]');
		formRun = { executionId, waitingUrl, fetch: fetched, jobId, token: new URL(fetched.url).searchParams.get('token') ?? '', upload, style };
		suite.measured(`n8n start with WEBHOOK_URL=${webhookUrl}: the signed URL is ${fetched.url.slice(0, fetched.url.indexOf('token=') + 6)}… (content-type ${fetched.headers['content-type']}, content-disposition ${fetched.headers['content-disposition']})`);
	});
	return formRun;
}

/** @param {import('./setup.mjs').BinaryEnv} env @param {FormRun | undefined} formRun */
export async function formEndingCase({ suite, db }, formRun) {
	await suite.case('(a) example: the ending page’s POST (as the browser sends it) ends the execution in success', async () => {
		assert.ok(formRun, 'the form run');
		const { executionId, waitingUrl } = formRun;
		const ended = await http(waitingUrl.toString(), { method: 'POST', body: '' });
		assert.equal(ended.status, 200, `ending POST: ${ended.status} ${ended.text.slice(0, 200)}`);
		const row = await db.finished(WF.example, executionId, 30_000);
		const { data } = await db.execution(executionId);
		assert.equal(row.status, 'success', `status ${row.status}: ${JSON.stringify(data?.resultData?.error ?? null).slice(0, 400)}`);
		const [item] = outputOf(data, 'Akool: Transform photo');
		assert.equal(item?.json?.jobId, formRun.jobId);
		assert.equal(item.json.prompt, formRun.style, 'the prompt is the form’s Style field');
		assert.ok(!JSON.stringify(data).includes(formRun.token), 'the execution data does not keep the token (akool.source_image is redacted)');
	});
}
