// @ts-check
/**
 * Part `w2`: 4 items x 4 images at 4K (noise), the node only, its RSS sampled, in filesystem and in
 * memory binary mode; with `w2ctl` also the same workflow without Download Image (the control).
 */
import { runOnce } from '../lib/run-once.mjs';
import { PARTS, SEEDS, W2 } from '../lib/settings.mjs';
import { log } from '../lib/util.mjs';

/**
 * @param {import('../lib/run-once.mjs').Ctx & { ids: Record<string, string>, memoryEnv: Record<string, string> }} ctx
 * @returns {Promise<any[]>} the runs
 */
export async function w2(ctx) {
	const runs = [];
	const { ids, memoryEnv } = ctx;
	for (const seed of SEEDS) {
		log(`W2 seed ${seed}: 4 items x 4 images at 4K (noise), node only`);
		if (PARTS.has('w2ctl')) runs.push(await runOnce(ctx, { label: 'w2 control filesystem', contender: 'node', workflowId: ids.w2Ctl, seed, work: W2, sampleRss: true, outputToFile: true }));
		runs.push(await runOnce(ctx, { label: 'w2 node filesystem', contender: 'node', workflowId: ids.w2Node, seed, work: W2, sampleRss: true, outputToFile: true }));
		if (PARTS.has('w2ctl')) runs.push(await runOnce(ctx, { label: 'w2 control memory', contender: 'node', workflowId: ids.w2Ctl, seed, work: W2, sampleRss: true, outputToFile: true, env: memoryEnv }));
		runs.push(await runOnce(ctx, { label: 'w2 node memory', contender: 'node', workflowId: ids.w2Node, seed, work: W2, sampleRss: true, outputToFile: true, env: memoryEnv }));
	}
	return runs;
}
