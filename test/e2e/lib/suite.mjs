// @ts-check
/**
 * One real-n8n e2e suite from start to its last line: the temp folder, the cases counted and reported
 * (scripts/e2e/report.mjs), what was started stopped again, and the closing lines every suite prints:
 * `  measured: <fact>` lines, `<label> wall time <s>`, and last exactly `N passed, M failed` (exit 1
 * when any failed). Env: AKOOL_E2E_KEEP=1 keeps the temp folder, AKOOL_E2E_VERBOSE=1 prints n8n's
 * output on failure.
 */
import { assertInstalled, reportCase, tempDir } from '../../../scripts/e2e/n8n.mjs';

export const VERBOSE = process.env.AKOOL_E2E_VERBOSE === '1';

/** Seconds since `t`, as the suites print them. @param {number} t */
export const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

/** The running suite: its counts, its measured facts, and what to stop at its end. */
export class Suite {
	/** @param {string} label how the suite names itself in its own lines ('e2e callbacks') */
	constructor(label) {
		this.label = label;
		this.passed = 0;
		this.failed = 0;
		this.expectedFailures = 0;
		/** @type {string[]} printed as `  measured: …` once everything is stopped */
		this.facts = [];
		/** @type {Array<() => Promise<void>>} */
		this.stops = [];
	}

	/** Runs and reports one case, counting it. @param {string} name @param {() => Promise<void>} fn */
	async case(name, fn) {
		if (await reportCase(name, fn)) this.passed++;
		else this.failed++;
	}

	/**
	 * A case that fails today for a known reason outside the node: reported, not counted as failed;
	 * if it passes, it is counted as failed (the reason is gone: make it a normal case).
	 * @param {string} name @param {string} reason @param {() => Promise<void>} fn
	 */
	async expectedFailure(name, reason, fn) {
		try {
			await fn();
			this.failed++;
			console.log(`FAIL ${name}\n     passed, but was expected to fail (${reason}): make it a normal case`);
		} catch (e) {
			this.expectedFailures++;
			console.log(`xfail ${name}\n     known: ${reason}\n     ${String(/** @type {Error} */ (e).message).split('\n').join('\n     ')}`);
		}
	}

	/** A failure outside any case (a case's setup): `FAIL <what>`, counted. @param {string} what */
	fail(what) {
		this.failed++;
		console.log(`FAIL ${what}`);
	}

	/** A measured n8n fact, printed at the end. @param {string} fact */
	measured(fact) {
		this.facts.push(fact);
	}

	/** Something to stop when the suite ends, pass or fail (the last registered stops first). @param {() => Promise<void>} stop */
	onEnd(stop) {
		this.stops.unshift(stop);
	}
}

/**
 * Runs a suite's body in a fresh temp folder and prints its closing lines. The temp folder is removed
 * when every case passed, and kept (and named) otherwise.
 * @param {{ label: string, tmpPrefix: string }} o
 * @param {(suite: Suite, tmpDir: string) => Promise<void>} body
 */
export function runSuite({ label, tmpPrefix }, body) {
	const main = async () => {
		const t0 = Date.now();
		assertInstalled();
		const tmp = await tempDir(tmpPrefix);
		const suite = new Suite(label);
		try {
			await body(suite, tmp.dir);
		} catch (e) {
			suite.fail(`suite: ${/** @type {Error} */ (e).stack ?? e}`);
		} finally {
			for (const stop of suite.stops) await stop();
			if (suite.failed === 0) await tmp.remove();
			else console.log(`${label}: kept ${tmp.dir} for inspection`);
		}
		for (const fact of suite.facts) console.log(`  measured: ${fact}`);
		const xfails = suite.expectedFailures ? `; ${suite.expectedFailures} expected failure(s)` : '';
		console.log(`${label} wall time ${secs(t0)}${xfails}`);
		console.log(`${suite.passed} passed, ${suite.failed} failed`);
		process.exitCode = suite.failed ? 1 : 0;
	};
	main().catch((e) => {
		console.log(`FAIL suite: ${e instanceof Error ? e.message : String(e)}`);
		console.log('0 passed, 1 failed');
		process.exit(1);
	});
}
