// @ts-check
/**
 * `npm run n8n`: try the node in a REAL n8n editor, against the fake Akool.
 *
 * Starts the fake Akool (test/fake-akool/cli.js) and `n8n start` (n8n 2.41.1 from `npm run e2e:setup`)
 * on http://127.0.0.1:5678 with the built package (dist/) loaded, a credential "Akool (fake server)"
 * pointing at the fake, an example workflow, and an owner account created up front (so the editor
 * opens on a sign-in page, not on the owner setup form). Ctrl-C stops everything it started.
 *
 *   npm run build && npm run e2e:setup && npm run n8n
 *   node scripts/n8n-editor.mjs [--port 5678] [--keep]   (--keep: keep the user folder at exit)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	akoolNode,
	akoolNodeParameters,
	AKOOL_CREDENTIAL_TYPE,
	assertInstalled,
	e2ePaths,
	importCredentials,
	importWorkflow,
	installPackage,
	makeInstance,
	portInUse,
	startFakeAkool,
	startN8n,
	tempDir,
} from './e2e/n8n.mjs';

export const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'AkoolDemo-2026',
	firstName: 'Akool',
	lastName: 'Demo',
});
export const FAKE_API_KEY = 'fake-akool-demo-key';
export const CREDENTIAL = Object.freeze({ id: 'akoolFakeCred001', name: 'Akool (fake server)' });
export const DEMO_WORKFLOW_ID = 'akoolDemoWorkfl1';

/** @type {{ sampleSourceUrl: (baseUrl: string, kind?: 'png' | 'jpeg') => string }} */
const { sampleSourceUrl } = createRequire(import.meta.url)('../test/fake-akool/index.js');

/**
 * bcrypt hash of the owner's password, made with n8n's own bcryptjs (n8n 2.41.1 takes the owner
 * from N8N_INSTANCE_OWNER_* variables only with a pre-hashed password).
 * @param {string} password
 * @returns {string}
 */
function bcryptHash(password) {
	const require = createRequire(path.join(e2ePaths().n8nModules, 'n8n', 'package.json'));
	/** @type {{ hashSync: (s: string, rounds: number) => string }} */
	const bcrypt = require('bcryptjs');
	return bcrypt.hashSync(password, 10);
}

