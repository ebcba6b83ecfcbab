// @ts-check
/**
 * A suite's n8n instance (scripts/e2e: makeInstance, installPackage, startFakeAkool, startN8n): its
 * own user folder and home, the built package installed, the fake Akool and `n8n start` stopped with
 * the suite, and the environment of an `n8n execute` beside a running server.
 */
import {
	AKOOL_CREDENTIAL_TYPE,
	freePort,
	importCredentials,
	installPackage,
	makeInstance,
	startFakeAkool,
	startN8n,
} from '../../../scripts/e2e/n8n.mjs';
import { VERBOSE } from './suite.mjs';

/**
 * @typedef {import('../../../scripts/e2e/n8n.mjs').FakeAkool} FakeAkool
 * @typedef {Awaited<ReturnType<typeof makeInstance>>} Instance
 * @typedef {{ id: string, name: string, type: string, data: Record<string, unknown> }} CredentialJson
 */

/**
 * An Akool credential as n8n imports it. @param {{ id: string, name: string }} cred
 * @param {{ apiKey: string, baseUrl: string, clientId?: string }} data @returns {CredentialJson}
 */
export const akoolCredential = (cred, data) => ({ ...cred, type: AKOOL_CREDENTIAL_TYPE, data });

/**
 * The instance (binary mode, port and extra variables as given), the package installed (`layout`: as
 * the Community Nodes panel does, or the README's manual npm command; install-package.mjs), the fake Akool
 * started with `fakeArgs` and our `apiKey`, then the credentials `credentials(fake)` imported.
 * @param {import('./suite.mjs').Suite} suite @param {string} root the suite's temp folder
 * @param {{ binaryMode?: string, port?: number, extra?: Record<string, string>, apiKey: string, fakeArgs: string[],
 *   credentials: (fake: FakeAkool) => CredentialJson[], layout?: 'panel' | 'manual' }} o
 * @returns {Promise<{ inst: Instance, fake: FakeAkool }>}
 */
export async function startInstance(suite, root, { binaryMode, port, extra, apiKey, fakeArgs, credentials, layout = 'panel' }) {
	const inst = await makeInstance({ root, binaryMode, port, extra, isolateHome: true });
	await installPackage(inst.userFolder, { layout });
	const fake = await startFakeAkool({ apiKey, args: fakeArgs });
	suite.onEnd(() => fake.stop());
	await importCredentials(inst.env, credentials(fake));
	return { inst, fake };
}

/**
 * A loopback port for `n8n start` that is also its WEBHOOK_URL, n8n's public address (where the fake
 * Akool sends callbacks and fetches signed links): startInstance's `port` and `extra`.
 */
export async function onItsOwnPort() {
	const port = await freePort();
	return { port, extra: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } };
}

/**
 * `n8n start` on this env, stopped with the suite (or earlier by its own `stop`); on the way down after
 * a failure, with AKOOL_E2E_VERBOSE=1, its log is printed.
 * @param {import('./suite.mjs').Suite} suite @param {import('../../../scripts/e2e/n8n.mjs').N8nEnv} env
 * @returns {Promise<import('../../../scripts/e2e/n8n.mjs').N8nServer>}
 */
export async function startServer(suite, env) {
	const server = await startN8n(env);
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		if (suite.failed && VERBOSE) console.log(`--- n8n log (${server.url}) ---\n${server.logs().slice(-20_000)}`);
		await server.stop();
	};
	suite.onEnd(stop);
	return { ...server, stop };
}

/**
 * The env of an `n8n execute` while `n8n start` runs on the same instance: the server holds the
 * instance's task broker port, so this run gets another one.
 * @param {Instance} inst @param {Record<string, string>} [extra]
 */
export const executeEnv = async (inst, extra = {}) => ({ ...inst.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra });
