// @ts-check
/**
 * Queue mode, the Akool Trigger with TWO webhook processes: does a job's status start the workflow
 * once when its callbacks reach either process? The queue suite's cluster (Redis, one database, a
 * main, two workers, webhook process 1) plus webhook process 2 on its own port, the fake Akool
 * sending signed callbacks to webhook process 1.
 *
 *   npm run build && node test/queue/trigger-once.mjs
 *
 * First with both workers (measured and printed, what n8n 2.41.1 allows; see README → Akool
 * Trigger): callbacks nobody has seen, copies POSTed to both webhook processes at the same moment:
 * how often the next node got one twice; then each of them once more, one at a time: how many
 * started an execution or reached the next node again. Then with one worker (worker 2 stopped), asserted: Akool's
 * own callbacks start one execution each and the next node gets each job once; each delivered
 * callback sent again to the OTHER webhook process is answered 200 without an execution; and copies
 * at the same moment to both webhook processes reach the next node once.
 * Prints `N passed, M failed` last (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1, AKOOL_QUEUE_DB=sqlite|postgres.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { assertInstalled, freePort, importWorkflow, installPackage, n8n, reportCase, sleep, startN8nProcess, tempDir, untilWebhookServed } from '../../scripts/e2e/n8n.mjs';
import { callbackBody } from '../e2e/lib/fake-akool.mjs';
import { DUPLICATE, createJobs, deliveredFinals, postCopies, receivedPerJob, triggerRuns, triggerUrl, triggerWorkflow } from '../e2e/lib/trigger-once.mjs';
import { startCluster } from './lib/cluster.mjs';
import { startServices } from './lib/services.mjs';
import { API_KEY, CLIENT_ID, CRED } from './lib/settings.mjs';
import { endSuite, runSuite, stopEverythingOnSignal, stopTracked, track } from './lib/tracking.mjs';

const WF_ID = 'akoolQueueOnce01';
const HOOK = '6c2e3d4f-1a5b-4c7d-9e8f-0a1b2c3d4e01';
/** Callbacks nobody has seen, each POSTed to both webhook processes at the same moment. */
const RACES = 20;
const COPIES_PER_PROCESS = 2;
const SETTLE_MS = 3000;

/** @param {number} t */
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

/** @type {{ remove: () => Promise<void> } | undefined} */
let tmpFolder;
stopEverythingOnSignal(() => tmpFolder?.remove());

/**
 * A second `n8n webhook` process of the cluster: the cluster's environment with its own user
 * folder (the package installed in it) and ports.
 * @param {import('./lib/cluster.mjs').Cluster} cluster @param {string} root
 */
