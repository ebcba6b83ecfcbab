// @ts-check
/**
 * Queue-mode suite: the BUILT package in a REAL n8n 2.41.1 scaled out on n8n's own queue mode.
 * Redis (Debian's redis-server) and one `n8n start` main, two `n8n worker` processes and one
 * `n8n webhook` process, all on 127.0.0.1, sharing one database, one encryption key and one
 * WEBHOOK_URL (the webhook process), against the fake Akool in its own process.
 *
 *   npm run build && npm run e2e:setup && npm run test:queue
 *
 * Cases (one file each in cases/, run in the order of CASES below on one cluster): throughput (10
 * executions × 5 prompts × 2 images through the production webhook), a wait-by-callback execution
 * started on a worker, resumed by the webhook process and finished on a worker, the same at 50 items ×
 * 4 images (more jobs than n8n's execution custom data could keep), a worker SIGKILLed
 * mid-wait with n8n's default queue settings and again (workers restarted) with the settings we
 * recommend, a worker stopped with SIGTERM mid-wait (graceful drain), Get Result on the already-paid
 * jobs of the dead executions, and a binary source (Transform, Source Image "Binary Data"): the file a
 * worker stores and signs, served to the fake Akool by the main process, in the database binary mode
 * (queue mode's default) and the filesystem mode (on the worker's own disk, then on a disk shared with
 * the main). Shared pieces are in lib/ (the cluster, the workflows, the load, the logs).
 *
 * Read from n8n 2.41.1's code and measured here: n8n 2.x never re-runs a job whose worker died (Bull's
 * maxStalledCount is hard-wired to 0; QUEUE_WORKER_MAX_STALLED_COUNT is gone), so no Akool job is
 * created twice; the dead worker's executions end as errors once the job's lock expires, the stalled
 * check sees it and a fixed 30 s grace passes. Executions and their data are read from n8n's database
 * (N8nDb: scripts/e2e/n8n-db.cjs); which process ran what from each process's JSON log.
 *
 * Prints one line per case and, last, exactly `N passed, M failed` (exit 1 when any failed).
 * Every process is started in its own process group and stopped by it, on success, failure and
 * SIGINT/SIGTERM. Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder and logs),
 * AKOOL_QUEUE_DB=sqlite|postgres (default sqlite, see README "Scaling").
 */
import { assertInstalled, reportCase, tempDir } from '../../scripts/e2e/n8n.mjs';
import { startCluster } from './lib/cluster.mjs';
import { queueContext } from './lib/context.mjs';
import { startServices } from './lib/services.mjs';
import { endSuite, runSuite, stopEverythingOnSignal } from './lib/tracking.mjs';

/**
 * The cases, in the order they run on the one cluster (a file of cases/ each, exporting `name` and
 * `run(ctx)`). Order matters: the crash cases leave paid jobs for Get Result and a dead worker for the
 * graceful stop to replace; the binary cases leave one worker, so they come last.
 */
const CASES = [
	'throughput',
	'callback',
	'callbacks-at-size',
	'crash-defaults',
	'callback-no-worker',
	'crash-recommended',
	'graceful-stop',
	'get-result',
	'binary-database',
	'binary-filesystem-own-disk',
	'binary-filesystem-shared',
];

/** @param {number} t */
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

/** The temp folder of this run, removed on a signal too (unless AKOOL_E2E_KEEP=1). @type {{ remove: () => Promise<void> } | undefined} */
let tmpFolder;
stopEverythingOnSignal(() => tmpFolder?.remove());

async function main() {
	const t0 = Date.now();
	assertInstalled();
	/** @type {import('./lib/context.mjs').QueueCase[]} */
	const cases = await Promise.all(CASES.map((file) => import(`./cases/${file}.mjs`)));
	const tmp = await tempDir('akool-queue-');
	tmpFolder = tmp;
	let passed = 0;
	let failed = 0;
	/** @type {string[]} */
	const summary = [];
	try {
		const { redis, db, fake, baseEnv } = await startServices(tmp.dir, () => secs(t0));
		// ---- cluster A: n8n's defaults (the cases restart its workers with other settings)
		const cluster = await startCluster({ root: tmp.dir, label: 'a', redisPort: redis.port, baseEnv, db });
		console.log(
			`queue: cluster A up in ${(cluster.startMs / 1000).toFixed(1)} s: main ${cluster.main.pid} (${cluster.mainUrl}), workers ${cluster.workers.map((w) => w.pid).join(', ')}, webhook ${cluster.webhook.pid} (WEBHOOK_URL ${cluster.webhookUrl})`,
		);
		const ctx = queueContext({ cluster, db, fake, summary });
		for (const c of cases) {
			if (await reportCase(c.name, () => c.run(ctx), { stackLines: 6 })) passed++;
			else failed++;
		}
		await cluster.stop();
	} catch (e) {
		failed++;
		console.log(`FAIL suite: ${/** @type {Error} */ (e).stack ?? e}`);
	} finally {
		failed = await endSuite(tmp, failed, 'queue');
	}
	if (summary.length) console.log(`summary:\n  ${summary.join('\n  ')}`);
	console.log(`queue wall time ${secs(t0)}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

runSuite(main);
