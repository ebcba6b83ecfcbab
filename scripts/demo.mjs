// @ts-check
/**
 * The main job in one command: generate images through the Akool node, inside n8n's own workflow
 * engine, and save them as files. Uses the built-in fake Akool unless AKOOL_API_KEY is set.
 *
 *   npm run demo -- [--prompt TEXT] [--count 1..4] [--source-image URL] [--aspect-ratio R]
 *                   [--resolution 1080p|4k] [--out DIR]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const RATIOS = ['1:1', '3:2', '4:3', '16:9', '2:3', '3:4', '9:16'];
const RESOLUTIONS = ['1080p', '4k'];
const USAGE = `Usage: npm run demo -- [options]
  --prompt TEXT          what to draw (default: "a lighthouse on a cliff at sunset, watercolor")
  --count N              images to generate, 1 to 4 (default 1)
  --source-image URL     transform this public image (image-to-image) instead of generating from text
                         (on the built-in fake, which downloads from loopback only, a public URL
                         stands for the fake's sample photo)
  --aspect-ratio R       ${RATIOS.join(', ')}, or Original with --source-image (default 1:1, Original with --source-image)
  --resolution R         1080p or 4k (default 4k, as Akool)
  --out DIR              where to save the PNG files (default ./out)
Environment: AKOOL_API_KEY calls the real Akool API instead of the built-in fake; AKOOL_BASE_URL overrides its address.`;

/** @param {string} message */
function usageError(message) {
	process.stderr.write(`demo: ${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function readFlags() {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				prompt: { type: 'string', default: 'a lighthouse on a cliff at sunset, watercolor' },
				count: { type: 'string', default: '1' },
				'source-image': { type: 'string' },
				'aspect-ratio': { type: 'string' },
				resolution: { type: 'string', default: '4k' },
				out: { type: 'string', default: 'out' },
				help: { type: 'boolean', default: false },
			},
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		return usageError(error instanceof Error ? error.message : String(error));
	}
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	const count = Number(values.count);
	if (!/^[1-4]$/.test(String(values.count))) usageError(`--count must be a whole number from 1 to 4, got "${values.count}"`);
	if (!values.prompt.trim()) usageError('--prompt must not be empty');
	const source = values['source-image'];
	if (source !== undefined && !/^https?:\/\/[^\s/]+/.test(source)) {
		usageError(`--source-image must be an http:// or https:// URL, got "${source}"`);
	}
	const ratios = source ? ['Original', ...RATIOS] : RATIOS;
	const aspectRatio = values['aspect-ratio'] ?? (source ? 'Original' : '1:1');
	if (!ratios.includes(aspectRatio)) usageError(`--aspect-ratio must be one of ${ratios.join(', ')}, got "${aspectRatio}"`);
	if (!RESOLUTIONS.includes(values.resolution)) {
		usageError(`--resolution must be 1080p or 4k, got "${values.resolution}"`);
	}
	return { prompt: values.prompt, count, source, aspectRatio, resolution: values.resolution, out: values.out };
}

/**
 * The source the node gets. The built-in fake downloads the source image as Akool does, but only
 * from loopback: there a public URL is replaced by the fake's own sample photo, and the demo says so.
 * @param {string | undefined} source @param {any} fake the built-in fake, or undefined on the real API
 * @param {(hostname: string) => boolean} isLoopbackHost
 */
function sourceFor(source, fake, isLoopbackHost) {
	if (!source || !fake || isLoopbackHost(new URL(source).hostname)) return source;
	const sample = fake.sampleSourceUrl('png');
	process.stdout.write(`The built-in fake Akool downloads sources from loopback only: using its sample ${sample} for ${source}.\n`);
	return sample;
}

/** @param {ReturnType<typeof readFlags>} flags */
function nodeParameters(flags) {
	const common = {
		prompt: flags.prompt,
		aspectRatio: flags.aspectRatio,
		resolution: flags.resolution,
		numberOfImages: flags.count,
		waitForCompletion: true,
		downloadImage: true,
		options: { timeout: 900 },
	};
	return flags.source
		? { resource: 'image', operation: 'transform', sourceImageUrl: flags.source, ...common }
		: { resource: 'image', operation: 'generate', ...common };
}

async function main() {
	const flags = readFlags();
	// n8n-core writes its settings under N8N_USER_FOLDER: keep them out of the user's home.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'akool-demo-'));
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const require = createRequire(import.meta.url);
	const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
	const { loadBuiltPackage, runWorkflow, outputOf, TRIGGER_TYPE } = require('../test/harness/engine.js');
	const { startFakeAkool, readPngSize, API_KEY } = require('../test/fake-akool/index.js');
	const { isLoopbackHost } = require('../test/fake-akool/loopback.js');

	const realKey = process.env.AKOOL_API_KEY;
	const fake = realKey ? undefined : await startFakeAkool({ durationMs: [1500, 3000] });
	flags.source = sourceFor(flags.source, fake, isLoopbackHost);
	const credential = realKey
		? { apiKey: realKey, baseUrl: process.env.AKOOL_BASE_URL || 'https://openapi.akool.com' }
		: { apiKey: API_KEY, baseUrl: fake.baseUrl };
	process.stdout.write(
		`${flags.source ? 'Transforming' : 'Generating'} ${flags.count} image(s) at ${flags.resolution} ${flags.aspectRatio} ` +
			`with the Akool node in n8n's engine, on ${realKey ? `the Akool API (${credential.baseUrl})` : `the built-in fake Akool (${fake.baseUrl})`}...\n`,
	);
	try {
		const loader = await loadBuiltPackage(root);
		const run = await runWorkflow({
			nodeTypes: { 'n8n-nodes-akool.akool': loader.getNode('akool').type },
			credentialTypes: { akoolApi: loader.getCredential('akoolApi').type },
			credentials: { akoolApi: credential },
			nodes: [
				{ id: 'start', name: 'Start', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'akool',
					name: 'Akool',
					type: 'n8n-nodes-akool.akool',
					typeVersion: 1,
					position: [220, 0],
					parameters: nodeParameters(flags),
					credentials: { akoolApi: { id: 'demo', name: 'Akool' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Akool', type: 'main', index: 0 }]] } },
		});
		for (const fetched of fake?.sourceFetches ?? []) {
			process.stdout.write(`the fake Akool downloaded the source ${fetched.url}: ${fetched.error ?? `${fetched.bytes} bytes, ${fetched.imageType}`}\n`);
		}
		const error = run.data.resultData.error;
		if (error) {
			process.stderr.write(`Akool node failed: ${error.message}\n`);
			if (error.description) process.stderr.write(`${error.description}\n`);
			process.exitCode = 1;
			return;
		}
		mkdirSync(flags.out, { recursive: true });
		for (const item of outputOf(run, 'Akool')) {
			const binary = item.binary?.data;
			if (!binary) continue;
			const bytes = Buffer.from(binary.data, 'base64');
			const file = path.join(flags.out, binary.fileName ?? `akool-${item.json.jobId}.png`);
			writeFileSync(file, bytes);
			const { width, height } = readPngSize(bytes);
			process.stdout.write(`saved ${file} (${bytes.length} bytes, ${width}x${height}) job ${item.json.jobId}\n`);
		}
	} finally {
		await fake?.close();
	}
}

main().catch((error) => {
	process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
