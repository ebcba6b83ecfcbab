#!/usr/bin/env node
// @ts-check
'use strict';

// Run the fake in its own process (e2e against a real n8n, benchmarks). Prints one JSON line
// {"baseUrl","cdnBaseUrl","pid"} on stdout once listening; on SIGTERM/SIGINT prints the stats as
// one JSON line on stderr and exits. Control it over HTTP: GET /__stats, GET /__requests[?kind=],
// GET /__jobs, GET /__callbacks, POST /__reset, POST /__plan {kind, faults}, POST /__options {...}.
const { startFakeAkool } = require('./index');

const USAGE = `usage: node test/fake-akool/cli.js [--port N] [--cdn-port N] [--api-key K]
  [--duration-ms A[-B]] [--time-scale X] [--seed N] [--rate-limit N/windowMs]
  [--image-kind gradient|noise] [--credits N] [--buttons]
  [--callbacks CLIENT_ID [--callback-retry-ms N] [--callback-max-attempts N] [--no-processing-callback]
   [--processing-callback-delay-ms N] [--hold-create-answer-ms N]]`;

/** @param {string} flag @param {string | undefined} text */
function number(flag, text) {
	const value = Number(text);
	if (text === undefined || text === '' || !Number.isFinite(value))
		throw new Error(`${flag} needs a number`);
	return value;
}

/**
 * @param {string[]} argv
 * @returns {import('./index').FakeAkoolOptions}
 */
function parseArgs(argv) {
	/** @type {import('./index').FakeAkoolOptions} */
	const options = { admin: true };
	/** @type {Partial<import('./callbacks').CallbackOptions>} */
	const callbacks = {};
	let callbacksOn = false;
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const next = () => argv[++i];
		switch (flag) {
			case '--port':
				options.port = number(flag, next());
				break;
			case '--cdn-port':
				options.cdnPort = number(flag, next());
				break;
			case '--api-key':
				options.apiKey = next();
				break;
			case '--time-scale':
				options.timeScale = number(flag, next());
				break;
			case '--seed':
				options.seed = number(flag, next());
				break;
			case '--credits':
				options.credits = number(flag, next());
				break;
			case '--buttons':
				options.buttons = true;
				break;
			case '--image-kind': {
				const kind = next();
				if (kind !== 'gradient' && kind !== 'noise')
					throw new Error('--image-kind is gradient or noise');
				options.imageKind = kind;
				break;
			}
			case '--duration-ms': {
				const [a, b] = (next() ?? '').split('-');
				options.durationMs = b === undefined ? number(flag, a) : [number(flag, a), number(flag, b)];
				break;
			}
			case '--rate-limit': {
				const [max, windowMs] = (next() ?? '').split('/');
				options.rateLimit = { max: number(flag, max), windowMs: number(flag, windowMs) };
				break;
			}
			case '--callbacks': {
				const clientId = next();
				if (!clientId) throw new Error('--callbacks needs the Client ID');
				callbacks.clientId = clientId;
				callbacksOn = true;
				break;
			}
			case '--callback-retry-ms':
				callbacks.retryMs = number(flag, next());
				break;
			case '--callback-max-attempts':
				callbacks.maxAttempts = number(flag, next());
				break;
			case '--no-processing-callback':
				callbacks.processing = false;
				break;
			case '--processing-callback-delay-ms':
				callbacks.processingDelayMs = number(flag, next());
				break;
			case '--hold-create-answer-ms':
				callbacks.holdAnswerMs = number(flag, next());
				break;
			default:
				throw new Error(`unknown argument ${flag}`);
		}
	}
	if (!callbacksOn && Object.keys(callbacks).length > 0)
		throw new Error('--callback-* flags need --callbacks CLIENT_ID');
	if (callbacksOn) options.callbacks = /** @type {import('./callbacks').CallbackOptions} */ (callbacks);
	return options;
}

async function main() {
	let options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : error}\n${USAGE}\n`);
		process.exit(2);
	}
	const fake = await startFakeAkool(options);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		const stats = fake.stats();
		await fake.close();
		process.stderr.write(`${JSON.stringify(stats)}\n`);
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	process.stdout.write(
		`${JSON.stringify({ baseUrl: fake.baseUrl, cdnBaseUrl: fake.cdnBaseUrl, pid: process.pid })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`fake-akool: ${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
