// @ts-check
/**
 * The n8n CLI of an instance: any `n8n <args>`, credential and workflow import, `n8n execute --id
 * --rawOutput` under a hard timeout and its output parsed.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { e2ePaths } from './env.mjs';
import { tempDir } from './helpers.mjs';
import { runCommand } from './processes.mjs';

/**
 * Runs `n8n <args>` with the instance env; throws with the output when it fails.
 * @param {import('./env.mjs').N8nEnv} env @param {string[]} args @param {{ timeoutMs?: number }} [o]
 */
export async function n8n(env, args, o = {}) {
	const res = await runCommand(e2ePaths().n8n, args, { env, timeoutMs: o.timeoutMs ?? 120_000 });
	if (res.exitCode !== 0 || res.timedOut) {
		throw new Error(
			`n8n ${args.join(' ')} failed (exit ${res.exitCode}${res.signal ? ', ' + res.signal : ''}${res.timedOut ? ', timed out' : ''}):\n${res.stdout}\n${res.stderr}`,
		);
	}
	return res;
}

/**
 * @typedef {{ id: string, name: string, type: string, data: Record<string, unknown> }} CredentialImport
 */

/**
 * Imports credentials through n8n's encrypted store (`n8n import:credentials`). The plain `data`
 * object is encrypted by n8n with the instance's N8N_ENCRYPTION_KEY. The temp file is removed.
 * @param {import('./env.mjs').N8nEnv} env @param {CredentialImport[]} creds
 */
export async function importCredentials(env, creds) {
	const tmp = await tempDir('akool-e2e-cred-');
	try {
		const file = path.join(tmp.dir, 'credentials.json');
		await fsp.writeFile(file, JSON.stringify(creds), { mode: 0o600 });
		return await n8n(env, ['import:credentials', `--input=${file}`]);
	} finally {
		await fsp.rm(tmp.dir, { recursive: true, force: true });
	}
}

/**
 * Imports one workflow or an array of workflows (`n8n import:workflow`).
 * @param {import('./env.mjs').N8nEnv} env @param {object | object[]} workflowJson
 */
export async function importWorkflow(env, workflowJson) {
	const tmp = await tempDir('akool-e2e-wf-');
	try {
		const file = path.join(tmp.dir, 'workflows.json');
		await fsp.writeFile(file, JSON.stringify(Array.isArray(workflowJson) ? workflowJson : [workflowJson]));
		return await n8n(env, ['import:workflow', `--input=${file}`]);
	} finally {
		await fsp.rm(tmp.dir, { recursive: true, force: true });
	}
}

/**
 * @typedef {{ json: Record<string, any>, binary?: Record<string, any>, pairedItem?: any, error?: any }} ItemData
 * @typedef {{ startTime?: number, executionTime?: number, executionStatus?: string,
 *   data?: { main?: (ItemData[] | null)[] }, error?: any, source?: any }} TaskData
 * @typedef {{ exitCode: number | null, signal: string | null, timedOut: boolean, ms: number,
 *   status: string | undefined, runData: Record<string, TaskData[]>, error: any,
 *   lastNodeExecuted: string | undefined, startedAt: string | undefined, stoppedAt: string | undefined,
 *   raw: any, stdout: string, stderr: string }} ExecuteResult
 */

/**
 * Finds the JSON document printed by `--rawOutput`: it starts at the first line beginning with `{`
 * (log lines come before it). Returns undefined when there is none or it does not parse.
 * @param {string} stdout
 */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	const rest = lines.slice(start).join('\n');
	try {
		return JSON.parse(rest);
	} catch {
		// trailing noise after the document: cut at the last closing brace line
		const end = rest.lastIndexOf('\n}');
		if (end >= 0) {
			try {
				return JSON.parse(rest.slice(0, end + 2));
			} catch {
				/* fall through */
			}
		}
		return undefined;
	}
}

/**
 * `n8n execute --id=<id> --rawOutput` under a hard timeout, parsed (always at log level info, see
 * below). A failed execution exits 1 and its run is printed too. Don't trust `exitCode` alone:
 * a segfault (139) after a complete successful run has been seen; `status` comes from the JSON.
 * @param {import('./env.mjs').N8nEnv} env @param {string} id @param {{ timeoutMs?: number }} [o]
 * @returns {Promise<ExecuteResult>}
 */
export async function executeWorkflow(env, id, { timeoutMs = 180_000 } = {}) {
	// n8n 2.41.1 prints the run (and, on failure, the failed run) through its logger at level info:
	// with N8N_LOG_LEVEL=warn, `--rawOutput` prints nothing at all.
	const res = await runCommand(e2ePaths().n8n, ['execute', `--id=${id}`, '--rawOutput'], {
		env: { ...env, N8N_LOG_LEVEL: 'info' },
		timeoutMs,
		graceMs: 10_000,
	});
	return executionResult(res, parseRawOutput(res.stdout), res.stdout);
}

/**
 * The items one node output on its run `run` (default: the last run), output `output` (default 0).
 * @param {ExecuteResult} r @param {string} node @param {{ output?: number, run?: number }} [o]
 * @returns {ItemData[]}
 */
export function nodeItems(r, node, { output = 0, run } = {}) {
	const runs = r.runData[node];
	if (!runs || runs.length === 0) return [];
	const task = runs[run ?? runs.length - 1];
	return task?.data?.main?.[output] ?? [];
}

/**
 * What an `n8n execute --rawOutput` run says, from its process result and its parsed JSON (shared by
 * the e2e suite and the benchmark, which reads the JSON from a file).
 * @param {{ exitCode: number | null, signal: string | null, timedOut: boolean, ms: number, stderr: string }} res
 * @param {any} raw the parsed run (undefined when none was printed)
 * @param {string} stdout
 * @returns {ExecuteResult}
 */
export function executionResult(res, raw, stdout) {
	const resultData = raw?.data?.resultData ?? {};
	return {
		exitCode: res.exitCode,
		signal: res.signal,
		timedOut: res.timedOut,
		ms: res.ms,
		status: raw?.status ?? (raw ? (raw.finished ? 'success' : undefined) : undefined),
		runData: resultData.runData ?? {},
		error: resultData.error,
		lastNodeExecuted: resultData.lastNodeExecuted,
		startedAt: raw?.startedAt,
		stoppedAt: raw?.stoppedAt,
		raw,
		stdout,
		stderr: res.stderr,
	};
}
