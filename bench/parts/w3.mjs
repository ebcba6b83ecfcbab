// @ts-check
/**
 * Part `w3`: W1 with the fake answering 1005 above W3_RATE requests per (scaled) second.
 */
import { nodeAndLoop } from '../lib/run-once.mjs';
import { W3_RATE } from '../lib/settings.mjs';

/** @param {import('../lib/run-once.mjs').Ctx & { ids: Record<string, string> }} ctx @returns {Promise<any[]>} the runs */
export async function w3(ctx) {
	return await nodeAndLoop(ctx, 'w3', (seed) => `W3 seed ${seed}: W1 with 1005 above ${W3_RATE.max} requests per scaled second`, { rateLimit: W3_RATE });
}
