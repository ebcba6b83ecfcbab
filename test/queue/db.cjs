#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Reads n8n's executions from its database with n8n's OWN drivers (sqlite3 / pg, found in the n8n
 * install given by N8N_MODULES) and n8n's own `flatted`, and prints one JSON document on stdout.
 * Run with the Node 24 of the e2e install (the sqlite3 binding is built for it):
 *
 *   N8N_MODULES=<n8n>/node_modules node24 test/queue/db.cjs '<request JSON>'
 *
 * request: { db: { type: 'sqlite', file } | { type: 'postgresdb', host, port, user, database },
 *            workflowIds?: string[], executionIds?: string[], withData?: boolean }
 * answer:  { executions: [{ id, workflowId, status, mode, finished, startedAt, stoppedAt, retryOf,
 *            waitTill, lastNodeExecuted?, error?, nodes?: { [name]: [{ status, error, items: [{ json, binary, pairedItem }] }] },
 *            metadata? }] }
 * Binary data is summarised (mimeType, fileName, id, bytes): never the content.
 */
const path = require('node:path');

const modules = process.env.N8N_MODULES;
if (!modules) throw new Error('N8N_MODULES is not set');
const need = (/** @type {string} */ name) => require(path.join(modules, name));

/** @param {any} req */
async function query(req, /** @type {string} */ sql) {
	if (req.db.type === 'sqlite') {
		const sqlite3 = need('sqlite3');
		const db = new sqlite3.Database(req.db.file, sqlite3.OPEN_READONLY);
		try {
			await new Promise((resolve, reject) => db.run('PRAGMA busy_timeout = 10000', (/** @type {any} */ e) => (e ? reject(e) : resolve(undefined))));
			return await new Promise((resolve, reject) => db.all(sql, (/** @type {any} */ e, /** @type {any[]} */ rows) => (e ? reject(e) : resolve(rows))));
		} finally {
			db.close();
		}
	}
	const { Client } = need('pg');
	const client = new Client({ host: req.db.host, port: req.db.port, user: req.db.user, database: req.db.database, password: req.db.password || undefined });
	await client.connect();
	try {
		return (await client.query(sql)).rows;
	} finally {
		await client.end();
	}
}

/** @param {string[]} ids */
const inList = (ids) => ids.map((id) => `'${String(id).replace(/'/g, "''")}'`).join(',');

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

async function main() {
	const req = JSON.parse(process.argv[2] ?? '{}');
	const where = [];
	if (req.workflowIds?.length) where.push(`e."workflowId" IN (${inList(req.workflowIds)})`);
	if (req.executionIds?.length) where.push(`e.id IN (${inList(req.executionIds)})`);
	const sql = `SELECT e.id, e."workflowId", e.status, e.mode, e.finished, e."startedAt", e."stoppedAt", e."retryOf", e."waitTill"${
		req.withData ? ', d.data' : ''
	} FROM execution_entity e${req.withData ? ' LEFT JOIN execution_data d ON d."executionId" = e.id' : ''}${
		where.length ? ` WHERE ${where.join(' AND ')}` : ''
	} ORDER BY e.id`;
	const rows = await query(req, sql);
	const { parse } = need('flatted');
	const executions = rows.map((/** @type {any} */ r) => {
		/** @type {Record<string, any>} */
		const e = {
			id: String(r.id),
			workflowId: r.workflowId,
			status: r.status,
			mode: r.mode,
			finished: Boolean(r.finished),
			startedAt: r.startedAt,
			stoppedAt: r.stoppedAt,
			retryOf: r.retryOf,
			waitTill: r.waitTill,
		};
		if (req.withData && r.data) {
			const data = parse(r.data);
			const rd = data?.resultData ?? {};
			e.lastNodeExecuted = rd.lastNodeExecuted;
			e.error = errorSummary(rd.error);
			e.metadata = rd.metadata;
			e.nodes = {};
			for (const [name, runs] of Object.entries(rd.runData ?? {})) {
				e.nodes[name] = /** @type {any[]} */ (runs).map((t) => ({
					status: t.executionStatus,
					error: errorSummary(t.error),
					items: (t.data?.main?.[0] ?? []).map((/** @type {any} */ it) => ({ json: it.json, binary: binarySummary(it.binary), pairedItem: it.pairedItem })),
				}));
			}
		}
		return e;
	});
	process.stdout.write(JSON.stringify({ executions }));
}

main().catch((e) => {
	process.stderr.write(`db.cjs: ${e instanceof Error ? e.stack : e}\n`);
	process.exit(1);
});
