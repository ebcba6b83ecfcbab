// @ts-check
/**
 * End-to-end: Wait Mode "Callback" at size in a REAL n8n 2.41.1 (`n8n start` on loopback, its own
 * user folder and sqlite database, the package installed as the Community Nodes panel does), against
 * the fake Akool sending signed, encrypted callbacks (processing, then final, retried on any answer
 * but 200).
 *
 *   npm run build && npm run e2e:setup && node test/e2e/callbacks-at-size.mjs
 *
 * Cases (test/e2e/cases/callbacks-at-size/): one run of 250 items × 4 images (1,000 jobs) through a
 * published workflow (Webhook → Split Out → Akool → After, and Kept reading the node's context once):
 *  (a) the execution waits with all 1,000 job IDs kept in the Akool node's context (not in the
 *      execution's custom data, which holds about 90), every create sent once with the resume URL;
 *  (b) the fake's callbacks resume it: all 1,000 images in input order with their PNGs stored, and
 *      a later node reads each item's job IDs from the node's context.
 * Prints one line per case, the measured timeline, and last `N passed, M failed` (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME, AKOOL_E2E_KEEP=1 (keep the temp folder), AKOOL_E2E_VERBOSE=1 (n8n's log on failure).
 */
import { resumeCase, startSizeRun, waitCases } from './cases/callbacks-at-size/run.mjs';
import { runSuite } from './lib/suite.mjs';

runSuite({ label: 'e2e callbacks at size', tmpPrefix: 'akool-e2e-cb-size-' }, async (suite, root) => {
	const run = await startSizeRun(suite, root);
	const waiting = await waitCases(run);
	await resumeCase(run, waiting);
});
