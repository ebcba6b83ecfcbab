// @ts-check
/**
 * End-to-end suite: the BUILT package inside a REAL n8n 2.41.1 (scripts/e2e/setup.sh), against the
 * fake Akool, through n8n's own CLI: credentials imported into n8n's encrypted store, workflows
 * imported from test/e2e/workflows/*.json (and examples/*.json when present), each executed with
 * `n8n execute --id --rawOutput`, the parsed run data asserted on by the cases in test/e2e/cases/run/.
 *
 *   npm run build && npm run e2e:setup && npm run test:e2e
 *
 * Prints one line per case and, last, exactly `N passed, M failed` (exit 1 when any failed).
 * Env: AKOOL_E2E_HOME (where setup.sh installed n8n), AKOOL_E2E_KEEP=1 (keep the temp folder),
 * AKOOL_E2E_VERBOSE=1 (print n8n's output of failing cases in full). `--only core,agent` runs only the
 * workflow files whose path contains one of the strings (and the cases that read them).
 */
import path from 'node:path';

import { startFakeOpenAi } from './fake-openai.mjs';
import agentTool from './cases/run/agent-tool.mjs';
import { generateFour, generateOne, getCredits, getResult, storedPngs, transform } from './cases/run/core.mjs';
import credentialSecrecy from './cases/run/credential-secrecy.mjs';
import { API_KEY, credentials } from './cases/run/credentials.mjs';
import { exampleCase, manualExamples } from './cases/run/examples.mjs';
import expressionPrompts from './cases/run/expression-prompts.mjs';
import { continueOnFail, failedJob, wrongKey } from './cases/run/failures.mjs';
import { customModel, meitu } from './cases/run/models.mjs';
import { placeFakeUrl } from './lib/fake-akool.mjs';
import { startInstance } from './lib/instance.mjs';
import { runSuite, secs, VERBOSE } from './lib/suite.mjs';
import { executeAll, onlyFilter, runCases } from './lib/workflow-cases.mjs';
import { importWorkflows, loadWorkflows, workflowsDir } from './lib/workflows.mjs';

/** @type {import('./lib/workflow-cases.mjs').Case[]} in the order they run */
const cases = [
	generateOne,
	generateFour,
	transform,
	meitu,
	customModel,
	getResult,
	getCredits,
	storedPngs,
	expressionPrompts,
	wrongKey,
	failedJob,
	continueOnFail,
	agentTool,
	credentialSecrecy,
];

runSuite({ label: 'e2e', tmpPrefix: 'akool-e2e-run-' }, async (suite, root) => {
	const t0 = Date.now();
	const openAi = await startFakeOpenAi();
	suite.onEnd(() => openAi.close());
	const { inst, fake } = await startInstance(suite, root, {
		binaryMode: 'filesystem',
		apiKey: API_KEY,
		fakeArgs: ['--duration-ms', '300-900'],
		credentials: (f) => credentials(f.baseUrl, openAi.baseUrl),
	});
	console.log(`e2e: n8n user folder ${inst.userFolder}, fake Akool ${fake.baseUrl}`);
	const only = onlyFilter();
	// fixtures name the fake's sample sources as <fake-akool>/samples/…: its address goes in now
	const fixtures = (await loadWorkflows(workflowsDir)).map((w) => placeFakeUrl(w, fake.baseUrl)).filter((w) => only(w.__file));
	const examples = (await manualExamples(fake.baseUrl)).filter((w) => only(w.__file));
	await importWorkflows(inst.env, [...fixtures, ...examples]);
	console.log(`e2e: imported 3 credentials, ${fixtures.length} workflows, ${examples.length} examples (${secs(t0)})`);

	const results = await executeAll(inst.env, [...fixtures, ...examples], path.join(root, 'runs'));
	/** @type {import('./lib/workflow-cases.mjs').Ctx} */
	const ctx = {
		results,
		userFolder: inst.userFolder,
		filesDir: inst.filesDir,
		fake,
		openAi,
		jobs: await fake.jobs(),
		sourceFetches: await fake.sourceFetches(),
	};
	await runCases(suite, [...cases, ...examples.map(exampleCase)], ctx);
	if (suite.failed && VERBOSE) {
		for (const [id, r] of results) {
			if (r.status === 'success') continue;
			console.log(`--- ${id} stdout ---\n${r.stdout.slice(0, 20_000)}\n--- stderr ---\n${r.stderr.slice(0, 5_000)}`);
		}
	}
});
