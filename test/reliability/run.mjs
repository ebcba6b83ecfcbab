// @ts-check
/**
 * The fault, bad-input and secret matrix (issue 6): every row is a fault plan or a bad input, the
 * workflow Start → Items → Akool run in n8n's real engine with the BUILT node (dist/), against its own
 * fake Akool that knows one distinctive API key, and the expectation written in the row; a trigger
 * row instead POSTs callbacks, genuine or forged, to the BUILT Akool Trigger's webhook (kit/trigger.mjs).
 *
 *   npm run build && node test/reliability/run.mjs [--only TEXT[,TEXT]] [--concurrency N]
 *
 * Prints the matrix (kit/report.mjs: row, expected, observed, creates asked/received, items in/out,
 * pass/fail), the failures in full, then exactly `N passed, M failed` as its last line; exits 1 when
 * any row failed. The rows are every file in rows/ (row-kit.mjs says how to write one).
 * Rows run concurrently (each has its own fake, so fault plans and records never mix); the
 * timing-sensitive cancel rows run afterwards, on a quiet event loop; the rows that need n8n's
 * filesystem binary data mode (the binary source) run last, after the switch (binary-kit.mjs says why).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

// n8n-core writes its settings under N8N_USER_FOLDER when first loaded: a throwaway folder, silent logs.
process.env.N8N_USER_FOLDER = mkdtempSync(path.join(os.tmpdir(), 'akool-reliability-'));
process.env.N8N_LOG_LEVEL = 'silent';

/** Everything written to stdout and stderr, scanned for the key at the end. */
const written = /** @type {string[]} */ ([]);
for (const stream of [process.stdout, process.stderr]) {
	const write = stream.write.bind(stream);
	stream.write = /** @type {any} */ (
		(/** @type {any} */ chunk, /** @type {any[]} */ ...rest) => {
			written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
			return write(chunk, ...rest);
		}
	);
}

const { values: flags } = parseArgs({
	options: { only: { type: 'string' }, concurrency: { type: 'string', default: '16' } },
	strict: true,
});

const { loadNode } = await import('./kit/workflow.mjs');
const { runRow } = await import('./kit/run-row.mjs');
const { report } = await import('./kit/report.mjs');
const binaryKit = await import('./binary-kit.mjs');

/** @typedef {import('./row-kit.mjs').Row} Row */

// Every file in rows/ is a group of rows (`export const rows`): the groups that were there first keep
// their place in the table, a new file comes after them (by name), with no edit here.
const FIRST = ['create', 'result', 'download', 'input', 'guard', 'load', 'ops', 'binary'];
const rowsFolder = new URL('./rows/', import.meta.url);
const rowFiles = readdirSync(rowsFolder)
	.filter((name) => name.endsWith('.mjs'))
	.map((name) => name.slice(0, -'.mjs'.length))
	.sort((a, b) => (FIRST.includes(a) ? FIRST.indexOf(a) : FIRST.length) - (FIRST.includes(b) ? FIRST.indexOf(b) : FIRST.length) || a.localeCompare(b));
const groups = await Promise.all(rowFiles.map((name) => import(new URL(`${name}.mjs`, rowsFolder).href)));
/** @type {Row[]} */
let rows = groups.flatMap((group) => group.rows);
const ids = new Set();
for (const row of rows) {
	if (ids.has(row.id)) throw new Error(`two rows are called "${row.id}"`);
	ids.add(row.id);
}
if (flags.only) {
	const wanted = flags.only.split(',').map((text) => text.trim().toLowerCase());
	rows = rows.filter((row) => wanted.some((text) => row.id.toLowerCase().includes(text) || row.group === text));
}

/**
 * Runs `tasks` at most `limit` at a time, in order.
 * @template T @param {T[]} tasks @param {number} limit @param {(task: T) => Promise<any>} run
 */
async function pool(tasks, limit, run) {
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) await run(tasks[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

const started = Date.now();
await loadNode();
/** @type {Map<string, import('./row-kit.mjs').RowResult>} */
const results = new Map();
const record = async (/** @type {Row} */ row) => {
	const result = await runRow(row);
	results.set(row.id, result);
	process.stderr.write(`${result.passed ? '.' : 'F'}`);
};
// The slow rows first, so that the fast ones fill the gaps around them.
const slowFirst = (/** @type {Row} */ row) => (row.group === 'load' ? 0 : /every try|always|no answer|stuck/.test(row.id) ? 1 : 2);
// n8n's binary data mode is one per process and switches one way: every row in memory mode (the
// engine's own) first, then the filesystem rows, after the switch, among themselves.
const filesystem = (/** @type {Row} */ row) => row.binaryMode === 'filesystem';
const busy = rows.filter((row) => !row.quiet && !filesystem(row)).sort((a, b) => slowFirst(a) - slowFirst(b));
await pool(busy, Number(flags.concurrency) || 16, record);
await pool(
	rows.filter((row) => row.quiet && !filesystem(row)),
	4,
	record,
);
if (rows.some(filesystem)) {
	await binaryKit.useFilesystemMode();
	await pool(rows.filter(filesystem), Number(flags.concurrency) || 16, record);
	await binaryKit.closeN8n();
}
process.stderr.write('\n');

const binaryRowsPaid = rows.some((row) => filesystem(row) && (row.expect.creates ?? 0) > 0);
const { text, failed } = report({ rows, results, written, started, binaryRowsPaid });
process.stdout.write(text, () => process.exit(failed > 0 ? 1 : 0));
