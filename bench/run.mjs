// @ts-check
/**
 * The benchmark of issue 5: the Akool node beside the hand-built n8n polling loop, both run by a REAL
 * n8n 2.41.1 (`n8n execute --id`, installed by scripts/e2e/setup.sh) against the fake Akool in its own
 * process, plus the node's own CPU per image in n8n-core's engine; and (issue 7) the node waiting by
 * callback, resumed by an `n8n start` on the same database. See bench/README.md.
 *
 *   npm run bench                      table on stderr, the JSON (pretty) on stdout
 *   npm run bench -- --json            ONE JSON object on stdout, everything else on stderr
 *   npm run bench -- --quick           1 seed, W1 only (for trying things)
 *   npm run bench -- --seeds 1,2,3 --scale 1 --only w1,cb --out FILE
 *
 * This file sets up n8n and the fake and runs the parts (bench/parts/: w1, cb, w3, w2, load, cpu) in
 * order; bench/lib/ holds the settings, the workflows, one execution measured, the result object
 * and the table. Everything listens on 127.0.0.1; every process started here is stopped by its own
 * process group.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	assertInstalled,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	makeInstance,
	n8nId,
	N8N_VERSION,
	startFakeAkool,
	tempDir,
} from '../scripts/e2e/n8n.mjs';
import { summarize } from './lib/summary.mjs';
import { table } from './lib/table.mjs';
import { log, sec } from './lib/util.mjs';
import { loopWorkflow, nodeWorkflow } from './lib/workflows.mjs';
import {
	ALL_PARTS, AKOOL_CRED, API_KEY, CLIENT_ID, DURATION_MS, flags, HEADER_CRED, LOAD, LOAD_OPTIONS, LOOP_WAIT_S, NODE_POLL_S, PARTS, SCALE, SEEDS, W1, W2, W2_SETTLE_S,
} from './lib/settings.mjs';
import { callback } from './parts/callback.mjs';
import { cpu as engineCpu } from './parts/cpu.mjs';
import { load } from './parts/load.mjs';
import { w1 } from './parts/w1.mjs';
import { w2 } from './parts/w2.mjs';
import { w3 } from './parts/w3.mjs';

async function main() {
	const t0 = Date.now();
	assertInstalled();
	const load0 = os.loadavg();
	log(`bench: n8n ${N8N_VERSION}, time scale ${SCALE} (jobs ${(DURATION_MS[0] * SCALE) / 1000}-${(DURATION_MS[1] * SCALE) / 1000} s, loop Wait ${LOOP_WAIT_S * SCALE} s, node Poll Interval ${NODE_POLL_S * SCALE} s), seeds ${SEEDS.join(',')}${PARTS.size === ALL_PARTS.length ? '' : ` (only ${[...PARTS].join(',')})`}`);
	log(`bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
	if (load0[0] > os.cpus().length * 0.75) log(`bench: WARNING the machine is busy (1-min load ${load0[0].toFixed(2)} on ${os.cpus().length} CPUs): wall times will suffer`);

	const tmp = await tempDir('akool-bench-');
	/** @type {import('../scripts/e2e/n8n.mjs').FakeAkool | undefined} */
	let fake;
	const onSignal = async () => {
		await fake?.stop();
		if (!flags.keep) await tmp.remove();
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	/** @type {any[]} */
	const runs = [];
	/** @type {any} */
	let cpu = null;
	try {
		// WEBHOOK_URL: the resume URL the node gives Akool in the `cb` runs (n8n's public address; loopback here)
		const n8nPort = await freePort();
		const inst = await makeInstance({ root: tmp.dir, binaryMode: 'filesystem', port: n8nPort, extra: { WEBHOOK_URL: `http://127.0.0.1:${n8nPort}/` } });
		await installPackage(inst.userFolder);
		fake = await startFakeAkool({
			apiKey: API_KEY,
			args: ['--time-scale', String(SCALE), '--duration-ms', `${DURATION_MS[0]}-${DURATION_MS[1]}`, '--seed', String(SEEDS[0])],
		});
		log(`bench: n8n user folder ${inst.userFolder}, fake Akool ${fake.baseUrl} (pid ${fake.pid})`);
		await importCredentials(inst.env, [
			{ ...AKOOL_CRED, type: 'akoolApi', data: { apiKey: API_KEY, clientId: CLIENT_ID, baseUrl: fake.baseUrl } },
			{ ...HEADER_CRED, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: API_KEY } },
		]);
		const ids = { w1Node: n8nId('bW1n'), w1Loop: n8nId('bW1l'), w1Callback: n8nId('bW1c'), w2Node: n8nId('bW2n'), w2Ctl: n8nId('bW2c'), loadNode: n8nId('bLdn') };
		await importWorkflow(inst.env, [
			nodeWorkflow({ id: ids.w1Node, name: 'bench: Akool node, 20 items x 4 images', work: W1, source: 'code' }),
			nodeWorkflow({ id: ids.w1Callback, name: 'bench: Akool node waiting by callback, 20 items x 4 images', work: W1, source: 'code', waitMode: 'callback' }),
			await loopWorkflow({ id: ids.w1Loop, baseUrl: fake.baseUrl }),
			nodeWorkflow({ id: ids.w2Node, name: 'bench: Akool node, 4 items x 4 images at 4K', work: W2, source: 'set', settleS: W2_SETTLE_S }),
			nodeWorkflow({ id: ids.w2Ctl, name: 'bench: the same without Download Image', work: W2, source: 'set', downloadImage: false, settleS: W2_SETTLE_S }),
			nodeWorkflow({ id: ids.loadNode, name: 'bench: Akool node, 200 items x 4 images under a rate limit', work: LOAD, source: 'code', options: LOAD_OPTIONS }),
		]);
		log(`bench: imported 2 credentials and 6 workflows (${sec(Date.now() - t0)})`);
		const keepDir = flags.keep ? path.join(tmp.dir, 'runs') : undefined;
		if (keepDir) await fsp.mkdir(keepDir);
		const memoryEnv = { ...inst.env, N8N_DEFAULT_BINARY_DATA_MODE: 'default' };
		const ctx = { env: inst.env, fake, tmpDir: tmp.dir, keepDir, ids, inst, memoryEnv };

		if (PARTS.has('w1')) runs.push(...(await w1(ctx)));
		if (PARTS.has('cb')) runs.push(...(await callback(ctx)));
		if (PARTS.has('w3')) runs.push(...(await w3(ctx)));
		if (PARTS.has('w2')) runs.push(...(await w2(ctx)));
		if (PARTS.has('load')) runs.push(...(await load(ctx)));
		if (PARTS.has('cpu')) cpu = await engineCpu(ctx);
	} finally {
		await fake?.stop();
		if (flags.keep) log(`bench: kept ${tmp.dir}`);
		else await tmp.remove();
	}

	const R = summarize({ runs, cpu, t0, load0 });
	log('');
	log(table(R));
	log(`bench: ${runs.length} executions in ${sec(Date.now() - t0)}`);
	if (flags.out) await fsp.writeFile(flags.out, `${JSON.stringify(R, null, 2)}\n`);
	process.stdout.write(flags.json ? `${JSON.stringify(R)}\n` : `${JSON.stringify(R, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
