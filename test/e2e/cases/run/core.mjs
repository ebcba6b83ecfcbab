// @ts-check
/**
 * Cases on the core workflow (test/e2e/workflows/core.json): Generate one and four images, Transform,
 * Get Result, Get Credits, and the PNGs n8n stored.
 */
import assert from 'node:assert/strict';

import { nodeItems } from '../../../../scripts/e2e/n8n.mjs';
import { expectImageItem, expectItems, expectSourcesFetched, expectStoredPng, pairedIndex } from '../../lib/expect.mjs';
import { imageSize, sampleSourceUrl } from '../../lib/fake-akool.mjs';

/** @typedef {import('../../lib/workflow-cases.mjs').WorkflowCase} WorkflowCase */

const workflow = 'akoolE2eCore0001';

/** @type {WorkflowCase} */
export const generateOne = {
	name: 'Generate 1 image (1:1, 1080p), waited and downloaded',
	workflow,
	check: (r) => {
		const items = expectItems(r, 'Generate one', 1, 'one item');
		expectImageItem(items[0], { prompt: 'a lighthouse at dawn, watercolor' });
		assert.equal(items[0].json.batchIndex, 0);
		assert.equal(pairedIndex(items[0]), 0);
	},
};

/** @type {WorkflowCase} */
export const generateFour = {
	name: 'Generate 4 images (16:9, 1080p): four items, four jobs',
	workflow,
	check: (r) => {
		const items = expectItems(r, 'Generate four', 4, 'four items');
		items.forEach((it) => expectImageItem(it, { prompt: 'a red bicycle in the rain' }));
		assert.equal(new Set(items.map((i) => i.json.jobId)).size, 4, 'four distinct job ids');
		assert.deepEqual(
			items.map((i) => i.json.batchIndex),
			[0, 1, 2, 3],
		);
		assert.deepEqual(items.map(pairedIndex), [0, 0, 0, 0]);
	},
};

/** @type {WorkflowCase} */
export const transform = {
	name: 'Transform (image-to-image, Original ratio)',
	workflow,
	check: (r, ctx) => {
		const items = expectItems(r, 'Transform', 1);
		expectImageItem(items[0], { prompt: 'the same cat as an oil painting' });
		expectSourcesFetched(ctx, items);
		const fetched = ctx.sourceFetches.find((f) => f.jobId === items[0].json.jobId);
		assert.equal(fetched?.url, sampleSourceUrl(ctx.fake.baseUrl, 'png'), 'the workflow’s source URL went to Akool');
	},
};

/** @type {WorkflowCase} */
export const getResult = {
	name: 'Get Result of the job created by the previous node',
	workflow,
	check: (r) => {
		const created = nodeItems(r, 'Generate one');
		const items = expectItems(r, 'Get Result', 1);
		expectImageItem(items[0], { binary: false });
		assert.equal(items[0].json.jobId, created[0].json.jobId);
		assert.equal(items[0].json.imageUrl, created[0].json.imageUrl);
	},
};

/** @type {WorkflowCase} */
export const getCredits = {
	name: 'Get Credits',
	workflow,
	check: (r) => {
		const items = expectItems(r, 'Get Credits', 1);
		assert.equal(typeof items[0].json.credit, 'number', `credit is a number: ${JSON.stringify(items[0].json)}`);
	},
};

/** @type {WorkflowCase} */
export const storedPngs = {
	name: 'Download Image in filesystem binary mode: stored PNGs of the requested size',
	workflow,
	check: async (r, ctx) => {
		const one = nodeItems(r, 'Generate one');
		assert.ok(String(one[0].json.imageUrl).startsWith(ctx.fake.cdnBaseUrl), 'image URL is on the (fake) CDN');
		await expectStoredPng(ctx.userFolder, one[0], imageSize('1:1', '1080p'));
		for (const it of nodeItems(r, 'Generate four')) {
			await expectStoredPng(ctx.userFolder, it, imageSize('16:9', '1080p'));
		}
		await expectStoredPng(ctx.userFolder, nodeItems(r, 'Transform')[0], imageSize('Original', '1080p'));
	},
};
