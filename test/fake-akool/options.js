// @ts-check
'use strict';

const { API_KEY } = require('./constants');
const { resolveCallbackOptions } = require('./callback-options');
const { DEFAULT_MEITU_OPTIONS, resolveMeituOptions } = require('./meitu');

/** @typedef {import('./png').ImageKind} ImageKind */

/**
 * Options of `startFakeAkool` (all optional). Durations are in ms of fake time: each is multiplied
 * by `timeScale`, so a benchmark can run Akool-like timings (tens of seconds) at 1/100 speed.
 * @typedef {object} FakeAkoolOptions
 * @property {string} [apiKey] accepted key, as `x-api-key` or `Authorization: Bearer <key>` (default 'test-api-key')
 * @property {number | [number, number]} [durationMs] job time from create to completed, or a [min, max] range drawn per job (default [300, 600])
 * @property {number} [timeScale] multiplies every duration: job times, urlDelayMs, the rate-limit window (default 1)
 * @property {number} [seed] seed of the RNG that draws job durations in creation order (default 1)
 * @property {boolean} [failPrompt] jobs whose prompt contains '[fail]' end in status 4 (default true)
 * @property {number} [failEvery] every Nth created job ends in status 4 (0 = never, the default)
 * @property {number} [urlDelayMs] a completed job reports `image: ''` for this long before its URL appears (default 0)
 * @property {number} [latencyMs] every API answer is held this many real ms (not scaled), so that tests can see how many requests a client keeps in flight (default 0)
 * @property {number} [cdnLatencyMs] the same for every CDN answer (image downloads) (default 0)
 * @property {boolean} [urlInUpscaledOnly] completed jobs report their URL only in `upscaled_urls[0]` (default false)
 * @property {boolean} [buttons] completed jobs list U1..U4, V1..V4 (default false: unconfirmed for Flux jobs)
 * @property {{ max: number, windowMs: number } | null} [rateLimit] at most `max` API requests per rolling window, then code 1005 (default none)
 * @property {ImageKind} [imageKind] 'gradient' (small files, default) or 'noise' (incompressible, ~25 MB at 4K)
 * @property {number} [credits] the account's balance; each created image deducts 1 (default 1000)
 * @property {number} [port] API port on 127.0.0.1 (default 0: ephemeral)
 * @property {number} [cdnPort] CDN port on 127.0.0.1 (default 0: ephemeral)
 * @property {string} [cdnHost] host name in CDN URLs (default 'localhost', so it differs from the API's '127.0.0.1')
 * @property {boolean} [admin] serve /__stats, /__requests, /__jobs, /__reset, /__plan, /__options on the API server (the CLI turns it on)
 * @property {() => number} [now] clock in ms (default Date.now)
 * @property {import('./callback-options').CallbackOptions | null | false} [callbacks] send signed, encrypted callbacks to each job's webhook URL (see callbacks.js); needs an `apiKey` of 16, 24 or 32 bytes (default off)
 * @property {number} [sourceTimeoutMs] real ms (not scaled) the download of a job's source may take, answer and body, before the job fails as unreachable (default 10000)
 * @property {number} [sourceMaxBytes] a source larger than this fails its job as 'too large' (default 50 MiB)
 * @property {Partial<import('./meitu').MeituOptions>} [meitu] Meitu Yunxiu Pro switches, merged over the ones in force: allowLoopbackIp (true), exactPeopleType (true), allowUnknownParams (false); see meitu.js
 */

/**
 * @typedef {object} ResolvedOptions
 * @property {string} apiKey
 * @property {number | [number, number]} durationMs
 * @property {number} timeScale
 * @property {number} seed
 * @property {boolean} failPrompt
 * @property {number} failEvery
 * @property {number} urlDelayMs
 * @property {number} latencyMs
 * @property {number} cdnLatencyMs
 * @property {boolean} urlInUpscaledOnly
 * @property {boolean} buttons
 * @property {{ max: number, windowMs: number } | null} rateLimit
 * @property {ImageKind} imageKind
 * @property {number} credits
 * @property {number} port
 * @property {number} cdnPort
 * @property {string} cdnHost
 * @property {boolean} admin
 * @property {() => number} now
 * @property {import('./callback-options').ResolvedCallbackOptions | null} callbacks
 * @property {number} sourceTimeoutMs
 * @property {number} sourceMaxBytes
 * @property {Readonly<import('./meitu').MeituOptions>} meitu
 */

/** @type {ResolvedOptions} */
const DEFAULT_OPTIONS = Object.freeze({
	apiKey: API_KEY,
	durationMs: /** @type {[number, number]} */ ([300, 600]),
	timeScale: 1,
	seed: 1,
	failPrompt: true,
	failEvery: 0,
	urlDelayMs: 0,
	latencyMs: 0,
	cdnLatencyMs: 0,
	urlInUpscaledOnly: false,
	buttons: false,
	rateLimit: null,
	imageKind: 'gradient',
	credits: 1000,
	port: 0,
	cdnPort: 0,
	cdnHost: 'localhost',
	admin: false,
	now: Date.now,
	callbacks: null,
	// A network timeout, not a processing time: it stays real time under timeScale, so that a scaled
	// down benchmark on a busy machine does not fail its jobs on a loopback answer that took 50 ms.
	sourceTimeoutMs: 10_000,
	sourceMaxBytes: 50 * 1024 * 1024,
	meitu: DEFAULT_MEITU_OPTIONS,
});

/** @param {unknown} value */
const isNonNegative = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Merge `partial` over `base` and reject nonsense early (a typo in a test should fail loudly, not
 * produce a fake that silently behaves differently).
 * @param {FakeAkoolOptions} partial
 * @param {ResolvedOptions} [base]
 * @returns {ResolvedOptions}
 */
function resolveOptions(partial, base = DEFAULT_OPTIONS) {
	/** @type {ResolvedOptions} */
	const merged = { ...base };
	for (const [key, value] of Object.entries(partial ?? {})) {
		if (!(key in DEFAULT_OPTIONS)) throw new Error(`fake-akool: unknown option ${key}`);
		// meitu is merged key by key: setOptions({ meitu: { allowLoopbackIp: false } }) keeps the others.
		if (key === 'meitu') merged.meitu = resolveMeituOptions(value, base.meitu);
		else if (value !== undefined) Object.assign(merged, { [key]: value });
	}
	const d = merged.durationMs;
	const range = Array.isArray(d) ? d : [d, d];
	if (range.length !== 2 || !range.every(isNonNegative) || range[0] > range[1]) {
		throw new Error(
			`fake-akool: durationMs must be a number or [min, max], got ${JSON.stringify(d)}`,
		);
	}
	for (const key of /** @type {const} */ ([
		'timeScale',
		'failEvery',
		'urlDelayMs',
		'latencyMs',
		'cdnLatencyMs',
		'credits',
		'port',
		'cdnPort',
		'sourceTimeoutMs',
		'sourceMaxBytes',
	])) {
		if (!isNonNegative(merged[key])) throw new Error(`fake-akool: ${key} must be a number >= 0`);
	}
	const rl = merged.rateLimit;
	if (rl && !(rl.max >= 1 && rl.windowMs > 0))
		throw new Error('fake-akool: rateLimit needs max >= 1 and windowMs > 0');
	if (merged.imageKind !== 'gradient' && merged.imageKind !== 'noise') {
		throw new Error(`fake-akool: imageKind must be 'gradient' or 'noise'`);
	}
	merged.callbacks = resolveCallbackOptions(merged.callbacks, merged.apiKey);
	return merged;
}

module.exports = { DEFAULT_OPTIONS, resolveOptions };
