// @ts-check
/**
 * The binary suite's instance (test/e2e/binary.mjs): one n8n user folder (sqlite) whose WEBHOOK_URL is
 * its own loopback port, n8n's default binary mode, the fake Akool in its own process (callbacks on),
 * the example examples/transform-an-uploaded-photo.json as a user imports it and the workflows of
 * workflows/binary/, the three with a trigger published. And what the cases read from the fake.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { freePort, N8nDb, projectRoot } from '../../../../scripts/e2e/n8n.mjs';
import { asExample } from '../../lib/examples.mjs';
import { akoolCredential, startInstance } from '../../lib/instance.mjs';
import { secs } from '../../lib/suite.mjs';
import { importWorkflows, publishWorkflows, readWorkflows, workflowsDir } from '../../lib/workflows.mjs';

// 24 characters: the fake's callbacks are encrypted with it (AES-192), as Akool's are.
export const API_KEY = 'e2e-binary-secret-KEY-24';
const CLIENT_ID = 'e2e-binary-client';
const CRED = { id: 'akoolBinCred0001', name: 'Akool (e2e binary)' };
const PUBLIC_CRED = { id: 'akoolBinPublic01', name: 'Akool (e2e binary, public base URL)' };
/** RFC 2606: a name that never resolves, so nothing can leave this machine even if a check failed. */
export const PUBLIC_BASE_URL = 'https://akool.invalid';
export const WF = { items: 'akoolBinItems001', execLocal: 'akoolBinExecLoc1', execPublic: 'akoolBinExecPub1', callback: 'akoolBinCallbk01', example: 'akoolBinExample1' };
export const SIGNED_PATH = 'rest/binary-data/signed?token=';

/**
 * What the cases share: the suite, the instance, its WEBHOOK_URL and port, the fake, n8n's database,
 * the example as imported, and the `n8n start` running now (each phase starts its own).
 * @typedef {{ suite: import('../../lib/suite.mjs').Suite, inst: import('../../lib/instance.mjs').Instance,
 *   webhookUrl: string, port: number, fake: import('../../lib/instance.mjs').FakeAkool, db: N8nDb,
 *   example: import('../../lib/workflows.mjs').WorkflowJson, server?: import('../../../../scripts/e2e/n8n.mjs').N8nServer }} BinaryEnv
 */

/** @param {import('../../lib/suite.mjs').Suite} suite @param {string} root @returns {Promise<BinaryEnv>} */
export async function startBinaryInstance(suite, root) {
	const t0 = Date.now();
	const port = await freePort();
	const webhookUrl = `http://127.0.0.1:${port}/`;
	// No binaryMode: n8n's own default (filesystem outside queue mode).
	const { inst, fake } = await startInstance(suite, root, {
		port,
		extra: { WEBHOOK_URL: webhookUrl },
		apiKey: API_KEY,
		fakeArgs: ['--duration-ms', '600-1200', '--callbacks', CLIENT_ID, '--callback-retry-ms', '1000'],
		credentials: (f) => [
			akoolCredential(CRED, { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: f.baseUrl }),
			akoolCredential(PUBLIC_CRED, { apiKey: API_KEY, baseUrl: PUBLIC_BASE_URL }),
		],
	});
	const [userExample] = await readWorkflows(path.join(projectRoot, 'examples', 'transform-an-uploaded-photo.json'));
	const example = asExample(userExample, { id: WF.example, fakeBaseUrl: fake.baseUrl, akool: CRED });
	const fixtures = await readWorkflows(path.join(workflowsDir, 'binary', 'binary.json'));
	await importWorkflows(inst.env, [example, ...fixtures]);
	await publishWorkflows(inst.env, [WF.example, WF.items, WF.callback]);
	console.log(`e2e binary: imported and published (${secs(t0)}); fake Akool ${fake.baseUrl}; user folder ${inst.userFolder}`);
	return { suite, inst, webhookUrl, port, fake, db: new N8nDb(inst.userFolder), example };
}

/** @param {Buffer | Uint8Array} b */
export const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** The claims of a JWT (n8n's signed-URL token). @param {string} token @returns {{ id: string, iat: number, exp: number }} */
export const jwtPayload = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/** The fake's create requests whose prompt matches. @param {BinaryEnv} env @param {RegExp} prompt @returns {Promise<any[]>} */
export const createsFor = async ({ fake }, prompt) => (await fake.requests()).filter((q) => q.kind === 'create' && prompt.test(String(q.body?.prompt ?? '')));

/** The fake's jobs whose prompt matches. @param {BinaryEnv} env @param {RegExp} prompt @returns {Promise<any[]>} */
export const jobsFor = async ({ fake }, prompt) => (await fake.jobs()).filter((j) => prompt.test(j.prompt));

/** The source downloads of these jobs, in the jobs' order. @param {BinaryEnv} env @param {any[]} jobs */
export async function fetchesOf({ fake }, jobs) {
	const all = await fake.sourceFetches();
	return jobs.map((j) => all.find((f) => f.jobId === j.id));
}
