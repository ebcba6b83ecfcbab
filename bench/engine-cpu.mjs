// @ts-check
/**
 * The Akool node's own CPU per image, in n8n-core's real engine (test/harness/engine.js), against an
 * INSTANT fake Akool (jobs of 0 ms) running in ANOTHER process, so that process.cpuUsage() of this
 * process counts the engine, the node and its HTTP client, and not the fake.
 *
 * Run by bench/run.mjs as a child process (its own N8N_USER_FOLDER); prints ONE JSON line on stdout.
 *   node bench/engine-cpu.mjs [--items 20] [--images 4] [--runs 3]
 * One warm-up run (module loading, JIT) is not counted; the median of the measured runs is reported.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { akoolNodeParameters, startFakeAkool } from '../scripts/e2e/n8n.mjs';

const require = createRequire(import.meta.url);

const { values } = parseArgs({
	options: {
		items: { type: 'string', default: '20' },
		images: { type: 'string', default: '4' },
		runs: { type: 'string', default: '3' },
	},
});
const ITEMS = Number(values.items);
const IMAGES = Number(values.images);
const RUNS = Number(values.runs);
const API_KEY = 'bench-cpu-key-0001';

/** @param {number[]} xs */
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	if (!process.env.N8N_USER_FOLDER) throw new Error('N8N_USER_FOLDER must be set (bench/run.mjs sets a temp folder)');
	const { loadBuiltPackage, runWorkflow, outputOf, TRIGGER_TYPE, ItemsSource } = require('../test/harness/engine.js');
	const { packageRoot } = require('../test/harness/paths.js');
	const fake = await startFakeAkool({ apiKey: API_KEY, args: ['--duration-ms', '0', '--seed', '1'] });
	try {
		const loader = await loadBuiltPackage(packageRoot);
		const items = Array.from({ length: ITEMS }, (_, i) => ({ prompt: `a watercolor lighthouse, variant ${i + 1}` }));
		/** @type {any} the harness's RunOptions (loader types are wider than its INodeType) */
		const options = {
			nodeTypes: { 'n8n-nodes-akool.akool': loader.getNode('akool').type, 'bench.items': new ItemsSource() },
			credentialTypes: { akoolApi: loader.getCredential('akoolApi').type },
			credentials: { akoolApi: { apiKey: API_KEY, baseUrl: fake.baseUrl } },
			nodes: [
				{ id: 'start', name: 'Start', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'items', name: 'Prompts', type: 'bench.items', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items) } },
				{
					id: 'akool',
					name: 'Akool',
					type: 'n8n-nodes-akool.akool',
					typeVersion: 1,
					position: [400, 0],
					// the smallest Poll Interval the node allows: the wait costs wall time, not CPU
					parameters: akoolNodeParameters({ numberOfImages: IMAGES, options: { pollInterval: 1 } }),
					credentials: { akoolApi: { id: 'bench', name: 'Akool' } },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
				Prompts: { main: [[{ node: 'Akool', type: 'main', index: 0 }]] },
			},
		};
		const runs = [];
		for (let i = 0; i <= RUNS; i++) {
			await fake.reset();
			const wall0 = Date.now();
			const cpu0 = process.cpuUsage();
			const run = await runWorkflow(options);
			const cpu = process.cpuUsage(cpu0);
			const wallMs = Date.now() - wall0;
			const error = run.data.resultData.error;
			if (error) throw new Error(`the engine run failed: ${error.message}`);
			const images = outputOf(run, 'Akool').filter((item) => item.binary?.data).length;
			const stats = await fake.stats();
			const rec = {
				warmUp: i === 0,
				images,
				cpuUserMs: cpu.user / 1000,
				cpuSystemMs: cpu.system / 1000,
				cpuMsPerImage: (cpu.user + cpu.system) / 1000 / Math.max(1, images),
				wallMs,
				creates: stats.byKind.create,
				resultReads: stats.byKind.result,
				downloads: stats.downloads,
				bytes: stats.bytesServed,
			};
			runs.push(rec);
			process.stderr.write(`  engine run ${i === 0 ? 'warm-up' : i}: ${images} images, cpu ${(rec.cpuUserMs + rec.cpuSystemMs).toFixed(0)} ms, wall ${wallMs} ms\n`);
		}
		const measured = runs.filter((r) => !r.warmUp);
		process.stdout.write(
			`${JSON.stringify({ items: ITEMS, imagesPerItem: IMAGES, runs, cpuMsPerImage: median(measured.map((r) => r.cpuMsPerImage)) })}\n`,
		);
	} finally {
		await fake.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`engine-cpu: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
