// @ts-check
/**
 * (e) Forged, stale and malformed requests, and any request to a trigger whose credential has no
 * Client ID: 4xx saying why (never a secret), and no execution at all.
 */
import assert from 'node:assert/strict';

import { sleep } from '../../../../scripts/e2e/n8n.mjs';
import { callbackBody } from '../../lib/fake-akool.mjs';
import { postCopies, triggerRuns } from '../../lib/trigger-once.mjs';
import { SETTLE_MS } from './duplicates.mjs';
import { API_KEY, CLIENT_ID, SECRETS, WF } from './setup.mjs';

const NO_CLIENT_ID = 'rejected: The Akool credential has no Client ID, needed to verify callbacks';

/** @param {import('./setup.mjs').TriggerOnceEnv} env @param {string} jobId a job of the fake */
export async function forgedCases({ suite, db, url, noClientIdUrl }, jobId) {
	await suite.case('(e) forged, stale, malformed, and any request to a trigger without Client ID: 4xx, no execution', async () => {
		const genuine = callbackBody({ _id: jobId, status: 3, type: 'image' }, SECRETS);
		/** @type {Array<[string, string, unknown, number, string]>} */
		const attempts = [
			['forged signature', url, { ...genuine, signature: 'f'.repeat(40) }, 401, 'rejected: bad signature'],
			['another Client ID', url, callbackBody({ _id: 'x', status: 3 }, { apiKey: API_KEY, clientId: 'intruder' }), 401, 'rejected: bad signature'],
			['stale', url, callbackBody({ _id: 'x', status: 4 }, SECRETS, { timestamp: Date.now() - 11 * 60_000 }), 401, 'rejected: stale'],
			['malformed', url, { dataEncrypt: 'x' }, 400, 'rejected: malformed'],
			['forged, no Client ID', noClientIdUrl, { ...genuine, signature: '0'.repeat(40) }, 401, NO_CLIENT_ID],
			['genuine-looking, no Client ID', noClientIdUrl, genuine, 401, NO_CLIENT_ID],
			['malformed, no Client ID', noClientIdUrl, {}, 401, NO_CLIENT_ID],
		];
		const before = (await triggerRuns(db, WF.once)).length;
		for (const [label, target, body, status, message] of attempts) {
			const [answer] = await postCopies(target, body, 1);
			assert.deepEqual([answer.status, answer.message], [status, message], label);
			for (const secret of [API_KEY, CLIENT_ID]) assert.ok(!answer.message.includes(secret), `${label}: leaks a secret`);
		}
		await sleep(SETTLE_MS);
		assert.equal((await triggerRuns(db, WF.once)).length, before, 'executions after forged requests');
		assert.deepEqual(await db.executions(WF.noClientId), [], 'executions of the trigger without Client ID');
	});
}
