// @ts-check
/**
 * A throwaway PostgreSQL cluster for queue mode (test/queue/run.mjs, AKOOL_QUEUE_DB=postgres).
 */
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './helpers.mjs';
import { runCommand, spawnLogged, waitReady } from './processes.mjs';

/**
 * A throwaway PostgreSQL cluster from Debian's packages (`initdb` in `dir`, trust auth for user
 * `n8n`, TCP on 127.0.0.1 only, its Unix socket inside `dir`, no fsync), started on its own port,
 * one database created. PostgreSQL refuses to run as root: as root, the cluster is run as Debian's
 * `postgres` user (via runuser).
 * @param {{ dir: string, database?: string, port?: number, timeoutMs?: number }} o
 * @returns {Promise<import('./processes.mjs').Spawned & { port: number, user: string, database: string, env: Record<string, string> }>}
 */
export async function startPostgres({ dir, database = 'n8n', port, timeoutMs = 60_000 }) {
	const pgBinDir = (() => {
		for (const v of ['17', '16', '15', '14', '13']) {
			const d = `/usr/lib/postgresql/${v}/bin`;
			if (existsSync(path.join(d, 'postgres'))) return d;
		}
		return undefined;
	})();
	if (!pgBinDir) throw new Error('PostgreSQL server programs not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const runUser = asRoot ? 'postgres' : undefined;
	const wrap = (/** @type {string} */ cmd, /** @type {string[]} */ args) =>
		runUser ? { cmd: '/usr/sbin/runuser', args: ['-u', runUser, '--', cmd, ...args] } : { cmd, args };
	const data = path.join(dir, 'data');
	await fsp.mkdir(dir, { recursive: true });
	if (runUser) {
		await runCommand('/bin/chown', ['-R', `${runUser}:`, dir], { env: { PATH: '/usr/bin:/bin' }, cwd: dir, timeoutMs: 10_000 });
		await fsp.chmod(dir, 0o700);
		// `postgres` must be able to reach `dir`: the folders above it (e.g. a 0700 mkdtemp) get +x
		for (let up = path.dirname(dir); up !== path.dirname(up) && up.startsWith(os.tmpdir()) && up !== os.tmpdir(); up = path.dirname(up)) {
			const mode = (await fsp.stat(up)).mode & 0o777;
			await fsp.chmod(up, mode | 0o011);
		}
	}
	const env = { PATH: `${pgBinDir}:/usr/bin:/bin`, LANG: 'C', LC_ALL: 'C' };
	const init = wrap(path.join(pgBinDir, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '--no-sync', '-E', 'UTF8']);
	const initRes = await runCommand(init.cmd, init.args, { env, cwd: dir, timeoutMs: 60_000 });
	if (initRes.exitCode !== 0) throw new Error(`initdb failed:\n${initRes.stdout}\n${initRes.stderr}`);
	const pgPort = port ?? (await freePort());
	const srv = wrap(path.join(pgBinDir, 'postgres'), ['-D', data, '-p', String(pgPort), '-h', '127.0.0.1', '-k', dir,
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200']);
	const logFile = path.join(dir, 'postgres.log');
	if (runUser) await fsp.writeFile(logFile, '');
	const proc = await spawnLogged('postgres', srv.cmd, srv.args, { env, cwd: dir, logFile });
	try {
		const ready = path.join(pgBinDir, 'pg_isready');
		await waitReady(proc, async () => (await runCommand(ready, ['-h', '127.0.0.1', '-p', String(pgPort)], { env, cwd: dir, timeoutMs: 5_000 })).exitCode === 0, timeoutMs);
		const created = await runCommand(path.join(pgBinDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'n8n', database], { env, cwd: dir, timeoutMs: 20_000 });
		if (created.exitCode !== 0) throw new Error(`createdb failed:\n${created.stderr}`);
	} catch (e) {
		await proc.stop({ graceMs: 5_000 });
		throw e;
	}
	return {
		...proc,
		port: pgPort,
		user: 'n8n',
		database,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
	};
}
