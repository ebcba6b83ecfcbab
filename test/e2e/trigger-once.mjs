// @ts-check
/**
 * End-to-end: the Akool Trigger starts its workflow once per job and status, in a REAL n8n 2.41.1
 * (`n8n start` on loopback, its own sqlite database, the package installed as users do), against the
 * fake Akool sending signed callbacks to the trigger's production URL.
 *
 *   npm run build && node test/e2e/trigger-once.mjs
 *
 * Cases (test/e2e/cases/trigger-once/):
 *  (a) duplicates.mjs  Akool's callbacks for 4 jobs (one fails; the processing callbacks are not
 *                      selected): one execution each, and the next node gets each job once;
 *  (b) duplicates.mjs  Akool's retry (the fake sends a delivered callback's very body again) and a
 *                      replay (3 copies at once): answered 200 "ignored", no execution;
 *  (c) duplicates.mjs  n8n restarted: the same (both records are in n8n's database);
 *  (d) duplicates.mjs  5 copies at once of a callback n8n has not seen: the next node gets it once
 *                      (one n8n process: the trigger's checks take turns); the executions beyond the
 *                      first end at the trigger (measured);
 *  (e) forged.mjs      forged, stale and malformed requests, and any request to a trigger whose
 *                      credential has no Client ID: 4xx and no execution at all.
 * Prints one line per case and, last, `N passed, M failed` (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder), AKOOL_E2E_VERBOSE=1.
 */
import { duplicateCases } from './cases/trigger-once/duplicates.mjs';
import { forgedCases } from './cases/trigger-once/forged.mjs';
import { startTriggerOnceInstance } from './cases/trigger-once/setup.mjs';
import { runSuite } from './lib/suite.mjs';

runSuite({ label: 'e2e trigger-once', tmpPrefix: 'akool-e2e-trigger-once-' }, async (suite, root) => {
	const env = await startTriggerOnceInstance(suite, root);
	const jobs = await duplicateCases(env);
	await forgedCases(env, jobs[0] ?? 'no-job');
});
