// @ts-check
/**
 * Part `w1`: 20 items x 4 images at 1080p, the Akool node beside the hand-built polling loop.
 */
import { nodeAndLoop } from '../lib/run-once.mjs';

/** @param {import('../lib/run-once.mjs').Ctx & { ids: Record<string, string> }} ctx @returns {Promise<any[]>} the runs */
export async function w1(ctx) {
	return await nodeAndLoop(ctx, 'w1', (seed) => `W1 seed ${seed}: 20 items x 4 images at 1080p`);
}
