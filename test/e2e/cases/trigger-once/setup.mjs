// @ts-check
/**
 * The trigger-once suite's instance (test/e2e/trigger-once.mjs): `n8n start` on a loopback port that
 * is also its WEBHOOK_URL, the fake Akool sending signed callbacks, and two published workflows
 * Akool Trigger → Received: one whose credential has the Client ID, one whose credential has none.
 */
import { N8nDb, untilWebhookServed } from '../../../../scripts/e2e/n8n.mjs';
import { akoolCredential, onItsOwnPort, startInstance, startServer } from '../../lib/instance.mjs';
import { triggerUrl, triggerWorkflow } from '../../lib/trigger-once.mjs';
import { importWorkflows, publishWorkflows } from '../../lib/workflows.mjs';

// A 24-byte API key: AES-192, as Akool's docs describe it.
export const API_KEY = 'e2e-callback-key-24chars';
export const CLIENT_ID = 'e2e-trigger-once-1';
export const SECRETS = { apiKey: API_KEY, clientId: CLIENT_ID };
const CRED = { id: 'akoolOnceCred001', name: 'Akool (trigger once)' };
const CRED_NO_CLIENT_ID = { id: 'akoolOnceCred002', name: 'Akool (no Client ID)' };
export const WF = { once: 'akoolOnceTrig001', noClientId: 'akoolOnceTrig002' };
const HOOK = { once: '5b1f2c3d-0e4a-4b6c-8d7e-0f0a0b0c0d01', noClientId: '5b1f2c3d-0e4a-4b6c-8d7e-0f0a0b0c0d02' };

/**
 * What the cases share. `url` and `noClientIdUrl` are the triggers' production URLs; `restart()`
 * stops n8n and starts it again on the same database.
 * @typedef {{ suite: import('../../lib/suite.mjs').Suite, fake: import('../../lib/instance.mjs').FakeAkool, db: N8nDb,
 *   url: string, noClientIdUrl: string, restart: () => Promise<void> }} TriggerOnceEnv
 */

/** @param {import('../../lib/suite.mjs').Suite} suite @param {string} root @returns {Promise<TriggerOnceEnv>} */
export async function startTriggerOnceInstance(suite, root) {
	const { inst, fake } = await startInstance(suite, root, {
		binaryMode: 'filesystem',
		...(await onItsOwnPort()),
		apiKey: API_KEY,
		fakeArgs: ['--duration-ms', '800-1500', '--callbacks', CLIENT_ID, '--callback-retry-ms', '1000'],
		credentials: (f) => [
			akoolCredential(CRED, { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: f.baseUrl }),
			akoolCredential(CRED_NO_CLIENT_ID, { apiKey: API_KEY, baseUrl: f.baseUrl }),
		],
	});
	await importWorkflows(inst.env, [
		triggerWorkflow({ id: WF.once, webhookId: HOOK.once, credential: CRED }),
		triggerWorkflow({ id: WF.noClientId, webhookId: HOOK.noClientId, credential: CRED_NO_CLIENT_ID }),
	]);
	await publishWorkflows(inst.env, Object.values(WF));
	let server = await startServer(suite, inst.env);
	const url = triggerUrl(server.url, HOOK.once);
	await untilWebhookServed(url);
	console.log(`e2e trigger-once: n8n ${server.url}, fake Akool ${fake.baseUrl}, user folder ${inst.userFolder}`);
	const restart = async () => {
		await server.stop();
		server = await startServer(suite, inst.env);
		await untilWebhookServed(url);
	};
	return { suite, fake, db: new N8nDb(inst.userFolder), url, noClientIdUrl: triggerUrl(server.url, HOOK.noClientId), restart };
}
