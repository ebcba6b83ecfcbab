// @ts-check
/**
 * A binary source in queue mode: the Code node makes an inline PNG on a worker, the Akool node stores
 * it there (n8n's binary data service) and signs it; the URL is built on the worker's WEBHOOK_URL,
 * here the main process (in production: the public address, whose load balancer sends /rest/ to the
 * main and /webhook/ to the webhook processes). Each binary case runs on one new worker (the others
 * are stopped), so that it is that worker's binary mode which is measured. Last in the suite: it
 * leaves one worker.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { postJson } from './load.mjs';
import { startedExecution } from './logs.mjs';
import { PATHS, WF } from './settings.mjs';
import { stopTracked } from './tracking.mjs';

/** @type {{ encodePng: (w: number, h: number, o?: { seed?: number }) => Buffer }} */
const { encodePng } = createRequire(import.meta.url)('../../fake-akool/png.js');

/** @typedef {import('./cluster.mjs').Cluster} Cluster @typedef {import('./load.mjs').FakeAkool} FakeAkool */

/** Where the main process keeps its files (filesystem binary mode). @param {Cluster} c */
export const mainStorage = (c) => path.join(c.env.N8N_USER_FOLDER, '.n8n', 'storage');

/**
 * One worker, with WEBHOOK_URL on the main and `settings`; returns its start time (ms).
 * @param {Cluster} c @param {Record<string, string>} settings
 */
export async function binaryWorker(c, settings) {
	for (const w of c.workers.slice(1)) await stopTracked(w);
	return await c.replaceWorker(0, { WEBHOOK_URL: `${c.mainUrl}/`, ...settings });
}

/**
 * Runs the binary-source workflow on a PNG made for `label`; returns the webhook's answer, the fake's
 * job and source download, the signed file's ID, the execution, the PNG's SHA-256 and how the webhook
 * process answers the signed URL.
 * @param {Cluster} c @param {FakeAkool} fake @param {string} label
 */
export async function transform(c, fake, label) {
	const png = encodePng(160, 120, { seed: label.length });
	const prompt = `queue binary source, ${label}`;
	const answer = await postJson(`${c.webhookUrl}webhook/${PATHS.binary}`, { png: png.toString('base64'), prompt }, 90_000);
	const job = (await fake.jobs()).find((j) => j.prompt === prompt);
	assert.ok(job, `a job for "${prompt}" (webhook answer ${answer.status} ${answer.text.slice(0, 200)})`);
	const fetched = (await fake.sourceFetches()).find((f) => f.jobId === job.id);
	assert.ok(fetched, 'the fake fetched the source');
	const url = new URL(fetched.url);
	assert.equal(`${url.origin}${url.pathname}`, `${c.mainUrl}/rest/binary-data/signed`, 'the URL is on the worker’s WEBHOOK_URL (the main)');
	const token = String(url.searchParams.get('token'));
	const { id: fileId } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
	const ex = (await c.db.find({ workflowIds: [WF.binary], withData: true })).at(-1);
	assert.ok(ex, 'an execution');
	const ranOn = await startedExecution(c.workers[0], ex.id);
	assert.ok(ranOn, `execution ${ex.id} ran on the new worker`);
	const viaWebhookProcess = await fetch(`${c.webhookUrl}rest/binary-data/signed?token=${token}`);
	await viaWebhookProcess.arrayBuffer();
	const sha = createHash('sha256').update(png).digest('hex');
	return { answer, job, fetched, fileId: /** @type {string} */ (fileId), ex, sha, webhookProcessStatus: viaWebhookProcess.status };
}

/** The stored file's ID without its UUID. @param {string} fileId */
export const storedAs = (fileId) => fileId.replace(/[0-9a-f-]{36}$/, '…');

/**
 * Checks a run the main served (the bytes the Code node made, no API key on the fetch, the job and
 * the execution complete) and returns its figure line.
 * @param {string} mode @param {Awaited<ReturnType<typeof transform>>} r @param {number} startMs
 */
export function served(mode, r, startMs) {
	assert.equal(r.fetched.httpStatus, 200, `the main answered ${r.fetched.httpStatus} ${r.fetched.error ?? ''}`);
	assert.equal(r.fetched.sha256, r.sha, 'the bytes the Code node made');
	assert.ok(!('x-api-key' in r.fetched.requestHeaders), 'no API key on the fetch');
	assert.equal(r.answer.status, 200, `webhook answer ${r.answer.status} ${r.answer.text.slice(0, 300)}`);
	assert.equal(r.ex.status, 'success', `execution ${r.ex.id}: ${JSON.stringify(r.ex.error ?? null)}`);
	const [item] = r.ex.nodes?.['Akool Transform']?.at(-1)?.items ?? [];
	assert.equal(item?.json?.status, 'completed');
	assert.equal(item.binary?.data?.mimeType, 'image/png');
	return `binary source, ${mode}: worker (started in ${(startMs / 1000).toFixed(1)} s) stored ${storedAs(r.fileId)} and signed it; the main served it (HTTP 200, ${r.fetched.bytes} bytes, the same SHA-256) and the job completed; the webhook process answers that URL with HTTP ${r.webhookProcessStatus}`;
}
