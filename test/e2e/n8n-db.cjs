// @ts-check
'use strict';
/**
 * Reads a (running) n8n's sqlite database, read-only, for test/e2e/callbacks.mjs. Runs under the
 * e2e's Node 24 (built-in node:sqlite); execution data is parsed with n8n's own `flatted`.
 *   node n8n-db.cjs <database.sqlite> <n8n node_modules> executions [workflowId]
 *   node n8n-db.cjs <database.sqlite> <n8n node_modules> execution <id>
 * Prints one JSON document on stdout.
 */
const path = require('node:path');
const { createRequire } = require('node:module');
// node:sqlite prints an ExperimentalWarning on Node 24: keep stderr for real errors.
process.removeAllListeners('warning');
const { DatabaseSync } = require('node:sqlite');

const [dbFile, n8nModules, command, arg] = process.argv.slice(2);
const flatted = createRequire(path.join(n8nModules, 'n8n', 'package.json'))('flatted');
const db = new DatabaseSync(dbFile, { readOnly: true });

const COLUMNS = 'id, workflowId, mode, status, finished, startedAt, stoppedAt, waitTill, createdAt';

try {
	let out;
	if (command === 'executions') {
		out = arg
			? db.prepare(`SELECT ${COLUMNS} FROM execution_entity WHERE workflowId = ? ORDER BY id`).all(arg)
			: db.prepare(`SELECT ${COLUMNS} FROM execution_entity ORDER BY id`).all();
	} else if (command === 'execution') {
		const entity = db.prepare(`SELECT ${COLUMNS} FROM execution_entity WHERE id = ?`).get(arg);
		const row = /** @type {{ data: string } | undefined} */ (
			db.prepare('SELECT data FROM execution_data WHERE executionId = ?').get(arg)
		);
		const metadata = db.prepare('SELECT key, value FROM execution_metadata WHERE executionId = ?').all(arg);
		out = { entity, data: row ? flatted.parse(row.data) : null, metadata };
	} else {
		throw new Error(`unknown command ${command}`);
	}
	process.stdout.write(JSON.stringify(out));
} finally {
	db.close();
}
