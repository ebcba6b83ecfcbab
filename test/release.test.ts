/**
 * The release: what `npm pack` puts in the tarball that n8n installs (dist/ and npm's own files,
 * every file n8n's loader opens), the GitHub Actions workflows that test and publish it
 * (.github/workflows), the release scripts of package.json, and CHANGELOG.md.
 * Needs dist/: `npm test` builds first; run alone, this file builds when dist/ lacks a file of
 * package.json's "n8n" block.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
 * a test, never packed (its first case proves it): it reads files and runs npm, which n8n's rules
 * for node code forbid. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { parse } from 'yaml';

import { loadBuiltPackage } from './harness/engine';
import { packageRoot } from './harness/paths';

interface PackageJson {
	name: string;
	version: string;
	files: string[];
	scripts: Record<string, string>;
	n8n: { credentials: string[]; nodes: string[] };
}

/** One entry of `npm pack --dry-run --json`. */
interface PackResult {
	name: string;
	version: string;
	files: Array<{ path: string; size: number }>;
	bundled: string[];
}

interface WorkflowStep {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, string>;
	env?: Record<string, string>;
}

interface Workflow {
	on: Record<string, { branches?: string[]; tags?: string[] } | null>;
	permissions?: Record<string, string>;
	jobs: Record<string, { permissions?: Record<string, string>; steps: WorkflowStep[] }>;
}

const readText = (file: string) => readFileSync(join(packageRoot, file), 'utf8');
const pkg = JSON.parse(readText('package.json')) as PackageJson;
const n8nFiles = [...pkg.n8n.credentials, ...pkg.n8n.nodes];

/** The files outside dist/ that npm always packs, whatever "files" says. */
const NPM_OWN_FILES = ['LICENSE', 'README.md', 'package.json'];

describe('what npm pack ships', () => {
	let pack: PackResult;
	let paths: Set<string>;

	beforeAll(() => {
		if (!n8nFiles.every((file) => existsSync(join(packageRoot, file)))) {
			execFileSync('npm', ['run', 'build', '--silent'], { cwd: packageRoot, stdio: 'inherit' });
		}
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: packageRoot,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		pack = (JSON.parse(out) as PackResult[])[0];
		paths = new Set(pack.files.map((file) => file.path));
	}, 120000);

	it('is this package, with dist/ and npm’s own files only: no sources, tests or tooling', () => {
		expect(pack).toMatchObject({ name: pkg.name, version: pkg.version, bundled: [] });
		expect(pkg.files).toEqual(['dist']);
		const outsideDist = [...paths].filter((path) => !path.startsWith('dist/')).sort();
		// CHANGELOG.md only if npm starts packing it; README.md, LICENSE and package.json always.
		expect(outsideDist.filter((path) => path !== 'CHANGELOG.md')).toEqual(NPM_OWN_FILES);
		const unexpected = [...paths].filter(
			(path) =>
				path.startsWith('dist/') &&
				!/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|js\.map|svg|node\.json)$/.test(path),
		);
		expect(unexpected).toEqual([]);
		const testsOrTools = [...paths].filter((path) =>
			/(^|\/)(test|tests|__tests__|harness|fake-akool|scripts|bench|examples|docs|node_modules)\/|\.test\.|\.spec\./.test(
				path,
			),
		);
		expect(testsOrTools).toEqual([]);
	});

	it('ships compiled JavaScript with declarations and source maps, but no TypeScript source', () => {
		const ts = [...paths].filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
		expect(ts).toEqual([]);
		const maps = [...paths].filter((path) => path.endsWith('.js.map'));
		expect(maps.length).toBeGreaterThan(0);
		for (const map of maps) {
			expect(paths).toContain(map.slice(0, -'.map'.length));
			// A map with sourcesContent would carry the TypeScript source inside the tarball.
			expect(JSON.parse(readText(map))).not.toHaveProperty('sourcesContent');
		}
	});

	it('ships every file package.json’s "n8n" block names, and the codex file of each node that has one', () => {
		expect(n8nFiles.filter((file) => !paths.has(file))).toEqual([]);
		expect(paths).toContain('dist/nodes/Akool/Akool.node.json');
		for (const node of pkg.n8n.nodes) {
			const codexSource = node.replace(/^dist\//, '').replace(/\.js$/, '.json');
			if (existsSync(join(packageRoot, codexSource))) expect(paths).toContain(`dist/${codexSource}`);
		}
		const codex = JSON.parse(readText('dist/nodes/Akool/Akool.node.json')) as { node: string };
		expect(codex.node).toBe(`${pkg.name}.akool`);
	});

	it('ships the light and dark icon of every node and credential, where n8n’s loader looks for them', async () => {
		const loader = await loadBuiltPackage(packageRoot);
		const icons = [
			...Object.keys(loader.nodeTypes).map((name) => ({
				name,
				iconUrl: (loader.getNode(name).type as INodeType).description.iconUrl,
			})),
			...Object.keys(loader.credentialTypes).map((name) => ({
				name,
				iconUrl: (loader.getCredential(name).type as ICredentialType).iconUrl,
			})),
		];
		expect(icons.map(({ name }) => name).sort()).toEqual(['akool', 'akoolApi', 'akoolTrigger']);
		const prefix = `icons/${pkg.name}/`;
		for (const { name, iconUrl } of icons) {
			expect({ name, iconUrl }).toEqual({
				name,
				iconUrl: { light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.dark\.svg$/) },
			});
			for (const url of Object.values(iconUrl as Record<string, string>)) {
				expect(url.startsWith(prefix)).toBe(true);
				expect(paths).toContain(url.slice(prefix.length));
			}
		}
		expect(paths).toContain('dist/nodes/Akool/akool.svg');
		expect(paths).toContain('dist/nodes/Akool/akool.dark.svg');
	});
});

