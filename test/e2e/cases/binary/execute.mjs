// @ts-check
/**
 * 1. `n8n execute` (no server), three runs at once: with WEBHOOK_URL on a loopback port where nothing
 * listens, signing works but the fake's download is refused and the job fails (status 4) with the
 * node's hint; in n8n's memory mode (N8N_DEFAULT_BINARY_DATA_MODE=default) and with WEBHOOK_URL on a
 * private address (credential Base URL https://akool.invalid, RFC 2606: never resolves) the node
 * refuses before any create, naming the setting to change.
 */
import assert from 'node:assert/strict';

import { executeWorkflow, freePort } from '../../../../scripts/e2e/n8n.mjs';
import { executeEnv } from '../../lib/instance.mjs';
import { secs } from '../../lib/suite.mjs';
import { createsFor, fetchesOf, jobsFor, PUBLIC_BASE_URL, SIGNED_PATH, WF } from './setup.mjs';

/** A private (RFC 1918) address n8n is never asked to reach: only written into the URLs n8n builds. */
const PRIVATE_WEBHOOK_URL = 'http://192.168.77.10:5678/';
/** The prompt of the two local runs (binary.json). */
const LOCAL_PROMPT = /^binary e2e: n8n execute$/;

/** How a run failed. @param {import('../../../../scripts/e2e/n8n.mjs').ExecuteResult} r */
const errorOf = (r) => ({
	message: String(r.error?.message ?? ''),
	description: String(r.error?.description ?? ''),
	status: r.status,
	all: JSON.stringify(r.error ?? null),
});

/** @param {import('./setup.mjs').BinaryEnv} env */
export async function executeCases(env) {
	const { suite, inst } = env;
	const deadPort = await freePort();
	const run = async (/** @type {string} */ workflow, /** @type {Record<string, string>} */ extra) =>
		await executeWorkflow(await executeEnv(inst, extra), workflow, { timeoutMs: 120_000 });
	const tExec = Date.now();
	const [noServer, memory, privateUrl] = await Promise.all([
		run(WF.execLocal, { WEBHOOK_URL: `http://127.0.0.1:${deadPort}/` }),
		run(WF.execLocal, { N8N_DEFAULT_BINARY_DATA_MODE: 'default' }),
		run(WF.execPublic, { WEBHOOK_URL: PRIVATE_WEBHOOK_URL }),
	]);
	console.log(`     three n8n execute runs took ${secs(tExec)} together`);

	await suite.case('n8n execute, nothing listening at WEBHOOK_URL: the URL is signed, Akool cannot fetch it, the job fails (status 4) with the node’s hint', async () => {
		const e = errorOf(noServer);
		assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}`);
		const jobs = await jobsFor(env, LOCAL_PROMPT);
		const fetches = await fetchesOf(env, jobs);
		assert.equal(jobs.length, 1, `jobs of the two local runs (no server, memory mode): ${jobs.length}`);
		const dead = fetches.filter((f) => f?.url.startsWith(`http://127.0.0.1:${deadPort}/${SIGNED_PATH}`));
		assert.equal(dead.length, 1, `one fetch from the dead WEBHOOK_URL: ${JSON.stringify(fetches.map((f) => f?.url.slice(0, 60)))}`);
		const [fetched] = dead;
		assert.equal(fetched?.state, 'failed');
		assert.equal(fetched?.httpStatus, null, 'no answer came');
		assert.match(String(fetched?.error), /^unreachable: .*ECONNREFUSED|^unreachable: connect/i, `the fake's error: ${fetched?.error}`);
		const job = jobs.find((j) => j.id === fetched?.jobId);
		assert.equal(job?.status, 4, 'the job failed');
		assert.match(e.message, new RegExp(`Akool job\\(s\\) ${fetched?.jobId} failed \\(status 4\\)`), e.message);
		assert.match(e.description, new RegExp(`This n8n served it at http://127\\.0\\.0\\.1:${deadPort}`), e.description);
		assert.match(e.description, /WEBHOOK_URL/, e.description);
		assert.ok(!e.all.includes('token='), 'the error does not show the token');
		suite.measured(`n8n execute (no server): signing works (URL ${fetched?.url.slice(0, fetched.url.indexOf('token=') + 6)}…); the fetch is refused (${fetched?.error}); the job fails, status 4; the node's error: "${e.message}"`);
	});

	await suite.case('n8n execute in memory mode (N8N_DEFAULT_BINARY_DATA_MODE=default): refused before any create, naming the setting', async () => {
		const e = errorOf(memory);
		assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}; stderr ${memory.stderr.slice(0, 400)}`);
		assert.match(e.message, /n8n keeps binary data in memory/, e.message);
		assert.match(e.description, /N8N_DEFAULT_BINARY_DATA_MODE/, e.description);
		// the two local runs share a prompt: the no-server run made one create, this one none
		const creates = await createsFor(env, LOCAL_PROMPT);
		assert.equal(creates.length, 1, `creates of both local runs: ${creates.length} (the no-server run's only)`);
		const warn = /default.*(deprecat|removed)|in-memory/i.exec(memory.stdout + memory.stderr);
		suite.measured(`n8n 2.41.1 accepts N8N_DEFAULT_BINARY_DATA_MODE=default (n8n execute ran, exit ${memory.exitCode}${warn ? `, logged "${warn[0]}"` : ', no warning seen'}); the node refused: "${e.message}"`);
	});

	await suite.case('n8n execute, WEBHOOK_URL on a private address, credential Base URL public: refused before any create, naming WEBHOOK_URL', async () => {
		const e = errorOf(privateUrl);
		assert.equal(e.status, 'error', `status ${e.status}; ${e.all.slice(0, 400)}`);
		assert.match(e.message, /Akool cannot download the source image from this n8n \(http:\/\/192\.168\.77\.10:5678\)/, e.message);
		assert.match(e.message, /local network/, e.message);
		assert.match(e.description, /WEBHOOK_URL/, e.description);
		assert.ok(!e.all.includes('token='), 'the error does not show the token');
		assert.equal((await createsFor(env, /public Base URL/)).length, 0, 'nothing reached the fake (the Base URL is elsewhere anyway)');
		suite.measured(`WEBHOOK_URL=${PRIVATE_WEBHOOK_URL} with Base URL ${PUBLIC_BASE_URL}: "${e.message}"`);
	});
}
