// @ts-check
/**
 * What the cluster needs before any n8n process starts: Redis, the database (sqlite, or PostgreSQL
 * with AKOOL_QUEUE_DB=postgres), the fake Akool, and the credential and workflows imported and
 * published through the n8n CLI.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import {
	AKOOL_CREDENTIAL_TYPE,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	n8n,
	N8nDb,
	n8nEnv,
	startFakeAkool,
	startPostgres,
	startRedis,
} from '../../../scripts/e2e/n8n.mjs';
import { API_KEY, CLIENT_ID, CRED, DB_KIND, USUAL_JOB_DURATION } from './settings.mjs';
import { track } from './tracking.mjs';
import { workflows } from './workflows.mjs';

/**
 * The database of every n8n process: its env and a reader (N8nDb) for the cases.
 * @param {string} root @param {string} userFolder
 * @returns {Promise<{ db: N8nDb, dbEnv: Record<string, string> }>}
 */
async function startDatabase(root, userFolder) {
	if (DB_KIND === 'postgres') {
		const pg = track(await startPostgres({ dir: path.join(root, 'pg') }));
		console.log(`queue: PostgreSQL on 127.0.0.1:${pg.port} (pid ${pg.pid})`);
		return { dbEnv: pg.env, db: new N8nDb(userFolder, { type: 'postgresdb', host: '127.0.0.1', port: pg.port, user: pg.user, database: pg.database }) };
	}
	const file = path.join(root, 'db', 'database.sqlite');
	await fsp.mkdir(path.dirname(file), { recursive: true });
	return { dbEnv: { DB_TYPE: 'sqlite', DB_SQLITE_DATABASE: file, DB_SQLITE_POOL_SIZE: '4' }, db: new N8nDb(userFolder, { type: 'sqlite', file }) };
}

/**
 * Starts Redis, the database and the fake Akool (each stopped by tracking.mjs), then imports and
 * publishes the credential and the workflows; prints one line each.
 * @param {string} root the run's temp folder @param {() => string} elapsed the time since the suite started
 */
export async function startServices(root, elapsed) {
	const userFolder = path.join(root, 'setup');
	await installPackage(userFolder);

	const redis = track(await startRedis({ dir: path.join(root, 'redis') }));
	console.log(`queue: redis-server on 127.0.0.1:${redis.port} (pid ${redis.pid}, no persistence)`);

	const { db, dbEnv } = await startDatabase(root, userFolder);

	const fake = await startFakeAkool({
		apiKey: API_KEY,
		args: ['--duration-ms', USUAL_JOB_DURATION.join('-'), '--callbacks', CLIENT_ID, '--callback-retry-ms', '1000'],
	});
	track({ name: 'fake-akool', stop: fake.stop, pid: fake.pid });
	console.log(`queue: fake Akool ${fake.baseUrl} (pid ${fake.pid})`);

	const encryptionKey = `akool-queue-${randomBytes(12).toString('hex')}`;
	const baseEnv = n8nEnv({ userFolder, port: 0, brokerPort: 0, encryptionKey, logLevel: 'info', extra: dbEnv });
	const setupEnv = { ...baseEnv, EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	await importCredentials(setupEnv, [{ ...CRED, type: AKOOL_CREDENTIAL_TYPE, data: { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: fake.baseUrl } }]);
	await importWorkflow(setupEnv, workflows);
	// published (activated) before any process starts; the webhook process serves them from the DB
	await Promise.all(workflows.map((wf) => n8n(setupEnv, ['publish:workflow', `--id=${wf.id}`])));
	console.log(`queue: ${DB_KIND} database, credential and ${workflows.length} workflows imported and published (${elapsed()})`);
	return { redis, db, fake, baseEnv };
}
