// @ts-check
/**
 * Part `load`: the reliability matrix's load row in a real n8n, node only: 200 items x 4 images
 * against the fake refusing (1005) above W3's 10 requests per scaled second, with jobs short enough
 * that the limit is the bottleneck. Its figure is the wall time over LOAD_FLOOR_S, the least time
 * the limit allows for one create per item and one read per job.
 */
import { runOnce } from '../lib/run-once.mjs';
import { LOAD, LOAD_DURATION_MS, LOAD_FLOOR_S, SEEDS, W3_RATE } from '../lib/settings.mjs';
import { log } from '../lib/util.mjs';

/** @param {import('../lib/run-once.mjs').Ctx & { ids: Record<string, string> }} ctx @returns {Promise<any[]>} the runs */
export async function load(ctx) {
	const runs = [];
	for (const seed of SEEDS) {
		log(`LOAD seed ${seed}: ${LOAD.items} items x ${LOAD.images} images, 1005 above ${W3_RATE.max} requests per scaled second (floor ${LOAD_FLOOR_S} s)`);
		runs.push(
			await runOnce(ctx, { label: 'load node', contender: 'node', workflowId: ctx.ids.loadNode, seed, work: LOAD, rateLimit: W3_RATE, durationMs: LOAD_DURATION_MS }),
		);
	}
	return runs;
}
