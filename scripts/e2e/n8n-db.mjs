// @ts-check
/**
 * What an n8n instance stored: its executions, read from its database (sqlite or PostgreSQL) by
 * n8n-db.cjs under the e2e Node, and the files of its filesystem binary data.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';

import { e2ePaths, projectRoot } from './env.mjs';
import { until } from './helpers.mjs';
import { runCommand } from './processes.mjs';

/**
 * Where n8n keeps filesystem binary data for this instance, and the file behind a binary `id`
 * such as `filesystem-v2:workflows/<wf>/executions/<ex>/binary_data/<uuid>`.
 * @param {string} userFolder @param {string} binaryId
 * @returns {Promise<string | undefined>}
 */
export async function binaryFilePath(userFolder, binaryId) {
	const storage = path.join(userFolder, '.n8n', 'storage');
	const rel = binaryId.slice(binaryId.indexOf(':') + 1);
	const direct = path.join(storage, rel);
	if (existsSync(direct)) return direct;
	// fall back to a search by file name (layouts differ between binary-data mode versions)
	const name = path.basename(rel);
	/** @param {string} dir @returns {Promise<string | undefined>} */
	const walk = async (dir) => {
		let entries;
		try {
			entries = await fsp.readdir(dir, { withFileTypes: true });
		} catch {
			return undefined;
		}
		for (const e of entries) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) {
				const hit = await walk(p);
				if (hit) return hit;
			} else if (e.name === name) return p;
		}
		return undefined;
	};
	return walk(storage);
}

/**
 * @typedef {{ type: 'sqlite', file: string }
 *   | { type: 'postgresdb', host: string, port: number, user: string, database: string, password?: string }} DbSpec
 * @typedef {{ id: string, workflowId: string, mode: string, status: string, finished: boolean,
 *   startedAt: string | null, stoppedAt: string | null, waitTill: string | null,
 *   retryOf?: string | null, createdAt?: string }} ExecutionRow
 * @typedef {{ entity: ExecutionRow, data: any, metadata: Array<{ key: string, value: string }> }} Execution
 * @typedef {ExecutionRow & { lastNodeExecuted?: string, error?: any, metadata?: any,
 *   nodes?: Record<string, { status: string, error: any, items: { json: any, binary: any, pairedItem: any }[] }[]> }} ExecutionSummary
 */

/** Statuses of an execution that has not ended yet. */
const UNFINISHED = new Set(['new', 'running', 'waiting']);

/**
 * An n8n's executions, read from its database while it runs (sqlite or PostgreSQL), by
 * scripts/e2e/n8n-db.cjs under the e2e Node 24 with n8n's own `flatted` (and `pg`).
 */
export class N8nDb {
	/**
	 * @param {string} userFolder the instance's N8N_USER_FOLDER: its sqlite database is `<userFolder>/.n8n/database.sqlite`
	 * @param {DbSpec} [db] the database, when it is another one: `{ type: 'sqlite', file }`, or PostgreSQL's
	 *   `{ type: 'postgresdb', host, port, user, database, password? }` (the queue suite's AKOOL_QUEUE_DB=postgres)
	 */
	constructor(userFolder, db) {
		/** @type {DbSpec} */
		this.db = db ?? { type: 'sqlite', file: path.join(userFolder, '.n8n', 'database.sqlite') };
		this.script = path.join(projectRoot, 'scripts', 'e2e', 'n8n-db.cjs');
	}

	/** @param {Record<string, unknown>} request @returns {Promise<any>} */
	async #run(request) {
		const p = e2ePaths();
		const res = await runCommand(p.node, [this.script, JSON.stringify({ modules: p.n8nModules, db: this.db, ...request })], {
			env: { PATH: [p.nodeBin, '/usr/bin', '/bin'].join(path.delimiter) },
			cwd: projectRoot,
			timeoutMs: 60_000,
		});
		if (res.exitCode !== 0) {
			throw new Error(`n8n-db.cjs failed (exit ${res.exitCode}${res.timedOut ? ', timed out' : ''}): ${res.stderr.slice(0, 2000)}`);
		}
		return JSON.parse(res.stdout);
	}

	/**
	 * The executions of a workflow (of every workflow without `workflowId`), oldest first.
	 * @param {string} [workflowId] @returns {Promise<ExecutionRow[]>}
	 */
	async executions(workflowId) {
		return (await this.#run({ command: 'executions', workflowIds: workflowId === undefined ? [] : [workflowId] })).executions;
	}

	/**
	 * Executions by workflow and/or execution IDs, oldest first; `withData` adds each one's run data
	 * summed up (per node: status, error, items with binary data as mimeType, fileName, id, size).
	 * @param {{ workflowIds?: string[], executionIds?: string[], withData?: boolean }} q
	 * @returns {Promise<ExecutionSummary[]>}
	 */
	async find(q) {
		return (await this.#run({ command: 'executions', ...q })).executions;
	}

	/**
	 * One execution: its row, its run data (parsed), its custom data.
	 * @param {string} id @returns {Promise<Execution>}
	 */
	async execution(id) {
		return await this.#run({ command: 'execution', id: String(id) });
	}

	/**
	 * Polls until `check` returns a value (not undefined), every `everyMs`: helpers.mjs `until`, at hand for the suites that hold a database.
	 * @template T @param {() => Promise<T | undefined>} check @param {number} timeoutMs @param {string} what
	 * @param {number} [everyMs]
	 * @returns {Promise<T>}
	 */
	async until(check, timeoutMs, what, everyMs = 250) {
		return await until(check, timeoutMs, what, everyMs);
	}

	/**
	 * The row of an execution once it has ended (its status is no longer new, running or waiting).
	 * @param {string} workflowId @param {string} executionId @param {number} timeoutMs
	 * @param {{ what?: string, everyMs?: number }} [o] what the timeout error names; how often to read
	 * @returns {Promise<ExecutionRow>}
	 */
	async finished(workflowId, executionId, timeoutMs, { what = `execution ${executionId} to finish`, everyMs } = {}) {
		const id = String(executionId);
		return await this.until(
			async () => {
				const row = (await this.executions(workflowId)).find((r) => r.id === id);
				return row && !UNFINISHED.has(row.status) ? row : undefined;
			},
			timeoutMs,
			what,
			everyMs,
		);
	}
}
