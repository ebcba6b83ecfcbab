// @ts-check
/**
 * End-to-end: Akool's webhook callbacks in a REAL n8n 2.41.1 (`n8n start` on loopback, its own user
 * folder and sqlite database, the built package installed as a custom extension), against the fake
 * Akool in callback mode (signed, encrypted POSTs to each job's webhook URL: processing, then final,
 * retried on any answer but 200).
 *
 *   npm run build && npm run e2e:setup && node test/e2e/callbacks.mjs
 *
 * Cases (test/e2e/cases/callbacks/):
 *  (a) trigger.mjs     the Akool Trigger started by a genuine callback; forged ones rejected;
 *  (b) wait.mjs        the Akool node waits by callback: `n8n execute` leaves the execution 'waiting';
 *  (c) wait.mjs        calls that must not resume it;
 *  (b) resume.mjs      the fake's callbacks resume it, once, with the items polling gives;
 *  (e) read-error.mjs  a failing result read during a callback's check keeps it waiting;
 *  (d) timeout.mjs     no callback comes: the wait times out (started first, checked last).
 * Prints one line per case and, last, `N passed, M failed` (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder), AKOOL_E2E_VERBOSE=1 (n8n's log on failure),
 * AKOOL_E2E_SKIP_TIMEOUT=1 (skip (d), which waits for n8n's once-a-minute timeout check).
 */
import { readErrorCase } from './cases/callbacks/read-error.mjs';
import { resumeCases } from './cases/callbacks/resume.mjs';
import { startCallbackInstance } from './cases/callbacks/setup.mjs';
import { startTimeoutRun, timeoutCase } from './cases/callbacks/timeout.mjs';
import { triggerCases } from './cases/callbacks/trigger.mjs';
import { waitCases } from './cases/callbacks/wait.mjs';
import { runSuite } from './lib/suite.mjs';

runSuite({ label: 'e2e callbacks', tmpPrefix: 'akool-e2e-callbacks-' }, async (suite, root) => {
	const env = await startCallbackInstance(suite, root);
	await triggerCases(env);
	const timeoutRun = await startTimeoutRun(env);
	const waiting = await waitCases(env);
	await resumeCases(env, waiting);
	await readErrorCase(env);
	if (timeoutRun) await timeoutCase(env, timeoutRun);
	for (const note of env.notes) console.log(`  note: ${note}`);
});
