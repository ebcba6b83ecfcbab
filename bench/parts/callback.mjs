// @ts-check
/**
 * Part `cb` (issue 7): W1 with the node waiting by callback. Only now an `n8n start` on the same
 * database: the fake's callbacks resume the waiting executions there.
 */
import { freePort, N8nDb, startN8n } from '../../scripts/e2e/n8n.mjs';
import { runOnce } from '../lib/run-once.mjs';
import { SEEDS, W1 } from '../lib/settings.mjs';
import { log, sec } from '../lib/util.mjs';

/**
 * @param {import('../lib/run-once.mjs').Ctx & { ids: Record<string, string>, inst: { userFolder: string } }} ctx
 * @returns {Promise<any[]>} the runs
 */
export async function callback(ctx) {
	const runs = [];
	const ts = Date.now();
	const server = await startN8n(ctx.env);
	try {
		log(`cb: n8n start up in ${sec(Date.now() - ts)}, WEBHOOK_URL ${ctx.env.WEBHOOK_URL}`);
		const db = new N8nDb(ctx.inst.userFolder);
		// `n8n execute` beside the server needs a task broker port of its own
		const env = { ...ctx.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		for (const seed of SEEDS) {
			log(`W1 by callback seed ${seed}: 20 items x 4 images at 1080p, Wait Mode Callback`);
			runs.push(await runOnce(ctx, { label: 'w1 callback', contender: 'node', workflowId: ctx.ids.w1Callback, seed, work: W1, env, resumedBy: db }));
		}
	} finally {
		await server.stop();
	}
	return runs;
}
