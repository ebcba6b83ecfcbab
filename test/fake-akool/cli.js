#!/usr/bin/env node
// @ts-check
'use strict';

// Run the fake in its own process (e2e against a real n8n, benchmarks). Prints one JSON line
// {"baseUrl","cdnBaseUrl","pid"} on stdout once listening; on SIGTERM/SIGINT prints the stats as
// one JSON line on stderr and exits. Control it over HTTP: GET /__stats, GET /__requests[?kind=],
// GET /__jobs, GET /__callbacks, GET /__source-fetches, POST /__reset, POST /__plan {kind, faults},
// POST /__options {...}. Sample source images: GET /samples/photo.png, /samples/photo.jpg (no auth).
const { startFakeAkool } = require('./index');

const USAGE = `usage: node test/fake-akool/cli.js [--port N] [--cdn-port N] [--api-key K]
  [--duration-ms A[-B]] [--time-scale X] [--seed N] [--rate-limit N/windowMs]
  [--image-kind gradient|noise] [--credits N] [--buttons] [--source-timeout-ms N] [--source-max-bytes N]
  [--callbacks CLIENT_ID [--callback-retry-ms N] [--callback-max-attempts N] [--no-processing-callback]
   [--processing-callback-delay-ms N] [--hold-create-answer-ms N]]
  [--meitu-refuse-loopback-ip] [--meitu-any-people-type] [--meitu-allow-unknown-params]`;

/** @param {string} flag @param {string | undefined} text */
function number(flag, text) {
	const value = Number(text);
	if (text === undefined || text === '' || !Number.isFinite(value))
		throw new Error(`${flag} needs a number`);
	return value;
}

/**
 * How a flag's value is read: `next()` takes the argument after the flag (a flag without a value
 * does not call it).
 * @typedef {(flag: string, next: () => string | undefined) => unknown} Read
 */

/** @type {Read} */
const numeric = (flag, next) => number(flag, next());
/** @type {Read} */
const text = (_flag, next) => next();
/** @param {unknown} value @returns {Read} */
const constant = (value) => () => value;

/**
 * Every flag: the options object it sets (the fake's options, or its callback options), the
 * option's name and how its value is read.
 * @type {Record<string, { into: 'options' | 'callbacks' | 'meitu', name: string, read: Read }>}
 */
const FLAGS = {
	'--port': { into: 'options', name: 'port', read: numeric },
	'--cdn-port': { into: 'options', name: 'cdnPort', read: numeric },
	'--api-key': { into: 'options', name: 'apiKey', read: text },
	'--time-scale': { into: 'options', name: 'timeScale', read: numeric },
	'--seed': { into: 'options', name: 'seed', read: numeric },
	'--credits': { into: 'options', name: 'credits', read: numeric },
	'--buttons': { into: 'options', name: 'buttons', read: constant(true) },
	'--source-timeout-ms': { into: 'options', name: 'sourceTimeoutMs', read: numeric },
	'--source-max-bytes': { into: 'options', name: 'sourceMaxBytes', read: numeric },
	'--image-kind': {
		into: 'options',
		name: 'imageKind',
		read: (_flag, next) => {
			const kind = next();
			if (kind !== 'gradient' && kind !== 'noise') throw new Error('--image-kind is gradient or noise');
			return kind;
		},
	},
	'--duration-ms': {
		into: 'options',
		name: 'durationMs',
		read: (flag, next) => {
			const [a, b] = (next() ?? '').split('-');
			return b === undefined ? number(flag, a) : [number(flag, a), number(flag, b)];
		},
	},
	'--rate-limit': {
		into: 'options',
		name: 'rateLimit',
		read: (flag, next) => {
			const [max, windowMs] = (next() ?? '').split('/');
			return { max: number(flag, max), windowMs: number(flag, windowMs) };
		},
	},
	'--callbacks': {
		into: 'callbacks',
		name: 'clientId',
		read: (_flag, next) => {
			const clientId = next();
			if (!clientId) throw new Error('--callbacks needs the Client ID');
			return clientId;
		},
	},
	'--callback-retry-ms': { into: 'callbacks', name: 'retryMs', read: numeric },
	'--callback-max-attempts': { into: 'callbacks', name: 'maxAttempts', read: numeric },
	'--no-processing-callback': { into: 'callbacks', name: 'processing', read: constant(false) },
	'--processing-callback-delay-ms': { into: 'callbacks', name: 'processingDelayMs', read: numeric },
	'--hold-create-answer-ms': { into: 'callbacks', name: 'holdAnswerMs', read: numeric },
	'--meitu-refuse-loopback-ip': { into: 'meitu', name: 'allowLoopbackIp', read: constant(false) },
	'--meitu-any-people-type': { into: 'meitu', name: 'exactPeopleType', read: constant(false) },
	'--meitu-allow-unknown-params': { into: 'meitu', name: 'allowUnknownParams', read: constant(true) },
};

/**
 * @param {string[]} argv
 * @returns {import('./index').FakeAkoolOptions}
 */
function parseArgs(argv) {
	/** @type {Record<'options' | 'callbacks' | 'meitu', Record<string, unknown>>} */
	const set = { options: { admin: true }, callbacks: {}, meitu: {} };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const spec = Object.prototype.hasOwnProperty.call(FLAGS, flag) ? FLAGS[flag] : undefined;
		if (!spec) throw new Error(`unknown argument ${flag}`);
		set[spec.into][spec.name] = spec.read(flag, () => argv[++i]);
	}
	const { options, callbacks, meitu } = set;
	if (Object.keys(meitu).length > 0) options.meitu = meitu;
	// --callbacks sets the Client ID (or fails): the callback options are on exactly when it is there
	const callbacksOn = callbacks.clientId !== undefined;
	if (!callbacksOn && Object.keys(callbacks).length > 0)
		throw new Error('--callback-* flags need --callbacks CLIENT_ID');
	if (callbacksOn) options.callbacks = callbacks;
	return /** @type {import('./index').FakeAkoolOptions} */ (options);
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
