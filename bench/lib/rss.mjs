// @ts-check
/**
 * RSS of the `n8n execute` process and its children, from /proc: sampled during a run, then summed up.
 */
import { readFileSync, readdirSync } from 'node:fs';

import { RSS_SAMPLE_MS } from './settings.mjs';

/** @param {(argv: string[]) => boolean} match @returns {number | undefined} */
function findProcess(match) {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const argv = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
			if (match(argv)) return Number(entry);
		} catch {
			/* gone */
		}
	}
	return undefined;
}

/** The process and all its descendants. @param {number} root */
function processTree(root) {
	const pids = [root];
	for (let i = 0; i < pids.length; i++) {
		let tasks = [];
		try {
			tasks = readdirSync(`/proc/${pids[i]}/task`);
		} catch {
			continue;
		}
		for (const task of tasks) {
			try {
				const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'latin1').trim();
				if (children) for (const c of children.split(/\s+/)) pids.push(Number(c));
			} catch {
				/* gone */
			}
		}
	}
	return pids;
}

/** VmRSS in kB (KiB) of one process, 0 when gone. @param {number} pid */
function rssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

/**
 * Samples every RSS_SAMPLE_MS the summed RSS of the `n8n execute --id=<workflowId>` process tree.
 * @param {string} workflowId
 */
export function startRssSampler(workflowId) {
	/** @type {{ t: number, kb: number, rootKb: number, procs: number }[]} */
	const samples = [];
	/** @type {number | undefined} */
	let root;
	const tick = () => {
		if (root === undefined) root = findProcess((argv) => argv.includes('execute') && argv.includes(`--id=${workflowId}`));
		if (root === undefined) return;
		const pids = processTree(root);
		const rootKb = rssKb(root);
		let kb = rootKb;
		for (const pid of pids.slice(1)) kb += rssKb(pid);
		if (kb > 0) samples.push({ t: Date.now(), kb, rootKb, procs: pids.length });
	};
	const timer = setInterval(tick, RSS_SAMPLE_MS);
	tick();
	return {
		stop: () => {
			clearInterval(timer);
			return { root, samples };
		},
	};
}

/**
 * Idle = the last sample before `baseAt` (the moment the Akool node starts; n8n's own warm-up, e.g.
 * its JS task runner child still growing after start-up, is over by then: see W2's Settle wait);
 * peak = the highest sample from `baseAt` until the process ended (n8n saving and printing the run
 * included); peakExec = the highest until n8n's stoppedAt. For the whole process tree and for the
 * `n8n execute` process alone.
 * @param {{ t: number, kb: number, rootKb: number }[]} samples @param {number} baseAt @param {number} stoppedAt
 */
export function rssFigures(samples, baseAt, stoppedAt) {
	const before = samples.filter((s) => s.t < baseAt);
	const after = samples.filter((s) => s.t >= baseAt);
	const during = after.filter((s) => s.t <= stoppedAt);
	const toMiB = (/** @type {number | null} */ kb) => (kb === null ? null : kb / 1024);
	/** @param {'kb' | 'rootKb'} key */
	const figures = (key) => {
		const idleKb = before.length ? before[before.length - 1][key] : null;
		const peakKb = after.length ? Math.max(...after.map((s) => s[key])) : null;
		const peakExecKb = during.length ? Math.max(...during.map((s) => s[key])) : null;
		// the largest climb from a low point (after a GC) to a later high point, until stoppedAt: an
		// upper bound of what the run added, garbage not yet collected included
		let low = Infinity;
		let riseKb = 0;
		for (const x of during) {
			low = Math.min(low, x[key]);
			riseKb = Math.max(riseKb, x[key] - low);
		}
		return {
			idleMiB: toMiB(idleKb),
			peakMiB: toMiB(peakKb),
			peakExecMiB: toMiB(peakExecKb),
			peakOverIdleBytes: idleKb !== null && peakKb !== null ? (peakKb - idleKb) * 1024 : null,
			peakExecOverIdleBytes: idleKb !== null && peakExecKb !== null ? (peakExecKb - idleKb) * 1024 : null,
			riseBytes: during.length ? riseKb * 1024 : null,
		};
	};
	return { samples: samples.length, baseAt, ...figures('kb'), root: figures('rootKb') };
}
