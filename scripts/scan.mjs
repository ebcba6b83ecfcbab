// @ts-check
/**
 * The lint part of n8n's community-package scan (`npx @n8n/scan-community-package`), run locally and
 * offline, on the source AND on the `npm pack` tarball, exactly as the scanner's CLI does it after its
 * online steps.
 *
 * The CLI itself cannot run here: it requires the package to be published on npm with SLSA provenance
 * and downloads the attested source from GitHub. Its exported `analyzePackage(dir, patterns)` is the
 * ESLint step (community-nodes `recommended` rules + n8n-nodes-base community/credentials/nodes rules,
 * `no-console`, inline `eslint-disable` comments ignored) and needs no network. The CLI runs it twice:
 *   - on the source checkout with `SOURCE_FILE_PATTERNS` (package.json, {nodes,credentials}/**),
 *   - on the unpacked published tarball with `['**\/*.js', 'package.json']`.
 * This script does the same with this working tree and a tarball made by `npm pack`.
 *
 *   npm run build && node scripts/scan.mjs --no-build     (or just: node scripts/scan.mjs)
 *
 * Steps: `npm run build` (skipped with --no-build), `npm pack --ignore-scripts` into a temp folder,
 * unpack it, check that every file named in package.json's `n8n` field is in it, run analyzePackage
 * on the source and on the unpacked tarball. Prints `source: PASSED|FAILED` and
 * `tarball: PASSED|FAILED` with the ESLint report of a failure; exits 1 when either failed (2 when the
 * scan could not run at all).
 *
 * Where the scanner comes from: the devDependency `@n8n/scan-community-package` (pinned). Fallback
 * for a checkout without it: AKOOL_SCAN_PACKAGE=<folder of an installed @n8n/scan-community-package>,
 * e.g. `npm install --prefix /tmp/scan --ignore-scripts @n8n/scan-community-package@0.32.0` then
 * `AKOOL_SCAN_PACKAGE=/tmp/scan/node_modules/@n8n/scan-community-package node scripts/scan.mjs`.
 * Options: --no-build, --keep (keep the temp folder with the tarball), --json (one JSON line last).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNER_PACKAGE = '@n8n/scan-community-package';
const SCANNER_MODULE = 'scanner/scanner.mjs';
/** What the scanner's CLI lints in the published tarball (scanner.mjs, analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const args = new Set(process.argv.slice(2));
const BUILD = !args.has('--no-build');
const KEEP = args.has('--keep');
const JSON_OUT = args.has('--json');

/**
 * @typedef {{ passed: boolean, message?: string, details?: string, error?: unknown }} AnalysisResult
 * @typedef {{ analyzePackage: (dir: string, patterns?: string[]) => Promise<AnalysisResult>, SOURCE_FILE_PATTERNS: string[] }} Scanner
 */

/** @param {number} t0 */
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/**
 * Runs a command in the project, output captured; throws with it when the command fails.
 * @param {string} cmd @param {string[]} argv @param {string} [cwd]
 */
function run(cmd, argv, cwd = projectRoot) {
	const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.error) throw new Error(`${cmd} ${argv.join(' ')}: ${r.error.message}`);
	if (r.status !== 0) {
		throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}\n${r.stdout ?? ''}${r.stderr ?? ''}`.trim());
	}
	return r.stdout;
}

/**
 * The scanner's folder: the devDependency, else $AKOOL_SCAN_PACKAGE.
 * @returns {{ dir: string, version: string, via: string }}
 */
function findScanner() {
	const fromEnv = process.env.AKOOL_SCAN_PACKAGE;
	/** @type {string[]} */
	const tried = [];
	const candidates = [];
	try {
		const req = createRequire(path.join(projectRoot, 'package.json'));
		candidates.push({ dir: path.dirname(req.resolve(`${SCANNER_PACKAGE}/package.json`)), via: 'devDependency' });
	} catch {
		tried.push(`${SCANNER_PACKAGE} is not installed in ${projectRoot}/node_modules`);
	}
	if (fromEnv) candidates.push({ dir: path.resolve(fromEnv), via: 'AKOOL_SCAN_PACKAGE' });
	for (const c of candidates) {
		const pkgFile = path.join(c.dir, 'package.json');
		if (existsSync(pkgFile) && existsSync(path.join(c.dir, SCANNER_MODULE))) {
			const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
			if (pkg.name === SCANNER_PACKAGE) return { ...c, version: String(pkg.version) };
		}
		tried.push(`${c.via}: no ${SCANNER_PACKAGE} at ${c.dir}`);
	}
	throw new Error(
		`cannot find ${SCANNER_PACKAGE} (${tried.join('; ')}). Run \`npm install\` (it is a devDependency), ` +
			`or set AKOOL_SCAN_PACKAGE to the folder of an installed copy.`,
	);
}

