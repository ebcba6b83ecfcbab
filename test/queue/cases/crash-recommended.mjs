// @ts-check
/**
 * The crash case again on the workers restarted with the recommended settings (CRASH_SETTINGS):
 * the dead executions fail sooner, and still nothing runs again.
 */
import { CRASH_SETTINGS_TEXT } from '../lib/settings.mjs';
import { crashCase } from '../lib/worker-loss.mjs';

export const name = 'Crash (recommended settings): the same kill; dead executions fail sooner; still no re-run';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run(ctx) {
	await ctx.recommendedWorkers();
	await crashCase(ctx, 'crashB', 180_000, `crash, ${CRASH_SETTINGS_TEXT}`);
}
