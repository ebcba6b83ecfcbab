// @ts-check
/**
 * Small helpers of the benchmark: its log (stderr), number formats, the median, git facts.
 */
import { execFileSync } from 'node:child_process';

import { projectRoot } from '../../scripts/e2e/n8n.mjs';

export const log = (/** @type {string} */ line = '') => process.stderr.write(`${line}\n`);
export const sec = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
export const round = (/** @type {number | null | undefined} */ x, digits = 3) =>
	x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
export const MIB = 1024 * 1024;

/** @param {number[]} xs */
export function median(xs) {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return null;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {string[]} args @returns {string} */
export function gitInfo(...args) {
	try {
		return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return '';
	}
}
