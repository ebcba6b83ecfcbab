// @ts-check
'use strict';

/**
 * Akool's Meitu Yunxiu Pro model (`meitu/yunxiu-pro/image-to-image`), from Akool's docs source
 * (jinjuezhou/mintlify-docs at 420efb75: create-by-source-prompt.mdx and
 * meitu-yunxiu-parameters.mdx; not on the public docs page yet): chosen explicitly, one public
 * JPG/JPEG/PNG source URL (no base64, no IP-address URL), no prompt, a raw `parameter` object
 * (meitu-parameter.js), sources up to 15000 × 15000 read from the image header.
 */
const net = require('node:net');
const { MODEL_MEITU } = require('./constants');
const { parameterError } = require('./meitu-parameter');
const { isLoopbackHost } = require('./loopback');

/** The largest source side the docs allow (the original-image interface above 1500 px). */
const MEITU_MAX_SIDE = 15000;

/**
 * The fake's Meitu switches (option `meitu`; each defaults as below).
 * @typedef {object} MeituOptions
 * @property {boolean} allowLoopbackIp accept a source URL whose host is a loopback IP (127.0.0.0/8,
 *   [::1]) although Akool refuses IP-address URLs, so that tests can use the fake's samples on
 *   127.0.0.1 (default true; `localhost` URLs are not IP addresses and pass either way)
 * @property {boolean} exactPeopleType people_type must hold the documented values, not only the
 *   documented shape and order (default true: "their content and order are fixed")
 * @property {boolean} allowUnknownParams accept keys of `parameter` / `all_params` that the
 *   reference page does not list (default false: the page calls its table complete)
 */

/** @type {Readonly<MeituOptions>} */
const DEFAULT_MEITU_OPTIONS = Object.freeze({
	allowLoopbackIp: true,
	exactPeopleType: true,
	allowUnknownParams: false,
});

/**
 * Merge a partial `meitu` option over the ones in force; unknown keys and non-booleans throw.
 * @param {unknown} partial @param {Readonly<MeituOptions>} [base]
 * @returns {Readonly<MeituOptions>}
 */
function resolveMeituOptions(partial, base = DEFAULT_MEITU_OPTIONS) {
	if (partial === undefined || partial === null) return base;
	if (typeof partial !== 'object' || Array.isArray(partial))
		throw new Error('fake-akool: meitu must be an object of booleans');
	/** @type {MeituOptions} */
	const merged = { ...base };
	for (const [key, value] of Object.entries(partial)) {
		if (!(key in DEFAULT_MEITU_OPTIONS)) throw new Error(`fake-akool: unknown option meitu.${key}`);
		if (typeof value !== 'boolean') throw new Error(`fake-akool: meitu.${key} must be true or false`);
		Object.assign(merged, { [key]: value });
	}
	return Object.freeze(merged);
}

/** @param {string} hostname as URL gives it: IPv6 in brackets, IPv4 shorthands expanded */
const isIpHost = (hostname) => net.isIPv4(hostname) || hostname.startsWith('[');

/**
 * What is wrong with Meitu's `source_images`, or null: one public http(s) URL, not base64 / a data:
 * URL, not an IP address (but a loopback IP when `allowLoopbackIp`).
 * @param {unknown} sources @param {Readonly<MeituOptions>} options
 */
function meituSourceError(sources, options) {
	const rule = `${MODEL_MEITU} needs source_images with one public http(s) URL of a JPG, JPEG or PNG image`;
	if (sources === undefined) return `source_images is required: ${rule}`;
	if (!Array.isArray(sources) || sources.length !== 1) {
		const got = Array.isArray(sources) ? `${sources.length} entries` : typeof sources;
		return `source_images must be an array of exactly one URL: ${rule}; got ${got}`;
	}
	const [source] = sources;
	if (typeof source !== 'string') return `source_images[0] must be a string: ${rule}`;
	if (/^\s*data:/i.test(source) || /;base64,/i.test(source))
		return `source_images[0] is a data:/base64 image: ${MODEL_MEITU} does not support base64, only a public http(s) URL`;
	let url;
	try {
		url = new URL(source);
	} catch {
		const looksBase64 = source.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(source);
		return looksBase64
			? `source_images[0] looks like base64 image data: ${MODEL_MEITU} does not support base64, only a public http(s) URL`
			: `source_images[0] is not a URL: ${rule}`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return `source_images[0] must be an http(s) URL, not ${url.protocol}: ${rule}`;
	if (isIpHost(url.hostname) && !(options.allowLoopbackIp && isLoopbackHost(url.hostname)))
		return `source_images[0] has an IP-address host (${url.hostname}): ${MODEL_MEITU} does not support IP-address URLs; use a host name`;
	return null;
}

/**
 * A Meitu create body's own fields: source_images, prompt (optional, ignored) and parameter.
 * The fields every model shares (scale, resolution, batch_quantity, ...) are validate.js's.
 * @param {Record<string, unknown>} body @param {Readonly<MeituOptions>} options
 * @returns {string | null} the first problem (Akool's 1003), or null
 */
function meituCreateError(body, options) {
	const sourceError = meituSourceError(body.source_images, options);
	if (sourceError) return sourceError;
	if (body.prompt !== undefined && typeof body.prompt !== 'string')
		return `prompt must be a string when present (${MODEL_MEITU} does not use it)`;
	return parameterError(body.parameter, options);
}

/**
 * Why a downloaded source does not suit Meitu, or null: the docs take JPG, JPEG or PNG whose header
 * gives a size up to 15000 × 15000 ("task creation fails" otherwise: the fake fails the job).
 * @param {import('./source-fetch').ImageType | null} type @param {{ width: number, height: number } | null} size
 */
function meituSourceRejection(type, size) {
	if (type !== 'png' && type !== 'jpeg')
		return `unsupported source: ${MODEL_MEITU} takes JPG, JPEG or PNG; this is ${type ?? 'not an image'}`;
	if (!size) return `unsupported source: the ${type} header gives no width and height`;
	if (size.width > MEITU_MAX_SIDE || size.height > MEITU_MAX_SIDE)
		return `unsupported source: ${size.width}×${size.height} is over ${MEITU_MAX_SIDE}×${MEITU_MAX_SIDE} (${MODEL_MEITU})`;
	return null;
}

module.exports = {
	DEFAULT_MEITU_OPTIONS,
	MEITU_MAX_SIDE,
	resolveMeituOptions,
	meituCreateError,
	meituSourceError,
	meituSourceRejection,
};
