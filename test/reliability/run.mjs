// @ts-check
/**
 * The fault, bad-input and secret matrix (issue 6): every row is a fault plan or a bad input, the
 * workflow Start → Items → Akool run in n8n's real engine with the BUILT node (dist/), against its own
 * fake Akool that knows one distinctive API key, and the expectation written in the row.
 *
 *   npm run build && node test/reliability/run.mjs [--only TEXT[,TEXT]] [--concurrency N]
 *
 * Prints the matrix (row, expected, observed, creates asked/received, items in/out, pass/fail), the
 * failures in full, then exactly `N passed, M failed` as its last line; exits 1 when any row failed.
 * Rows run concurrently (each has its own fake, so fault plans and records never mix); the
 * timing-sensitive cancel rows run afterwards, on a quiet event loop; the rows that need n8n's
 * filesystem binary data mode (the binary source) run last, after the switch (binary-kit.mjs says why).
 */
import { mkdtempSync } from 'node:fs';
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

const kit = await import('./row-kit.mjs');
const binaryKit = await import('./binary-kit.mjs');
const groups = await Promise.all(
	['create', 'result', 'download', 'input', 'guard', 'load', 'ops', 'binary'].map((name) => import(`./rows/${name}.mjs`)),
);
/** @type {import('./row-kit.mjs').Row[]} */
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
await kit.loadNode();
/** @type {Map<string, import('./row-kit.mjs').RowResult>} */
const results = new Map();
const record = async (/** @type {import('./row-kit.mjs').Row} */ row) => {
	const result = await kit.runRow(row);
	results.set(row.id, result);
	process.stderr.write(`${result.passed ? '.' : 'F'}`);
};
// The slow rows first, so that the fast ones fill the gaps around them.
const slowFirst = (/** @type {import('./row-kit.mjs').Row} */ row) => (row.group === 'load' ? 0 : /every try|always|no answer|stuck/.test(row.id) ? 1 : 2);
// n8n's binary data mode is one per process and switches one way: every row in memory mode (the
// engine's own) first, then the filesystem rows, after the switch, among themselves.
const filesystem = (/** @type {import('./row-kit.mjs').Row} */ row) => row.binaryMode === 'filesystem';
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

// ---------- the secrets rows: over the whole run ----------
/** @type {Array<{ id: string, text: string, leaks: string[], checked: string }>} */
const secretRows = [
	{ id: 'secrets: output items', text: 'key in no output item (JSON)', leaks: kit.leaksByCategory.output, checked: '' },
	{ id: 'secrets: binary file names', text: 'key in no binary file name', leaks: kit.leaksByCategory.fileName, checked: '' },
	{ id: 'secrets: errors', text: 'key in no error message/description/stack', leaks: kit.leaksByCategory.error, checked: '' },
	{ id: 'secrets: run data', text: 'key nowhere in the execution data', leaks: kit.leaksByCategory.runData, checked: '' },
	{ id: 'secrets: other hosts', text: 'key sent only to the API (x-api-key)', leaks: kit.leaksByCategory.requests, checked: '' },
	{
		id: 'secrets: log lines',
		text: 'key in no n8n log line',
		leaks: kit.logLines.filter((line) => line.includes(kit.API_KEY)).map((line) => kit.clip(line.replace(kit.API_KEY, '[KEY]'), 120)),
		checked: `${kit.logLines.length} log lines`,
	},
	{
		id: 'secrets: signed URL tokens',
		text: 'n8n link token in no output, error, run data, log',
		leaks: binaryKit.tokenLeaks(kit.logLines),
		checked: `${binaryKit.signedTokens.size} tokens, ${kit.logLines.length} log lines`,
	},
];

const all = [...results.values()];
secretRows[4].checked = `${kit.secretStats.cdnRequests} CDN + ${kit.secretStats.otherHostRequests} other-host requests`;
if (kit.secretStats.apiRequestsWithKey === 0 && rows.length > 0) {
	secretRows[4].leaks = [...secretRows[4].leaks, 'canary: no API request carried the key, so the scan proves nothing'];
}
if (binaryKit.signedTokens.size === 0 && rows.some((row) => filesystem(row) && (row.expect.creates ?? 0) > 0)) {
	secretRows[6].leaks = [...secretRows[6].leaks, 'canary: no signed URL reached the fake, so the scan proves nothing'];
}

// ---------- the table ----------
/** @param {string} text @param {number} width */
const cell = (text, width) => kit.clip(String(text).replace(/\s+/g, ' '), width).padEnd(width);
const COLUMNS = /** @type {const} */ ([
	['row', 38],
	['expected', 50],
	['observed', 58],
	['creates a/r', 16],
	['in/out', 8],
	['s', 5],
	['pass', 4],
]);
/** @param {string[]} values */
const line = (values) => values.map((value, i) => cell(value, COLUMNS[i][1])).join(' | ');

const tableLines = [line(COLUMNS.map(([name]) => name)), COLUMNS.map(([, width]) => '-'.repeat(width)).join('-+-')];
let passed = 0;
let failed = 0;
/** @type {string[]} */
const details = [];
for (const row of rows) {
	const result = results.get(row.id);
	if (!result) continue;
	if (result.passed) passed++;
	else failed++;
	tableLines.push(
		line([row.id, row.expect.text, result.observed, result.creates, result.itemsInOut, (result.ms / 1000).toFixed(1), result.passed ? 'pass' : 'FAIL']),
	);
	if (result.note) details.push(`note  ${row.id}: ${result.note}`);
	if (!result.passed) details.push(`FAIL  ${row.id}\n${result.failures.map((failure) => `      - ${failure}`).join('\n')}`);
}
for (const secret of secretRows) {
	const ok = secret.leaks.length === 0;
	if (ok) passed++;
	else failed++;
	tableLines.push(line([secret.id, secret.text, ok ? `clean (${secret.checked || `${all.length} rows`})` : `${secret.leaks.length} leak(s)`, '', '', '', ok ? 'pass' : 'FAIL']));
	if (!ok) details.push(`FAIL  ${secret.id}\n${secret.leaks.slice(0, 20).map((leak) => `      - ${leak}`).join('\n')}`);
}

// The last secrets row: nothing printed (so far, and in what is about to be printed) holds the key or a token.
const secrets = [kit.API_KEY, ...binaryKit.signedTokens];
const toPrint = [...tableLines, '', ...details].join('\n');
const printedLeak = secrets.some((secret) => written.some((chunk) => chunk.includes(secret)) || toPrint.includes(secret));
const printedRow = line([
	'secrets: printed lines',
	'key or link token in no line the matrix prints',
	printedLeak ? 'a secret is in the printed output (redacted)' : `clean (${toPrint.split('\n').length + written.length} lines/chunks)`,
	'',
	'',
	'',
	printedLeak ? 'FAIL' : 'pass',
]);
if (printedLeak) failed++;
else passed++;
const totalSeconds = ((Date.now() - started) / 1000).toFixed(1);
const output = [
	...tableLines,
	printedRow,
	'',
	...details,
	'',
	`matrix: ${rows.length + secretRows.length + 1} rows in ${totalSeconds} s (${os.cpus().length} CPUs, node ${process.version})`,
]
	.join('\n')
	.split(kit.API_KEY)
	.join('[REDACTED KEY]');
const redacted = [...binaryKit.signedTokens].reduce((text, token) => text.split(token).join('[REDACTED TOKEN]'), output);
process.stdout.write(`${redacted}\n${passed} passed, ${failed} failed\n`, () => process.exit(failed > 0 ? 1 : 0));