async function startSecondWebhook(cluster, root) {
	const userFolder = path.join(root, 'procs', 'webhook2');
	await installPackage(userFolder);
	const [port, broker] = [await freePort(), await freePort()];
	const env = { ...cluster.env, N8N_USER_FOLDER: userFolder, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(broker) };
	const proc = track(await startN8nProcess('n8n webhook2', env, ['webhook'], { logFile: path.join(root, 'logs', 'webhook2.log'), healthUrl: `http://127.0.0.1:${port}/healthz/readiness` }));
	return { proc, url: `http://127.0.0.1:${port}/` };
}

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const tmp = await tempDir('akool-queue-once-');
	tmpFolder = tmp;
	let passed = 0;
	let failed = 0;
	/** @param {string} name @param {() => Promise<void>} fn */
	const check = async (name, fn) => {
		if (await reportCase(name, fn, { stackLines: 6 })) passed++;
		else failed++;
	};
	/** @type {string[]} */
	const measured = [];
	try {
		const { redis, db, fake, baseEnv } = await startServices(tmp.dir, () => secs(t0));
		const setupEnv = { ...baseEnv, EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		await importWorkflow(setupEnv, triggerWorkflow({ id: WF_ID, webhookId: HOOK, credential: CRED }));
		await n8n(setupEnv, ['publish:workflow', `--id=${WF_ID}`]);
		const cluster = await startCluster({ root: tmp.dir, label: 'once', redisPort: redis.port, baseEnv, db });
		const second = await startSecondWebhook(cluster, tmp.dir);
		const urls = [triggerUrl(cluster.webhookUrl, HOOK), triggerUrl(second.url, HOOK)];
		for (const url of urls) await untilWebhookServed(url);
		console.log(`queue trigger-once: main ${cluster.main.pid}, workers ${cluster.workers.map((w) => w.pid).join(', ')}, webhook processes ${cluster.webhook.pid} (${cluster.webhookUrl}) and ${second.proc.pid} (${second.url}), up ${secs(t0)}`);

		/**
		 * Callbacks nobody has seen, `COPIES_PER_PROCESS` copies of each to each webhook process at once.
		 * @param {string} prefix @returns {Promise<{ twice: string[], executions: number }>}
		 */
		const race = async (prefix) => {
			const before = (await triggerRuns(db, WF_ID)).length;
			const jobIds = Array.from({ length: RACES }, (_, i) => `${prefix}-${i}`);
			const answers = [];
			for (const jobId of jobIds) {
				const body = callbackBody({ _id: jobId, status: 4, type: 'image' }, { apiKey: API_KEY, clientId: CLIENT_ID });
				answers.push(...(await Promise.all(urls.map((url) => postCopies(url, body, COPIES_PER_PROCESS)))).flat());
			}
			await sleep(SETTLE_MS);
			const runs = (await triggerRuns(db, WF_ID)).slice(before);
			assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.filter((a) => a.status !== 200)));
			assert.ok(runs.every((r) => r.status === 'success'), JSON.stringify(runs.filter((r) => r.status !== 'success')));
			const perJob = receivedPerJob(runs);
			assert.deepEqual(Object.keys(perJob).sort(), [...jobIds].sort(), 'each callback reached the next node');
			return { jobIds, twice: jobIds.filter((id) => perJob[id] > 1), executions: runs.length };
		};
		const copies = `${RACES} unseen callbacks × ${COPIES_PER_PROCESS * urls.length} copies at once over 2 webhook processes`;

		/** @type {string[]} */
		let raced = [];
		await check(`two workers: ${copies}: all answered 200, each reached the next node (how often twice: measured)`, async () => {
			const { jobIds, twice, executions } = await race('two-workers');
			raced = jobIds;
			measured.push(`two workers: ${copies}: ${executions} executions; the next node got ${twice.length} of ${RACES} twice (${twice.join(', ') || 'none'})`);
		});

		await check('two workers: each of those callbacks once more, one at a time, to webhook process 2: all answered 200 (how many started or reached the next node again: measured)', async () => {
			const before = await triggerRuns(db, WF_ID);
			const answers = [];
			for (const jobId of raced) answers.push(...(await postCopies(urls[1], callbackBody({ _id: jobId, status: 4, type: 'image' }, { apiKey: API_KEY, clientId: CLIENT_ID }), 1)));
			await sleep(SETTLE_MS);
			const after = await triggerRuns(db, WF_ID);
			assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.filter((a) => a.status !== 200)));
			const [was, now] = [receivedPerJob(before), receivedPerJob(after)];
			const again = raced.filter((id) => now[id] > was[id]);
			measured.push(`two workers: the ${raced.length} callbacks sent once more, one at a time: ${answers.filter((a) => a.message === DUPLICATE).length} answered "${DUPLICATE}", ${after.length - before.length} executions, ${again.length} reached the next node again${again.length ? ` (${again.join(', ')})` : ''}`);
		});

		await stopTracked(cluster.workers[1]);
		/** @type {any[]} */
		let finals = [];
		await check('one worker: Akool’s callbacks for 6 jobs (to webhook process 1): one execution each, the next node gets each job once', async () => {
			const jobs = await createJobs(fake, API_KEY, urls[0], ['q1', 'q2', 'q3', '[fail] q4', 'q5', 'q6']);
			finals = await deliveredFinals(fake, jobs);
			const runs = await triggerRuns(db, WF_ID);
			assert.deepEqual(Object.fromEntries(Object.entries(receivedPerJob(runs)).filter(([id]) => jobs.includes(id))), Object.fromEntries(jobs.map((id) => [id, 1])));
		});

		await check('one worker: each delivered callback sent again to webhook process 2: 200 "ignored", no execution', async () => {
			const before = (await triggerRuns(db, WF_ID)).length;
			const answers = (await Promise.all(finals.map((d) => postCopies(urls[1], d.body, 1)))).flat();
			await sleep(SETTLE_MS);
			assert.deepEqual(answers, finals.map(() => ({ status: 200, message: DUPLICATE })));
			assert.equal((await triggerRuns(db, WF_ID)).length, before, 'no execution for a duplicate');
		});

		await check(`one worker: ${copies}: each reached the next node once`, async () => {
			const { twice, executions } = await race('one-worker');
			assert.deepEqual(twice, []);
			measured.push(`one worker: ${copies}: ${executions} executions, each callback reached the next node once`);
		});
	} catch (e) {
		failed++;
		console.log(`FAIL suite: ${/** @type {Error} */ (e).stack ?? e}`);
	} finally {
		failed = await endSuite(tmp, failed, 'queue trigger-once');
	}
	for (const line of measured) console.log(`measured: ${line}`);
	console.log(`queue trigger-once wall time ${secs(t0)}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

runSuite(main);
