// @ts-check
/**
 * The queue-mode cluster: one `n8n start` main, two `n8n worker` processes and one `n8n webhook`
 * process on 127.0.0.1, sharing the database, Redis, the encryption key and WEBHOOK_URL (the
 * webhook process); workers restarted or replaced with other settings.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { freePort, installPackage, startN8nProcess, untilWebhookServed } from '../../../scripts/e2e/n8n.mjs';
import { PATHS, WORKER_CONCURRENCY } from './settings.mjs';
import { stopTracked, track } from './tracking.mjs';

/**
 * @typedef {import('../../../scripts/e2e/n8n.mjs').Spawned} Spawned
 * @typedef {import('../../../scripts/e2e/n8n.mjs').N8nDb} N8nDb
 * @typedef {{ label: string, main: Spawned, workers: Spawned[], webhook: Spawned, webhookUrl: string, mainUrl: string,
 *   db: N8nDb, env: Record<string, string>, stop: () => Promise<void>, startMs: number,
 *   restartWorkers: (settings: Record<string, string>) => Promise<number>,
 *   replaceWorker: (index: number, settings: Record<string, string>) => Promise<number> }} Cluster
 */

/**
 * Starts main, then (in parallel) two workers and the webhook process, each with its own
 * task-runner broker port; the webhook process on its own N8N_PORT, and WEBHOOK_URL pointing at it
 * on every process.
 * @param {{ root: string, label: string, redisPort: number, baseEnv: Record<string, string>, db: N8nDb, extra?: Record<string, string> }} o
 * @returns {Promise<Cluster>}
 */
export async function startCluster({ root, label, redisPort, baseEnv, db, extra = {} }) {
	const t0 = Date.now();
	const logs = path.join(root, 'logs');
	await fsp.mkdir(logs, { recursive: true });
	// Each process has its own user folder (config, crash journal, event log) and its own copy of the
	// package, as on separate machines; they share the database, Redis, the key and WEBHOOK_URL.
	/** @param {string} name */
	const own = async (name) => {
		const userFolder = path.join(root, 'procs', `${label}-${name}`);
		await installPackage(userFolder);
		return { N8N_USER_FOLDER: userFolder };
	};
	const ports = new Set();
	const port = async () => {
		let p = await freePort();
		while (ports.has(p)) p = await freePort();
		ports.add(p);
		return p;
	};
	const [mainOwn, hookOwn] = await Promise.all(['main', 'webhook'].map(own));
	const [mainPort, mainBroker, webhookPort, webhookBroker] = await Promise.all(Array.from({ length: 4 }, () => port()));
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const common = {
		...baseEnv,
		...extra,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		WEBHOOK_URL: webhookUrl,
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		// no outbound lookups of n8n's MCP server registry (api.n8n.io) from a loopback-only test
		N8N_DISABLED_MODULES: 'mcp-registry',
	};
	const mainEnv = { ...common, ...mainOwn, N8N_PORT: String(mainPort), N8N_RUNNERS_BROKER_PORT: String(mainBroker) };
	const hookEnv = { ...common, ...hookOwn, N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(webhookBroker) };

	/** @type {Spawned[]} */
	const started = [];
	const stop = async () => {
		for (const p of [...started].reverse()) await stopTracked(p);
	};
	const start = async (/** @type {string} */ name, /** @type {Record<string,string>} */ env, /** @type {string[]} */ args, /** @type {string} */ healthUrl) => {
		const proc = await startN8nProcess(`n8n ${label} ${name}`, env, args, { logFile: path.join(logs, `${label}-${name}.log`), healthUrl });
		started.push(proc);
		track(proc);
		return proc;
	};
	/** A worker named `name` (its own folder and ports, health check on) with `settings` added. @param {string} name @param {Record<string, string>} settings */
	const startWorker = async (name, settings) => {
		const [o, broker, health] = await Promise.all([own(name), port(), port()]);
		const env = {
			...common,
			...o,
			N8N_RUNNERS_BROKER_PORT: String(broker),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(health),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			...settings,
		};
		return await start(name, env, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], `http://127.0.0.1:${health}/healthz/readiness`);
	};
	/** A name for a worker started later, unique to this start. @param {number} index */
	const laterWorkerName = (index) => `worker${index + 1}-${label}${Date.now().toString(36)}`;
	try {
		const main = await start('main', mainEnv, ['start'], `http://127.0.0.1:${mainPort}/healthz/readiness`);
		const [w1, w2, webhook] = await Promise.all([
			startWorker('worker1', {}),
			startWorker('worker2', {}),
			start('webhook', hookEnv, ['webhook'], `http://127.0.0.1:${webhookPort}/healthz/readiness`),
		]);
		// the webhook process serves the published workflows' production webhooks once it has loaded them
		await untilWebhookServed(`${webhookUrl}webhook/${PATHS.load}`, 30_000);
		/** @type {Cluster} */
		const cluster = {
			label,
			main,
			workers: [w1, w2],
			webhook,
			webhookUrl,
			mainUrl: `http://127.0.0.1:${mainPort}`,
			db,
			env: mainEnv,
			stop,
			startMs: Date.now() - t0,
			// Stops both workers (whatever is left of them) and starts two new ones with `settings` added:
			// Bull's job lock and stalled-job check run in the workers.
			restartWorkers: async (settings) => {
				const t1 = Date.now();
				for (const w of cluster.workers) await stopTracked(w);
				cluster.workers = await Promise.all([0, 1].map((i) => startWorker(laterWorkerName(i), settings)));
				return Date.now() - t1;
			},
			// Stops worker `index` (whatever is left of it) and starts a new one in its place.
			replaceWorker: async (index, settings) => {
				const t1 = Date.now();
				await stopTracked(cluster.workers[index]);
				cluster.workers[index] = await startWorker(laterWorkerName(index), settings);
				return Date.now() - t1;
			},
		};
		return cluster;
	} catch (e) {
		await stop();
		throw e;
	}
}
