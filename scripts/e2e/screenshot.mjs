// @ts-check
/**
 * Takes the README's screenshot: the Akool node's panel (Image > Generate) open in a REAL n8n 2.41.1
 * editor, with headless Chromium from Debian (`apt-get install -y chromium`) driven by playwright-core
 * (installed under the e2e home folder, NOT in the project). Starts its own stack (fake Akool + n8n on
 * a free port, see scripts/n8n-editor.mjs) and stops it at the end.
 *
 *   npm run build && npm run e2e:setup && node scripts/e2e/screenshot.mjs [--out FILE] [--no-execute]
 *
 * By default it also clicks "Execute step" so the output side shows the two generated images' items.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEMO_WORKFLOW_ID, OWNER, startEditorStack } from '../n8n-editor.mjs';
import { e2eHome, freePort, projectRoot, tempDir } from './n8n.mjs';

const PLAYWRIGHT_VERSION = '1.65.1';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The Debian chromium binary. @returns {string} */
function chromiumPath() {
	for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
	throw new Error('chromium is not installed: apt-get update && apt-get install -y chromium');
}

/** playwright-core from <e2e home>/playwright, installed there on first use (never in the project). */
function loadPlaywright() {
	const dir = path.join(e2eHome(), 'playwright');
	const pkg = path.join(dir, 'node_modules', 'playwright-core', 'package.json');
	if (!existsSync(pkg)) {
		console.log(`installing playwright-core@${PLAYWRIGHT_VERSION} into ${dir} (no browser download)`);
		execFileSync('mkdir', ['-p', dir]);
		if (!existsSync(path.join(dir, 'package.json'))) {
			execFileSync('sh', ['-c', `echo '{"name":"akool-e2e-playwright","private":true}' > package.json`], { cwd: dir });
		}
		execFileSync('npm', ['install', '--save-exact', '--ignore-scripts', '--loglevel=error', `playwright-core@${PLAYWRIGHT_VERSION}`], {
			cwd: dir,
			stdio: 'inherit',
			env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
		});
	}
	const require = createRequire(pkg);
	/** @type {typeof import('playwright-core')} */
	const pw = require('playwright-core');
	return pw;
}

async function main() {
	const argv = process.argv.slice(2);
	let out = path.join(projectRoot, 'docs', 'editor-akool-node.png');
	let execute = true;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--out') out = path.resolve(argv[++i]);
		else if (argv[i] === '--no-execute') execute = false;
		else throw new Error(`unknown argument ${argv[i]} (usage: [--out FILE] [--no-execute])`);
	}
	const executablePath = chromiumPath();
	const { chromium } = loadPlaywright();
	const port = await freePort();
	const t0 = Date.now();
	const stack = await startEditorStack({ port, durationMs: '800-1500', log: (s) => console.log(`  ${s}`) });
	const profile = await tempDir('akool-chromium-');
	/** @type {import('playwright-core').BrowserContext | undefined} */
	let context;
	try {
		console.log(`n8n on ${stack.url} (${((Date.now() - t0) / 1000).toFixed(0)} s); opening the editor in headless chromium`);
		context = await chromium.launchPersistentContext(profile.dir, {
			executablePath,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
			colorScheme: 'light',
		});
		const page = context.pages()[0] ?? (await context.newPage());
		// sign in through n8n's REST API: the cookie lands in this browser context
		const login = await page.request.post(`${stack.url}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()} ${await login.text()}`);
		await page.goto(`${stack.url}/workflow/${DEMO_WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Akool' }).first();
		await node.waitFor({ state: 'visible', timeout: 60_000 });
		await page.waitForTimeout(1500);
		await node.dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor({ state: 'visible', timeout: 30_000 });
		await page.getByText('Prompt', { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
		if (execute) {
			// run the node from the panel: the output side then shows the images' items (and binaries)
			await page.locator('[data-test-id="node-execute-button"]').first().click();
			await page
				.locator('[data-test-id="ndv-output-panel"], [data-test-id="output-panel"]')
				.getByText(/2 items/)
				.first()
				.waitFor({ state: 'visible', timeout: 60_000 });
		}
		await page.waitForTimeout(2000); // icons and fonts
		await fsp.mkdir(path.dirname(out), { recursive: true });
		await page.screenshot({ path: out });
		const stat = await fsp.stat(out);
		console.log(`saved ${path.relative(process.cwd(), out)} (${stat.size} bytes, 1440x900)`);
	} finally {
		await context?.close().catch(() => {});
		await profile.remove();
		await stack.stop();
	}
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
});
