// @ts-check
/**
 * A suite's case run and reported (`ok   <name> (<s>)` or `FAIL <name>` and the error).
 */

/**
 * Runs one case of a suite and prints `ok   <name> (<seconds>)`, or `FAIL <name>` with the error
 * indented below: its message, or with `stackLines` that many lines of its stack. Resolves whether
 * it passed (the suite counts).
 * @param {string} name @param {() => Promise<void>} fn @param {{ stackLines?: number }} [o]
 * @returns {Promise<boolean>}
 */
export async function reportCase(name, fn, { stackLines } = {}) {
	const t0 = Date.now();
	try {
		await fn();
		console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
		return true;
	} catch (e) {
		const err = /** @type {Error} */ (e);
		const lines = stackLines === undefined ? String(err.message).split('\n') : String(err.stack ?? err.message).split('\n').slice(0, stackLines);
		console.log(`FAIL ${name}\n     ${lines.join('\n     ')}`);
		return false;
	}
}
