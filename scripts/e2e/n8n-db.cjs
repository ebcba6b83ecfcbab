#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Reads a (running) n8n's executions from its database, read-only, for N8nDb in
 * scripts/e2e/n8n.mjs (the e2e suites, the queue suite, the benchmark). Runs under the Node 24 of
 * the e2e install: sqlite through its built-in node:sqlite, PostgreSQL through n8n's own `pg`;
 * execution data is parsed with n8n's own `flatted`. Prints one JSON document on stdout.
 *
 *   node24 scripts/e2e/n8n-db.cjs '<request JSON>'
 *
 * request: { modules: the n8n install's node_modules,
 *            db: { type: 'sqlite', file } | { type: 'postgresdb', host, port, user, database, password? },
 *            command: 'executions', workflowIds?: string[], executionIds?: string[], withData?: boolean }
 *          or { modules, db, command: 'execution', id: string }
 * answer:  executions → { executions: [{ id, workflowId, mode, status, finished, startedAt, stoppedAt,
 *            waitTill, retryOf, createdAt, and withData: lastNodeExecuted?, error?, metadata? (the run's),
 *            nodes?: { [name]: [{ status, error, items: [{ json, binary, pairedItem }] }] } }] }, by id
 *          execution  → { entity: that row, data: the parsed run data | null, metadata: [{ key, value }] }
 * Binary data in `nodes` is summarised (mimeType, fileName, id, bytes, fileSize): never the content.
 */
const path = require('node:path');
const { createRequire } = require('node:module');

/**
 * @typedef {{ type: 'sqlite', file: string }
 *   | { type: 'postgresdb', host: string, port: number, user: string, database: string, password?: string }} DbSpec
 * @typedef {{ all: (sql: string) => Promise<any[]>, close: () => Promise<void> }} Connection
 */

/** @param {DbSpec} db @param {NodeRequire} need @returns {Promise<Connection>} */
async function connect(db, need) {
	if (db.type === 'sqlite') {
		// node:sqlite prints an ExperimentalWarning on Node 24: keep stderr for real errors.
		process.removeAllListeners('warning');
		const { DatabaseSync } = require('node:sqlite');
		// n8n's processes write meanwhile: wait for their locks rather than fail
		const conn = new DatabaseSync(db.file, { readOnly: true, timeout: 10_000 });
		return { all: async (sql) => conn.prepare(sql).all(), close: async () => conn.close() };
	}
	const { Client } = need('pg');
	const client = new Client({ host: db.host, port: db.port, user: db.user, database: db.database, password: db.password || undefined });
	await client.connect();
	return { all: async (sql) => (await client.query(sql)).rows, close: async () => await client.end() };
}

/** A SQL string literal. @param {unknown} value */
const literal = (value) => `'${String(value).replace(/'/g, "''")}'`;

/** @param {{ workflowIds?: string[], executionIds?: string[], withData?: boolean }} q */
function executionsSql(q) {
	const where = [];
	if (q.workflowIds?.length) where.push(`e."workflowId" IN (${q.workflowIds.map(literal).join(',')})`);
	if (q.executionIds?.length) where.push(`e.id IN (${q.executionIds.map(literal).join(',')})`);
	return `SELECT e.id, e."workflowId", e.mode, e.status, e.finished, e."startedAt", e."stoppedAt", e."waitTill", e."retryOf", e."createdAt"${
		q.withData ? ', d.data' : ''
	} FROM execution_entity e${q.withData ? ' LEFT JOIN execution_data d ON d."executionId" = e.id' : ''}${
		where.length ? ` WHERE ${where.join(' AND ')}` : ''
	} ORDER BY e.id`;
}

/** One row as the callers see it, whatever the database. @param {any} r */
function executionRow(r) {
	return {
		id: String(r.id),
		workflowId: r.workflowId,
		mode: r.mode,
		status: r.status,
		finished: Boolean(r.finished),
		startedAt: r.startedAt,
		stoppedAt: r.stoppedAt,
		waitTill: r.waitTill,
		retryOf: r.retryOf,
		createdAt: r.createdAt,
	};
}

/** @param {any} b */
function binarySummary(b) {
	if (!b || typeof b !== 'object') return b;
	/** @type {Record<string, any>} */
	const out = {};
	for (const [k, v] of Object.entries(b)) {
		out[k] = v && typeof v === 'object' ? { mimeType: v.mimeType, fileName: v.fileName, id: v.id, bytes: v.bytes, fileSize: v.fileSize } : v;
	}
	return out;
}

/** @param {any} err */
function errorSummary(err) {
	if (!err) return undefined;
	return { message: err.message, description: err.description, name: err.name, node: err.node?.name };
}

/** The run data of one execution, summed up. @param {any} data the parsed run data */
function runSummary(data) {
	const rd = data?.resultData ?? {};
	/** @type {Record<string, any[]>} */
	const nodes = {};
	for (const [name, runs] of Object.entries(rd.runData ?? {})) {
		nodes[name] = /** @type {any[]} */ (runs).map((t) => ({
			status: t.executionStatus,
			error: errorSummary(t.error),
			items: (t.data?.main?.[0] ?? []).map((/** @type {any} */ it) => ({ json: it.json, binary: binarySummary(it.binary), pairedItem: it.pairedItem })),
		}));
	}
	return { lastNodeExecuted: rd.lastNodeExecuted, error: errorSummary(rd.error), metadata: rd.metadata, nodes };
}

/** @param {any} req @param {Connection} conn @param {(text: string) => any} parse */
async function answer(req, conn, parse) {
	if (req.command === 'executions') {
		const rows = await conn.all(executionsSql(req));
		const executions = rows.map((r) => ({ ...executionRow(r), ...(req.withData && r.data ? runSummary(parse(r.data)) : {}) }));
		return { executions };
	}
	if (req.command === 'execution') {
		const [entity] = (await conn.all(executionsSql({ executionIds: [req.id] }))).map(executionRow);
		const [row] = await conn.all(`SELECT data FROM execution_data WHERE "executionId" = ${literal(req.id)}`);
		const metadata = await conn.all(`SELECT key, value FROM execution_metadata WHERE "executionId" = ${literal(req.id)}`);
		return { entity, data: row ? parse(row.data) : null, metadata };
	}
	throw new Error(`unknown command ${req.command}`);
}

async function main() {
	const req = JSON.parse(process.argv[2] ?? '{}');
	if (!req.modules) throw new Error('the request names no n8n node_modules');
	// n8n's own copies, as n8n resolves them
	const need = createRequire(path.join(req.modules, 'n8n', 'package.json'));
	const { parse } = need('flatted');
	const conn = await connect(req.db, need);
	try {
		process.stdout.write(JSON.stringify(await answer(req, conn, parse)));
	} finally {
		await conn.close();
	}
}

main().catch((e) => {
	process.stderr.write(`n8n-db.cjs: ${e instanceof Error ? e.stack : e}\n`);
	process.exit(1);
});