/** The example workflow the editor opens with: Manual Trigger → Akool (Generate). */
export function demoWorkflow() {
	return {
		id: DEMO_WORKFLOW_ID,
		name: 'Akool: generate an image (fake server)',
		active: false,
		nodes: [
			{
				id: 'demo-trigger',
				name: "When clicking 'Execute workflow'",
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			akoolNode({
				id: 'demo-akool',
				typeVersion: 2,
				position: [260, 0],
				parameters: akoolNodeParameters({ prompt: 'A lighthouse on a cliff at sunrise, watercolor', aspectRatio: '16:9', numberOfImages: 2 }),
				credential: CREDENTIAL,
			}),
		],
		connections: {
			"When clicking 'Execute workflow'": { main: [[{ node: 'Akool', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Starts the whole stack: fake Akool, package install, credential + demo workflow import, owner,
 * `n8n start`. `stop()` stops everything it started and removes the throwaway user folder.
 * @param {{ port?: number, keep?: boolean, log?: (s: string) => void, durationMs?: string }} [o]
 */
export async function startEditorStack({ port = 5678, keep = false, log = () => {}, durationMs = '3000-8000' } = {}) {
	assertInstalled();
	if (await portInUse(port)) throw new Error(`127.0.0.1:${port} is already in use (pass --port N)`);
	const tmp = await tempDir('akool-n8n-editor-');
	/** @type {(() => Promise<void>)[]} */
	const stoppers = [];
	const stop = async () => {
		while (stoppers.length) {
			const s = stoppers.pop();
			try {
				await s?.();
			} catch {
				/* keep stopping the rest */
			}
		}
	};
	try {
		const fake = await startFakeAkool({ apiKey: FAKE_API_KEY, args: ['--duration-ms', durationMs, '--buttons'] });
		stoppers.push(() => fake.stop());
		log(`fake Akool on ${fake.baseUrl} (CDN ${fake.cdnBaseUrl}), pid ${fake.pid}`);
		const inst = await makeInstance({
			root: tmp.dir,
			port,
			extra: {
				N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
				N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
				N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
				N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
				N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(OWNER.password),
				N8N_SECURE_COOKIE: 'false',
				N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			},
		});
		stoppers.push(() => (keep ? Promise.resolve() : tmp.remove()));
		await installPackage(inst.userFolder);
		log('package installed from its npm pack tarball, as the Community Nodes panel installs it');
		await importCredentials(inst.env, [
			{ ...CREDENTIAL, type: AKOOL_CREDENTIAL_TYPE, data: { apiKey: FAKE_API_KEY, baseUrl: fake.baseUrl } },
		]);
		await importWorkflow(inst.env, demoWorkflow());
		log('credential "Akool (fake server)" and the example workflow imported');
		const server = await startN8n({ ...inst.env, N8N_LOG_LEVEL: 'warn' }, { timeoutMs: 240_000 });
		stoppers.push(() => server.stop());
		return { url: server.url, server, fake, inst, userFolder: inst.userFolder, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

async function main() {
	const argv = process.argv.slice(2);
	let port = 5678;
	let keep = false;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--port') port = Number(argv[++i]);
		else if (argv[i] === '--keep') keep = true;
		else {
			console.error(`unknown argument ${argv[i]}\nusage: node scripts/n8n-editor.mjs [--port 5678] [--keep]`);
			process.exit(2);
		}
	}
	if (!Number.isInteger(port) || port <= 0 || port > 65535) {
		console.error('--port needs a port number');
		process.exit(2);
	}
	const t0 = Date.now();
	console.log('Starting the fake Akool and n8n 2.41.1 (takes ~20 s)...');
	/** @type {Awaited<ReturnType<typeof startEditorStack>> | undefined} */
	let stack;
	let stopping = false;
	const shutdown = async (/** @type {string} */ why) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${why}: stopping n8n and the fake Akool...`);
		await stack?.stop();
		console.log('stopped.');
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown('Ctrl-C'));
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	try {
		stack = await startEditorStack({ port, keep, log: (s) => console.log(`  ${s}`) });
	} catch (e) {
		console.error(`could not start: ${/** @type {Error} */ (e).message}`);
		process.exit(1);
	}
	if (stopping) return;
	void stack.server.exited.then((code) => {
		if (!stopping) {
			console.error(`n8n exited (${code}):\n${stack?.server.logs().slice(-4000)}`);
			void shutdown('n8n exited');
		}
	});
	console.log(`
n8n is ready in ${((Date.now() - t0) / 1000).toFixed(0)} s:  ${stack.url}

  1. Open ${stack.url}/workflow/${DEMO_WORKFLOW_ID} and sign in:
       email     ${OWNER.email}
       password  ${OWNER.password}
  2. The example workflow has a Manual Trigger and an Akool node (Image > Generate) that uses the
     credential "Akool (fake server)". Click "Execute workflow": the fake Akool takes 3 to 8 s per
     image and the node waits, then downloads each PNG into the item's binary data.
  3. Or add a node yourself: "+" > search "Akool" > pick an action; choose the credential
     "Akool (fake server)" (it points at ${stack.fake.baseUrl}).
     For Image > Transform, give a Source Image URL the fake can download: like Akool it fetches
     the source itself, but from loopback only, e.g. its sample ${sampleSourceUrl(stack.fake.baseUrl, 'png')}
     (or ${sampleSourceUrl(stack.fake.baseUrl, 'jpeg')}); any other host fails the job.

  Everything runs on loopback with a throwaway user folder${keep ? ` kept at ${stack.userFolder}` : ''}.
  Ctrl-C stops n8n and the fake Akool.
`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	void main();
}