/**
 * Imports scanner.mjs. It creates a temp folder with `tmp` when loaded (and never removes it): point
 * TMPDIR at our own temp folder meanwhile, so that folder goes when ours does.
 * @param {string} dir @param {string} tmpRoot @returns {Promise<Scanner>}
 */
async function loadScanner(dir, tmpRoot) {
	const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
	process.env.TMPDIR = process.env.TMP = process.env.TEMP = tmpRoot;
	try {
		const mod = await import(pathToFileURL(path.join(dir, SCANNER_MODULE)).href);
		if (typeof mod.analyzePackage !== 'function' || !Array.isArray(mod.SOURCE_FILE_PATTERNS)) {
			throw new Error(`${SCANNER_MODULE} in ${dir} does not export analyzePackage and SOURCE_FILE_PATTERNS`);
		}
		return mod;
	} finally {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	}
}

/**
 * `npm pack --ignore-scripts` into `dest`, unpacked into `dest/package`.
 * @param {string} dest @returns {Promise<{ tarball: string, dir: string, files: number, size: number }>}
 */
async function packAndUnpack(dest) {
	const out = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest]);
	const info = JSON.parse(out.slice(out.indexOf('[')))[0];
	const tarball = path.join(dest, info.filename);
	const dir = path.join(dest, 'package');
	await fsp.mkdir(dir);
	run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	return { tarball, dir, files: info.entryCount ?? info.files?.length ?? 0, size: info.size ?? 0 };
}

/**
 * Every node and credential file package.json's `n8n` field names must be in the tarball, or n8n
 * loads nothing: not part of n8n's scan, but the first thing a packing mistake breaks.
 * @param {string} dir @returns {string[]} missing paths
 */
function missingN8nFiles(dir) {
	const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (listed.length === 0) return ['package.json has no n8n.nodes / n8n.credentials'];
	return listed.filter((/** @type {string} */ f) => !existsSync(path.join(dir, f)));
}

/** @param {string} label @param {AnalysisResult} r @param {string} extra */
function report(label, r, extra) {
	console.log(`${label}: ${r.passed ? 'PASSED' : 'FAILED'}${r.message ? ` (${r.message})` : ''}${extra ? ` ${extra}` : ''}`);
	if (r.details) console.log(String(r.details).trimEnd());
	if (!r.passed && r.error && !r.details) console.log(String(/** @type {Error} */ (r.error).stack ?? r.error));
}

async function main() {
	const t0 = Date.now();
	const scanner = findScanner();
	const tmpRoot = await fsp.mkdtemp(path.join(os.tmpdir(), 'akool-scan-'));
	let ok = false;
	try {
		console.log(`scan: ${SCANNER_PACKAGE}@${scanner.version} (${scanner.via}), analyzePackage() offline`);
		if (BUILD) {
			const tb = Date.now();
			run('npm', ['run', 'build', '--silent']);
			console.log(`scan: npm run build (${secs(tb)})`);
		} else if (!existsSync(path.join(projectRoot, 'dist'))) {
			throw new Error('no dist/: run `npm run build` first, or drop --no-build');
		}
		const tp = Date.now();
		const packed = await packAndUnpack(tmpRoot);
		console.log(
			`scan: packed ${path.basename(packed.tarball)} (${packed.files} files, ${(packed.size / 1024).toFixed(1)} kB) (${secs(tp)})`,
		);
		const { analyzePackage, SOURCE_FILE_PATTERNS } = await loadScanner(scanner.dir, tmpRoot);

		const ts = Date.now();
		const source = await analyzePackage(projectRoot, SOURCE_FILE_PATTERNS);
		report('source', source, `[${SOURCE_FILE_PATTERNS.join(', ')}] (${secs(ts)})`);

		const tt = Date.now();
		const missing = missingN8nFiles(packed.dir);
		const lint = await analyzePackage(packed.dir, TARBALL_FILE_PATTERNS);
		/** @type {AnalysisResult} */
		const tarball = missing.length
			? {
					passed: false,
					message: `files named in package.json "n8n" are not in the tarball: ${missing.join(', ')}`,
					details: lint.details,
				}
			: lint;
		report('tarball', tarball, `[${TARBALL_FILE_PATTERNS.join(', ')}] (${secs(tt)})`);

		ok = source.passed && tarball.passed;
		console.log(`scan: ${ok ? 'PASSED' : 'FAILED'} (${secs(t0)})`);
		if (JSON_OUT) {
			console.log(
				JSON.stringify({
					scanner: `${SCANNER_PACKAGE}@${scanner.version}`,
					source: { passed: source.passed, message: source.message },
					tarball: { passed: tarball.passed, message: tarball.message, file: path.basename(packed.tarball) },
				}),
			);
		}
	} finally {
		if (KEEP) console.log(`scan: kept ${tmpRoot}`);
		else await fsp.rm(tmpRoot, { recursive: true, force: true });
	}
	process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
	console.log(`scan: could not run: ${e instanceof Error ? e.message : String(e)}`);
	process.exitCode = 2;
});