describe('the release scripts', () => {
	const n8nNode = join(packageRoot, 'node_modules', '.bin', 'n8n-node');

	it('are the starter’s: release runs n8n-node release, prepublishOnly n8n-node prerelease', () => {
		expect(pkg.scripts.release).toBe('n8n-node release');
		expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
	});

	it('include no other lifecycle script (n8n’s scan refuses install-time scripts)', () => {
		const lifecycle = new Set([
			...['preinstall', 'install', 'postinstall', 'dependencies', 'prepublish', 'preprepare', 'prepare'],
			...['postprepare', 'prepack', 'pack', 'postpack', 'prepublishOnly', 'publish', 'postpublish'],
			...['preversion', 'version', 'postversion', 'preuninstall', 'uninstall', 'postuninstall'],
			...['preshrinkwrap', 'shrinkwrap', 'postshrinkwrap'],
		]);
		const names = Object.keys(pkg.scripts);
		const implicit = names.filter(
			(name) =>
				lifecycle.has(name) ||
				names.some((other) => name === `pre${other}` || name === `post${other}`),
		);
		expect(implicit).toEqual(['prepublishOnly']);
	});

	it('n8n-node prerelease refuses a publish unless RELEASE_MODE is set, as n8n-node release sets it', () => {
		const env = { ...process.env };
		delete env.RELEASE_MODE;
		const refused = spawnSync(n8nNode, ['prerelease'], { cwd: packageRoot, env, encoding: 'utf8' });
		expect(refused.status).toBe(1);
		expect(refused.stdout).toContain('Run `npm run release` to publish the package');
		const allowed = spawnSync(n8nNode, ['prerelease'], {
			cwd: packageRoot,
			env: { ...env, RELEASE_MODE: 'true' },
			encoding: 'utf8',
		});
		expect(allowed.status).toBe(0);
	}, 30000);
});

