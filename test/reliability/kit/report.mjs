// @ts-check
/**
 * The matrix's report: a table line per row (row, expected, observed, creates asked/received, items
 * in/out, seconds, pass/fail), the secrets rows over the whole run (the key and n8n's link tokens in
 * no output, error, run data, log line, request to another host, or printed line), the notes and
 * failures in full, and exactly `N passed, M failed` as the last line. Every secret is redacted from
 * what it prints.
 */
import os from 'node:os';

import { tokenLeaks, signedTokens } from '../binary-kit.mjs';
import { API_KEY } from './fake.mjs';
import { logLines } from './logs.mjs';
import { leaksByCategory, secretStats } from './secrets.mjs';
import { clip } from './text.mjs';

/** @typedef {import('./types.mjs').Row} Row @typedef {import('./types.mjs').RowResult} RowResult */

/**
 * @typedef {object} Run
 * @property {Row[]} rows the rows selected, in the table's order
 * @property {Map<string, RowResult>} results by row id
 * @property {string[]} written everything written to stdout and stderr so far
 * @property {number} started when the matrix started (ms)
 * @property {boolean} binaryRowsPaid a filesystem row was to make a job (so a signed URL must have reached the fake)
 */

/** @param {Run} run @returns {Array<{ id: string, text: string, leaks: string[], checked: string }>} */
function secretRows({ rows, binaryRowsPaid }) {
	const requests = {
		id: 'secrets: other hosts',
		text: 'key sent only to the API (x-api-key)',
		leaks: leaksByCategory.requests,
		checked: `${secretStats.cdnRequests} CDN + ${secretStats.otherHostRequests} other-host requests`,
	};
	// trigger rows send no API request: the canary needs a row that does
	if (secretStats.apiRequestsWithKey === 0 && rows.some((row) => !row.trigger)) {
		requests.leaks = [...requests.leaks, 'canary: no API request carried the key, so the scan proves nothing'];
	}
	const tokens = {
		id: 'secrets: signed URL tokens',
		text: 'n8n link token in no output, error, run data, log',
		leaks: tokenLeaks(logLines),
		checked: `${signedTokens.size} tokens, ${logLines.length} log lines`,
	};
	if (signedTokens.size === 0 && binaryRowsPaid) {
		tokens.leaks = [...tokens.leaks, 'canary: no signed URL reached the fake, so the scan proves nothing'];
	}
	return [
		{ id: 'secrets: output items', text: 'key in no output item (JSON)', leaks: leaksByCategory.output, checked: '' },
		{ id: 'secrets: binary file names', text: 'key in no binary file name', leaks: leaksByCategory.fileName, checked: '' },
		{ id: 'secrets: errors', text: 'key in no error message/description/stack', leaks: leaksByCategory.error, checked: '' },
		{ id: 'secrets: run data', text: 'key nowhere in the execution data', leaks: leaksByCategory.runData, checked: '' },
		{ id: 'secrets: webhook answers', text: 'key, Client ID in no answer of the Akool Trigger', leaks: leaksByCategory.answers, checked: '' },
		requests,
		{
			id: 'secrets: log lines',
			text: 'key in no n8n log line',
			leaks: logLines.filter((line) => line.includes(API_KEY)).map((line) => clip(line.replace(API_KEY, '[KEY]'), 120)),
			checked: `${logLines.length} log lines`,
		},
		tokens,
	];
}

/** @param {string} text @param {number} width */
const cell = (text, width) => clip(String(text).replace(/\s+/g, ' '), width).padEnd(width);
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

/** The whole report, secrets redacted, and whether any row failed. @param {Run} run @returns {{ text: string, failed: number }} */
export function report(run) {
	const { rows, results, written } = run;
	const secrets = secretRows(run);
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
	for (const secret of secrets) {
		const ok = secret.leaks.length === 0;
		if (ok) passed++;
		else failed++;
		tableLines.push(line([secret.id, secret.text, ok ? `clean (${secret.checked || `${results.size} rows`})` : `${secret.leaks.length} leak(s)`, '', '', '', ok ? 'pass' : 'FAIL']));
		if (!ok) details.push(`FAIL  ${secret.id}\n${secret.leaks.slice(0, 20).map((leak) => `      - ${leak}`).join('\n')}`);
	}

	// The last secrets row: nothing printed (so far, and in what is about to be printed) holds the key or a token.
	const secretTexts = [API_KEY, ...signedTokens];
	const toPrint = [...tableLines, '', ...details].join('\n');
	const printedLeak = secretTexts.some((secret) => written.some((chunk) => chunk.includes(secret)) || toPrint.includes(secret));
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
	const totalSeconds = ((Date.now() - run.started) / 1000).toFixed(1);
	const output = [
		...tableLines,
		printedRow,
		'',
		...details,
		'',
		`matrix: ${rows.length + secrets.length + 1} rows in ${totalSeconds} s (${os.cpus().length} CPUs, node ${process.version})`,
	]
		.join('\n')
		.split(API_KEY)
		.join('[REDACTED KEY]');
	const redacted = [...signedTokens].reduce((text, token) => text.split(token).join('[REDACTED TOKEN]'), output);
	return { text: `${redacted}\n${passed} passed, ${failed} failed\n`, failed };
}
