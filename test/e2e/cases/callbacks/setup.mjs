// @ts-check
/**
 * The callbacks suite's instance (test/e2e/callbacks.mjs): n8n on a loopback port that is also its
 * WEBHOOK_URL, filesystem binary mode, the fake Akool in callback mode (signed, encrypted POSTs to each
 * job's webhook URL, retried on any answer but 200), the workflows of workflows/callbacks/ imported and
 * the trigger's published, then `n8n start`.
 */
import path from 'node:path';

import { N8nDb } from '../../../../scripts/e2e/n8n.mjs';
import { akoolCredential, onItsOwnPort, startInstance, startServer } from '../../lib/instance.mjs';
import { secs } from '../../lib/suite.mjs';
import { importWorkflows, publishWorkflows, readWorkflows, workflowsDir } from '../../lib/workflows.mjs';

// A 24-byte API key: AES-192, as Akool's docs describe it.
export const API_KEY = 'e2e-callback-key-24chars';
export const CLIENT_ID = 'e2e-client-id-7';
export const SECRETS = { apiKey: API_KEY, clientId: CLIENT_ID };
const CRED = { id: 'akoolCbCred00001', name: 'Akool (e2e callbacks)' };
export const WF = { trigger: 'akoolCbTrigger01', wait: 'akoolCbWait00001', timeout: 'akoolCbTimeout01', readError: 'akoolCbReadErr01' };
/**
 * Job time of the waiting run: long enough to probe the waiting execution before the finals, and the
 * same for every job, so that the four final callbacks arrive at once (the hard case: concurrent
 * final callbacks must resume exactly once).
 */
export const WAIT_JOB_MS = 12_000;
/** Callback settings of the fake (its CLI flags; the waiting run also gets its processing callbacks at once). */
export const CALLBACKS = { clientId: CLIENT_ID, retryMs: 1000, maxAttempts: 10 };

/**
 * What the cases share: the suite, the instance, the fake, the server, n8n's database, and notes
 * printed at the end.
 * @typedef {{ suite: import('../../lib/suite.mjs').Suite, inst: import('../../lib/instance.mjs').Instance,
 *   fake: import('../../lib/instance.mjs').FakeAkool, server: import('../../../../scripts/e2e/n8n.mjs').N8nServer,
 *   db: N8nDb, notes: string[] }} CallbackEnv
 */

/** @param {import('../../lib/suite.mjs').Suite} suite @param {string} root @returns {Promise<CallbackEnv>} */
export async function startCallbackInstance(suite, root) {
	const { inst, fake } = await startInstance(suite, root, {
		binaryMode: 'filesystem',
		// The resume URL given to Akool: n8n's public address (loopback here).
		...(await onItsOwnPort()),
		apiKey: API_KEY,
		fakeArgs: [
			'--duration-ms', String(WAIT_JOB_MS),
			'--callbacks', CLIENT_ID,
			'--callback-retry-ms', String(CALLBACKS.retryMs),
			'--callback-max-attempts', String(CALLBACKS.maxAttempts),
		],
		credentials: (f) => [akoolCredential(CRED, { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: f.baseUrl })],
		// The other suites install as the Community Nodes panel does; this one as the README's manual
		// command does, so both layouts users get run the node.
		layout: 'manual',
	});
	await importWorkflows(inst.env, await readWorkflows(path.join(workflowsDir, 'callbacks', 'callbacks.json')));
	await publishWorkflows(inst.env, [WF.trigger]);
	const ts = Date.now();
	const server = await startServer(suite, inst.env);
	console.log(`e2e callbacks: n8n ${server.url} (WEBHOOK_URL ${inst.env.WEBHOOK_URL}) up in ${secs(ts)}, fake Akool ${fake.baseUrl}, user folder ${inst.userFolder}, package installed by npm install --omit=peer`);
	return { suite, inst, fake, server, db: new N8nDb(inst.userFolder), notes: [] };
}