describe('the GitHub Actions workflows', () => {
	const workflow = (name: string) => parse(readText(`.github/workflows/${name}`)) as Workflow;
	const stepsOf = (flow: Workflow) => Object.values(flow.jobs).flatMap((job) => job.steps);
	/** Index of the first step that uses `action` or whose run script has a line equal to `command`. */
	const stepIndex = (steps: WorkflowStep[], match: { uses?: string; run?: string }) =>
		steps.findIndex((step) =>
			match.uses
				? step.uses?.startsWith(`${match.uses}@`)
				: step.run?.split('\n').some((line) => line.trim() === match.run),
		);
	const expectInOrder = (steps: WorkflowStep[], matches: Array<{ uses?: string; run?: string }>) => {
		const indexes = matches.map((match) => ({ ...match, index: stepIndex(steps, match) }));
		expect(indexes.filter((entry) => entry.index < 0)).toEqual([]);
		expect(indexes.map((entry) => entry.index)).toEqual([...indexes.map((entry) => entry.index)].sort((a, b) => a - b));
	};
	/** GitHub's tag filter glob: `*` is any run of characters but `/`. */
	const globMatches = (glob: string, ref: string) =>
		new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(ref);

	it('both parse as YAML, and every `npm run` they use is a script of package.json', () => {
		for (const name of ['ci.yml', 'publish.yml']) {
			const runs = stepsOf(workflow(name)).flatMap((step) => step.run?.split('\n') ?? []);
			const scripts = runs.flatMap((line) => [...line.matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1]));
			expect(scripts.length).toBeGreaterThan(0);
			expect(scripts.filter((script) => !(script in pkg.scripts))).toEqual([]);
		}
	});

	it('ci.yml: on pushes to main and pull requests, checkout, setup-node, npm ci, lint, type-check, test', () => {
		const ci = workflow('ci.yml');
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on.push?.branches).toEqual(['main']);
		expect(ci.permissions).toEqual({ contents: 'read' });
		const steps = stepsOf(ci);
		expectInOrder(steps, [
			{ uses: 'actions/checkout' },
			{ uses: 'actions/setup-node' },
			{ run: 'npm ci' },
			{ run: 'npm run lint' },
			{ run: 'npm run typecheck' },
			{ run: 'npm test' },
		]);
		expect(steps[stepIndex(steps, { uses: 'actions/setup-node' })].with?.cache).toBe('npm');
	});

	it('publish.yml: on version tags only, id-token: write and contents: read, tested, then n8n-node release with provenance', () => {
		const publish = workflow('publish.yml');
		expect(Object.keys(publish.on)).toEqual(['push']);
		expect(publish.on.push).toEqual({ tags: ['*.*.*'] });
		for (const ref of [pkg.version, '1.2.3', '2.0.0-rc.1']) expect(globMatches('*.*.*', ref)).toBe(true);
		for (const ref of ['main', 'release']) expect(globMatches('*.*.*', ref)).toBe(false);

		const jobs = Object.values(publish.jobs);
		expect(jobs).toHaveLength(1);
		expect(jobs[0].permissions ?? publish.permissions).toEqual({ 'id-token': 'write', contents: 'read' });

		const steps = jobs[0].steps;
		expectInOrder(steps, [
			{ uses: 'actions/checkout' },
			{ uses: 'actions/setup-node' },
			{ run: 'npm ci' },
			{ run: 'npm run typecheck' },
			{ run: 'npm test' },
			{ run: 'npm run release' },
		]);
		// npm trusted publishing needs npm 11.5.1 or later.
		expect(steps.some((step) => step.run?.includes('npm install --global npm@^11.5.1'))).toBe(true);
		const release = steps[stepIndex(steps, { run: 'npm run release' })];
		expect(release.env).toEqual({
			// The GitHub expression, not the `$` that node-cli 0.48.3's --init-workflow writes (n8n-io/n8n#37932).
			NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
			NPM_CONFIG_PROVENANCE: 'true',
		});
	});

	it('publish.yml refuses a tag that is not package.json’s version', () => {
		const check = workflow('publish.yml').jobs.publish.steps.find((step) => step.run?.includes('GITHUB_REF_NAME'));
		expect(check?.run).toBeDefined();
		const runWithTag = (tag: string) =>
			spawnSync('bash', ['-e', '-c', check?.run ?? ''], {
				cwd: packageRoot,
				env: { ...process.env, GITHUB_REF_NAME: tag },
				encoding: 'utf8',
			});
		expect(runWithTag(pkg.version).status).toBe(0);
		const wrong = runWithTag('9.9.9');
		expect(wrong.status).toBe(1);
		expect(wrong.stdout).toContain(`tag 9.9.9 is not package.json's version ${pkg.version}`);
	});
});

describe('CHANGELOG.md', () => {
	const changelog = readText('CHANGELOG.md');

	it('has an Unreleased section and one for package.json’s version', () => {
		expect(changelog).toMatch(/^## \[Unreleased\]$/m);
		expect(changelog).toMatch(new RegExp(`^#+ \\[?${pkg.version.replace(/\./g, '\\.')}\\]?`, 'm'));
	});

	it('starts with auto-changelog’s marker, so that `npm run release` adds to it instead of replacing it', () => {
		expect(changelog.startsWith('<!-- auto-changelog-above -->\n')).toBe(true);
	});
});
