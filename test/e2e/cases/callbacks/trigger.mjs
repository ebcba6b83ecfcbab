// @ts-check
/**
 * (a) The Akool Trigger (a published workflow) is started by a genuine callback POSTed to its
 * production URL, with the item and the downloaded PNG; forged, garbled and stale ones get 4xx and
 * start nothing.
 */
import assert from 'node:assert/strict';

import { sleep, untilWebhookServed } from '../../../../scripts/e2e/n8n.mjs';
import { expectStoredPng, outputOf } from '../../lib/expect.mjs';
import { callbackBody, imageSize, PATHS } from '../../lib/fake-akool.mjs';
import { http, post } from '../../lib/http.mjs';
import { secs } from '../../lib/suite.mjs';
import { API_KEY, CLIENT_ID, SECRETS, WF } from './setup.mjs';

const TRIGGER_PATH = '7d4e9a10-5b2c-4f8e-a1d3-c0ffee0a0001/akool';

/** A completed job on the fake, created without callback. @param {import('../../lib/instance.mjs').FakeAkool} fake */
async function completedJob(fake) {
	await fake.setOptions({ durationMs: 200 });
	const res = await http(fake.baseUrl + PATHS.create, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({ prompt: 'a callback for the trigger', scale: '1:1', resolution: '1080p' }),
	});
	const id = String(res.json.data._id);
	await sleep(400);
	return id;
}

/** @param {import('./setup.mjs').CallbackEnv} env */
export async function triggerCases({ suite, inst, fake, server, db }) {
	const triggerJob = await completedJob(fake);
	const triggerUrl = `${server.url}/webhook/${TRIGGER_PATH}`;
	const tr = Date.now();
	await untilWebhookServed(triggerUrl);
	console.log(`     trigger webhook registered ${secs(tr)} after /healthz answered`);
	/** @type {import('../../lib/http.mjs').HttpAnswer | undefined} */
	let triggerAnswer;
	await suite.case('(a) Akool Trigger: a genuine callback starts the published workflow with the item and the PNG', async () => {
		const imageUrl = `${fake.cdnBaseUrl}/images/${triggerJob}.png`;
		const answer = await post(triggerUrl, callbackBody({ _id: triggerJob, status: 3, type: 'image', url: imageUrl }, SECRETS));
		triggerAnswer = answer;
		assert.equal(answer.status, 200, `answer ${answer.status} ${answer.text}`);
		const [row] = await db.until(async () => {
			const rows = await db.executions(WF.trigger);
			return rows.some((r) => r.status === 'success' || r.status === 'error') ? rows : undefined;
		}, 30_000, 'the trigger execution');
		assert.equal(row.status, 'success', `execution ${row.id} status ${row.status}`);
		assert.equal(row.mode, 'webhook');
		const { data } = await db.execution(row.id);
		const items = outputOf(data, 'Akool Trigger');
		assert.equal(items.length, 1, 'one item');
		assert.deepEqual(items[0].json, { jobId: triggerJob, status: 'completed', statusCode: 3, type: 'image', imageUrl });
		await expectStoredPng(inst.userFolder, items[0], imageSize('1:1', '1080p'));
		assert.equal(outputOf(data, 'Received').length, 1, 'the next node got the item');
		const cdn = (await fake.requests()).filter((q) => q.host === 'cdn');
		assert.ok(cdn.length >= 1, 'the image was downloaded from the CDN');
		for (const q of cdn) assert.equal(q.headers['x-api-key'], undefined, 'no API key sent to the CDN');
	});

	await suite.case('(a) Akool Trigger: n8n answers the genuine callback with the node’s {"message":"ok"}', async () => {
		assert.ok(triggerAnswer, 'the genuine callback was answered');
		assert.deepEqual(triggerAnswer.json, { message: 'ok' }, `n8n answered ${triggerAnswer.status} ${JSON.stringify(triggerAnswer.text.slice(0, 200))}`);
	});

	await suite.case('(a) Akool Trigger: forged, garbled, stale and unsigned callbacks get 4xx and start nothing', async () => {
		const before = (await db.executions(WF.trigger)).length;
		const genuine = callbackBody({ _id: triggerJob, status: 3, type: 'image', url: 'http://127.0.0.1:9/x.png' }, SECRETS);
		/** @type {Array<[string, unknown, string | undefined, number, string]>} */
		const attempts = [
			['forged signature', { ...genuine, signature: 'f'.repeat(40) }, undefined, 401, 'rejected: bad signature'],
			['signed with another Client ID', callbackBody({ _id: 'x', status: 3 }, { apiKey: API_KEY, clientId: 'intruder' }), undefined, 401, 'rejected: bad signature'],
			['stale (11 min old)', callbackBody({ _id: 'x', status: 3 }, SECRETS, { timestamp: Date.now() - 11 * 60_000 }), undefined, 401, 'rejected: stale'],
			['garbled ciphertext', callbackBody('not json at all', SECRETS), undefined, 400, 'rejected: undecryptable'],
			['unsigned', { dataEncrypt: genuine.dataEncrypt }, undefined, 400, 'rejected: malformed'],
			['not JSON', 'signature=x&dataEncrypt=y', 'text/plain', 400, 'rejected: malformed'],
		];
		for (const [label, body, contentType, status, message] of attempts) {
			const answer = await post(triggerUrl, body, { contentType });
			assert.equal(answer.status, status, `${label}: ${answer.status} ${answer.text}`);
			assert.deepEqual(answer.json, { message }, `${label}: ${answer.text}`);
			for (const secret of [API_KEY, CLIENT_ID]) assert.ok(!answer.text.includes(secret), `${label}: the answer leaks a secret`);
		}
		await sleep(1500);
		const after = await db.executions(WF.trigger);
		assert.equal(after.length, before, `executions started by rejected callbacks: ${JSON.stringify(after.slice(before))}`);
	});
}
