// @ts-check
/**
 * Expectations the e2e cases share: how an `n8n execute` run ended, the items a node output (an
 * image item as the node documents it, its pairing, its stored PNG), the sources the fake fetched.
 */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { binaryFilePath, nodeItems } from '../../../scripts/e2e/n8n.mjs';
import { PNG_SIGNATURE, readPngSize, sampleAt } from './fake-akool.mjs';

/**
 * @typedef {import('../../../scripts/e2e/n8n.mjs').ExecuteResult} ExecuteResult
 * @typedef {import('../../../scripts/e2e/n8n.mjs').ItemData} ItemData
 */

/** @param {ExecuteResult} r */
const errorText = (r) => (r.error ? JSON.stringify(r.error) : '');

/** @param {ExecuteResult} r */
export function expectSuccess(r) {
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
export function expectFailedExecution(r) {
	assert.ok(!r.timedOut, `execution timed out after ${r.ms} ms`);
	assert.ok(r.raw, `no JSON in --rawOutput (exit ${r.exitCode}, signal ${r.signal})`);
	assert.equal(r.status, 'error', `status ${r.status}`);
	if (r.exitCode === null && r.signal) {
		console.log(`  note: n8n died by ${r.signal} after printing the failed run (exit 1 expected; n8n 2.41.1 shutdown crash)`);
	} else {
		assert.equal(r.exitCode, 1, `exit code 1 (got ${r.exitCode})`);
	}
}

/**
 * The items `node` output in the run, `count` of them. @param {ExecuteResult} r @param {string} node
 * @param {number} count @param {string} [message] @returns {ItemData[]}
 */
export function expectItems(r, node, count, message) {
	const items = nodeItems(r, node);
	assert.equal(items.length, count, message ?? `${count} item(s) from "${node}": ${JSON.stringify(items.map((i) => i.json)).slice(0, 500)}`);
	return items;
}

/** What `node` output in an execution read from n8n's database (its `data`). @param {any} data @param {string} node */
export const outputOf = (data, node) => nodeItems(/** @type {any} */ ({ runData: data?.resultData?.runData ?? {} }), node);

/** The index of the input item an item is paired with. @param {ItemData} item @returns {number | undefined} */
export const pairedIndex = (item) => {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof p === 'number' ? p : p?.item;
};

/**
 * An image item as the node documents it.
 * @param {ItemData} item @param {{ status?: string, prompt?: string | RegExp | null, binary?: boolean }} o
 */
export function expectImageItem(item, { status = 'completed', prompt, binary = true } = {}) {
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
 * The binary of an item is a PNG of `size` that n8n stored in its filesystem mode. Returns its id.
 * @param {string} userFolder @param {ItemData} item @param {{ width: number, height: number }} size
 */
export async function expectStoredPng(userFolder, item, size) {
	const b = item.binary?.data;
	assert.ok(b, `binary.data on ${item.json?.jobId}`);
	assert.equal(b.mimeType, 'image/png');
	assert.equal(typeof b.id, 'string', `binary has an id (filesystem mode), got ${JSON.stringify(b).slice(0, 200)}`);
	assert.ok(b.id.startsWith('filesystem'), `binary stored in filesystem mode: ${b.id}`);
	// in filesystem mode n8n replaces the content by the mode's name ('filesystem-v2')
	assert.ok(!b.data || String(b.data).startsWith('filesystem'), `binary content not inlined: data=${String(b.data).slice(0, 40)}`);
	const file = await binaryFilePath(userFolder, b.id);
	assert.ok(file, `stored file for ${b.id} found under ${userFolder}/.n8n/storage`);
	const bytes = await fsp.readFile(file);
	expectPng(bytes, 'PNG signature');
	assert.deepEqual(readPngSize(bytes), size, `PNG size of ${path.basename(file)}`);
	// n8n 2.x stores a human-readable fileSize ("21.3 kB") and the exact `bytes`
	if (typeof b.bytes === 'number') assert.equal(b.bytes, bytes.length, 'binary.bytes is the stored file size');
	return String(b.id);
}

/**
 * The fake downloaded the source of each item's job (as Akool does when a job starts processing),
 * and got the fake's sample at that URL, byte for byte.
 * @param {{ fake: { baseUrl: string }, sourceFetches: import('./fake-akool.mjs').SourceFetch[] }} seen
 * @param {ItemData[]} items
 */
export function expectSourcesFetched({ fake, sourceFetches }, items) {
	assert.ok(items.length > 0, 'items whose sources to check');
	for (const item of items) {
		const fetched = sourceFetches.find((f) => f.jobId === item.json.jobId);
		assert.ok(fetched, `the fake downloaded the source of job ${item.json.jobId}`);
		assert.equal(fetched.state, 'ok', `the source of job ${item.json.jobId}: ${fetched.error}`);
		const sample = sampleAt(fake.baseUrl, fetched.url);
		assert.ok(sample, `the source ${fetched.url} is one of the fake's samples`);
		assert.equal(fetched.sha256, sample.sha256, `the bytes fetched from ${fetched.url}`);
	}
}

/** The bytes are a PNG (its signature). @param {Buffer} bytes @param {string} what */
export const expectPng = (bytes, what) => assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), what);
