// @ts-check
/**
 * What every case gets (the running cluster, its database, the fake Akool), what cases leave for
 * later ones (the paid jobs of dead executions, the workers on the recommended settings), and the
 * figure lines that go to the output and the closing summary.
 */
import { CRASH_SETTINGS, CRASH_SETTINGS_TEXT } from './settings.mjs';

/**
 * @typedef {import('./cluster.mjs').Cluster} Cluster
 * @typedef {import('./load.mjs').FakeAkool} FakeAkool
 * @typedef {import('../../../scripts/e2e/n8n.mjs').N8nDb} N8nDb
 * @typedef {{ cluster: Cluster, db: N8nDb, fake: FakeAkool,
 *   paid: { jobIds: string[], executions: string[] },
 *   figure: (line: string, summaryLabel?: string) => void,
 *   recommendedWorkers: () => Promise<void> }} QueueContext
 * @typedef {{ name: string, run: (ctx: QueueContext) => Promise<void> }} QueueCase a file of cases/
 */

/**
 * @param {{ cluster: Cluster, db: N8nDb, fake: FakeAkool, summary: string[] }} o `summary` receives the figure lines
 * @returns {QueueContext}
 */
export function queueContext({ cluster, db, fake, summary }) {
	let restarted = false;
	return {
		cluster,
		db,
		fake,
		paid: { jobIds: [], executions: [] },
		// a measured line: printed indented under the case, and in the summary (after `summaryLabel: `)
		figure: (line, summaryLabel) => {
			summary.push(summaryLabel ? `${summaryLabel}: ${line}` : line);
			console.log(`  ${line}`);
		},
		// both workers restarted with the recommended settings, once: while no worker is alive in the
		// case that kills them all, or before the next case that needs them when that one failed earlier
		recommendedWorkers: async () => {
			if (restarted) return;
			restarted = true;
			const restartMs = await cluster.restartWorkers(CRASH_SETTINGS);
			console.log(`  (workers restarted with ${CRASH_SETTINGS_TEXT} in ${(restartMs / 1000).toFixed(1)} s, pids ${cluster.workers.map((w) => w.pid).join(', ')})`);
		},
	};
}
