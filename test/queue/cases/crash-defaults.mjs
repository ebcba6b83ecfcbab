// @ts-check
/**
 * A worker SIGKILLed mid-wait on n8n's default queue settings (see lib/worker-loss.mjs): its
 * executions fail and are never run again, so nothing is paid twice; their paid jobs are kept.
 */
import { crashCase } from '../lib/worker-loss.mjs';

export const name = 'Crash (n8n defaults): a worker SIGKILLed mid-wait; the others finish untouched; no partial success; no re-run';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run(ctx) {
	await crashCase(ctx, 'crashA', 300_000, 'crash, n8n defaults');
}
