// @ts-check
/**
 * Installs this package into an n8n user folder the two ways users do, from the tarball `npm pack`
 * makes (what npm would publish, nothing else):
 *
 * - `panel`: what Settings → Community Nodes does in n8n 2.41.1 (CommunityPackagesService
 *   `downloadPackage`): the tarball unpacked into `<user folder>/.n8n/nodes/node_modules/<name>`, its
 *   package.json stripped of devDependencies, peerDependencies and optionalDependencies, then
 *   `npm install` with n8n's flags inside that folder, and the package recorded in
 *   `.n8n/nodes/package.json`. The node then resolves `n8n-workflow` from n8n itself (n8n puts its own
 *   module paths on NODE_PATH).
 * - `manual`: what the README documents, `npm install n8n-nodes-akool --omit=peer` in `~/.n8n/nodes`
 *   (without `--omit=peer` npm would add a second n8n-workflow, ~145 MB, that the node would load).
 *
 * Either way n8n registers the node as `n8n-nodes-akool.akool` (AKOOL_NODE_TYPE).
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { projectRoot } from './env.mjs';

const run = promisify(execFile);

/** n8n 2.41.1's flags for the `npm install` inside an unpacked community package. */
const N8N_INSTALL_FLAGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/** The dependency kinds n8n's installer removes from the unpacked package.json. */
const STRIPPED_BY_N8N = ['devDependencies', 'peerDependencies', 'optionalDependencies'];

/** @type {Promise<string> | undefined} */
let packed;

/**
 * `npm pack` of the built project, once per process, into a temp folder removed at exit.
 * @returns {Promise<string>} the tarball's path
 */
export function packedTarball() {
	packed ??= (async () => {
		const nodeFile = path.join(projectRoot, 'dist', 'nodes', 'Akool', 'Akool.node.js');
		if (!existsSync(nodeFile)) {
			throw new Error(`${path.relative(projectRoot, nodeFile)} is missing: run \`npm run build\` first`);
		}
		const dest = await fsp.mkdtemp(path.join(os.tmpdir(), 'akool-pack-'));
		process.once('exit', () => rmSync(dest, { recursive: true, force: true }));
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: projectRoot });
		const [{ filename }] = JSON.parse(stdout);
		return path.join(dest, filename);
	})();
	return packed;
}

/** `<user folder>/.n8n/nodes`: n8n's `nodesDownloadDir`. @param {string} userFolder */
export const nodesFolder = (userFolder) => path.join(userFolder, '.n8n', 'nodes');

/**
 * @param {string} userFolder N8N_USER_FOLDER of the instance
 * @param {{ layout?: 'panel' | 'manual' }} [o]
 * @returns {Promise<string>} the installed package's folder
 */
export async function installPackage(userFolder, { layout = 'panel' } = {}) {
	const tarball = await packedTarball();
	const nodesDir = nodesFolder(userFolder);
	await fsp.mkdir(nodesDir, { recursive: true });
	const { name, version } = JSON.parse(await fsp.readFile(path.join(projectRoot, 'package.json'), 'utf8'));
	const packageDir = path.join(nodesDir, 'node_modules', name);
	if (layout === 'manual') {
		await run('npm', ['install', '--no-audit', '--no-fund', '--omit=peer', tarball], { cwd: nodesDir });
	} else {
		await unpackAsN8nDoes(tarball, packageDir);
		await recordDependency(nodesDir, name, version);
	}
	// Both layouts promise that the node runs on n8n's own n8n-workflow: no second copy beside it.
	const peerCopy = path.join(nodesDir, 'node_modules', 'n8n-workflow');
	if (existsSync(peerCopy)) throw new Error(`${layout} install left a second n8n-workflow in ${peerCopy}`);
	return packageDir;
}

/**
 * n8n 2.41.1's `downloadPackage` after its `npm pack`: unpack, strip the dependency kinds it strips,
 * `npm install` with its flags.
 * @param {string} tarball @param {string} packageDir
 */
async function unpackAsN8nDoes(tarball, packageDir) {
	await fsp.rm(packageDir, { recursive: true, force: true });
	await fsp.mkdir(packageDir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestFile = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(await fsp.readFile(manifestFile, 'utf8'));
	for (const kind of STRIPPED_BY_N8N) delete manifest[kind];
	await fsp.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
	await run('npm', ['install', ...N8N_INSTALL_FLAGS], { cwd: packageDir });
}

/**
 * n8n keeps `.n8n/nodes/package.json` listing what it installed (it writes one on first start).
 * @param {string} nodesDir @param {string} name @param {string} version
 */
async function recordDependency(nodesDir, name, version) {
	const file = path.join(nodesDir, 'package.json');
	const current = existsSync(file) ? JSON.parse(await fsp.readFile(file, 'utf8')) : { name: 'installed-nodes', private: true };
	current.dependencies = { ...current.dependencies, [name]: version };
	await fsp.writeFile(file, JSON.stringify(current, null, 2));
}
