// @ts-check
/**
 * End-to-end: a BINARY source image (Image → Transform, Source Image "Binary Data") in a REAL n8n
 * 2.41.1. Akool has no upload call: n8n itself serves the file through a signed, expiring URL
 * (`<WEBHOOK_URL>rest/binary-data/signed?token=…`), and the fake Akool downloads it when each job
 * starts processing, as Akool does (test/fake-akool/source-fetcher.js).
 *
 *   npm run build && npm run e2e:setup && node test/e2e/binary.mjs
 *
 * One n8n user folder (sqlite), the built package as a custom extension, the fake Akool in its own
 * process. Cases (test/e2e/cases/binary/):
 *  1. execute.mjs: `n8n execute` (no server), three runs at once, where Akool cannot fetch the file.
 *  2. `n8n start`, WEBHOOK_URL on 127.0.0.1, n8n's default binary mode (filesystem):
 *     (a) form-example.mjs: examples/transform-an-uploaded-photo.json as a user imports it, its form
 *         submitted over HTTP;
 *     (b) signed-url.mjs: the signed URL tampered with, expired, and its lifetime;
 *     (c) items.mjs: three items each with its own file (or none), 4 images each, Continue On Fail;
 *     (d) callback-upload.mjs: Wait Mode Callback with a Webhook upload as the source.
 *  3. The same user folder on `n8n start` WITHOUT WEBHOOK_URL, in the `database` binary mode: (c)
 *     and (d) again.
 * Prints one line per case, the measured n8n facts, and last `N passed, M failed` (exit 1 if any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder), AKOOL_E2E_VERBOSE=1 (n8n's log on failure).
 */
import { untilWebhookServed } from '../../scripts/e2e/n8n.mjs';
import { callbackUploadCase } from './cases/binary/callback-upload.mjs';
import { executeCases } from './cases/binary/execute.mjs';
import { formCases, formEndingCase } from './cases/binary/form-example.mjs';
import { ITEMS_PATH, itemsCaseDatabase, itemsCaseFilesystem } from './cases/binary/items.mjs';
import { startBinaryInstance } from './cases/binary/setup.mjs';
import { signedUrlCase } from './cases/binary/signed-url.mjs';
import { startServer } from './lib/instance.mjs';
import { runSuite, secs } from './lib/suite.mjs';

runSuite({ label: 'e2e binary', tmpPrefix: 'akool-e2e-binary-' }, async (suite, root) => {
	const env = await startBinaryInstance(suite, root);

	// -- 1. `n8n execute`: three runs at once, before `n8n start` ------------------------------
	await executeCases(env);

	// -- 2. `n8n start` with WEBHOOK_URL, n8n's default binary mode ------------------------------
	const ts = Date.now();
	env.server = await startServer(suite, env.inst.env);
	console.log(`e2e binary: n8n ${env.server.url} (WEBHOOK_URL ${env.webhookUrl}, default binary mode) up in ${secs(ts)}`);
	const formRun = await formCases(env);
	await signedUrlCase(env, formRun);
	await formEndingCase(env, formRun);
	await itemsCaseFilesystem(env);
	await callbackUploadCase(env, 'filesystem');
	await env.server.stop();

	// -- 3. the same user folder, `n8n start` without WEBHOOK_URL, database binary mode ----------
	const { WEBHOOK_URL: _unused, ...withoutWebhookUrl } = env.inst.env;
	const tb = Date.now();
	env.server = await startServer(suite, { ...withoutWebhookUrl, N8N_DEFAULT_BINARY_DATA_MODE: 'database' });
	console.log(`e2e binary: n8n ${env.server.url} (no WEBHOOK_URL, binary mode database) up in ${secs(tb)}`);
	const itemsUrl = `${env.server.url}/webhook/${ITEMS_PATH}`;
	await untilWebhookServed(itemsUrl);
	await itemsCaseDatabase(env);
	await callbackUploadCase(env, 'database');
});
