// @ts-check
'use strict';

/**
 * Sample source images the fake serves on its API port (`GET /samples/<file>`, no auth, not
 * recorded), so that every Transform in the tests runs through a real fetch of a real image on
 * loopback. Fixed bytes: a test can compare what the fake fetched with `sha256` or `bytes`.
 */
const crypto = require('node:crypto');
const { encodePng } = require('./png');
const { sendRaw } = require('./http');

/** @typedef {'png' | 'jpeg' | 'text' | 'mislabelled'} SampleKind */

/**
 * @typedef {object} SampleSource
 * @property {SampleKind} kind
 * @property {string} path where the fake serves it, e.g. '/samples/photo.png'
 * @property {string} contentType what the fake answers as Content-Type
 * @property {Buffer} bytes
 * @property {string} sha256 hex of `bytes`
 * @property {'png' | 'jpeg' | null} imageType what the bytes really are
 * @property {number | null} width
 * @property {number | null} height
 */

// A 64×48 baseline JPEG (YCbCr, no subsampling, quantisation 1) whose 8×8 blocks are each one flat
// colour of a gradient, so that only DC coefficients are coded: small enough to embed, and decoded
// by pdf.js's JPEG decoder to the colours it was made from when it was written.
const JPEG_64X48 = Buffer.from(
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB' +
		'AQEBAQEBAQEBAQEBAQEBAQH/wAARCAAwAEADAREAAhEAAxEA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QA' +
		'FBABAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACAAMAAD8A/M9/SQ/N92Dyd7g6h4+9wdg8fe4OweTvaHYPH3uDqHj73B2Dx97Q' +
		'+H39MD+L91Dx97g7B4+9odg8ne4OwePvcHUPH3uDsHk72h2Dx97g+F39LD+L92Dx97Q7B5O9wdg8fe4OoePvcHYPJ3tDsHj7' +
		'3B2Dx97g+F39MD+Ld2Dx97g7B4+9wdQ8fe0OweTvcHYPH3uDsHj73B1Dyd7Q+H39LD+L92Dx97g6h4+9odg8ne4OwePvcHYP' +
		'H3uDqHk72h2Dx97g+H39LD+L91Dyd7Q7B4+9wdg8fe4OwePvaHUPJ3uDsHj73B2Dx97g/9k=',
	'base64',
);

const PNG_WIDTH = 640;
const PNG_HEIGHT = 480;

/**
 * @param {SampleKind} kind @param {string} file @param {string} contentType @param {Buffer} bytes
 * @param {{ imageType: 'png' | 'jpeg' | null, width?: number, height?: number }} what
 * @returns {SampleSource}
 */
function sample(kind, file, contentType, bytes, { imageType, width, height }) {
	const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
	return {
		kind,
		path: `/samples/${file}`,
		contentType,
		bytes,
		sha256,
		imageType,
		width: width ?? null,
		height: height ?? null,
	};
}

const NOT_AN_IMAGE = Buffer.from('This is not an image: fake-akool serves it to test source checks.\n');

/** @type {Readonly<Record<SampleKind, SampleSource>>} */
const SAMPLE_SOURCES = Object.freeze({
	png: sample('png', 'photo.png', 'image/png', encodePng(PNG_WIDTH, PNG_HEIGHT, { seed: 42 }), {
		imageType: 'png',
		width: PNG_WIDTH,
		height: PNG_HEIGHT,
	}),
	jpeg: sample('jpeg', 'photo.jpg', 'image/jpeg', JPEG_64X48, { imageType: 'jpeg', width: 64, height: 48 }),
	text: sample('text', 'not-an-image.txt', 'text/plain; charset=utf-8', NOT_AN_IMAGE, { imageType: null }),
	// Says image/png but is text: the fake (like Akool) judges the bytes, not the Content-Type.
	mislabelled: sample('mislabelled', 'not-an-image.png', 'image/png', NOT_AN_IMAGE, { imageType: null }),
});

/** @type {ReadonlyMap<string, SampleSource>} path → sample */
const BY_PATH = new Map(Object.values(SAMPLE_SOURCES).map((s) => [s.path, s]));

/** @param {string} path */
const isSamplePath = (path) => path.startsWith('/samples/');

/**
 * The URL of a sample on a fake whose API is at `baseUrl`.
 * @param {string} baseUrl @param {SampleKind} [kind] default 'png'
 */
function sampleSourceUrl(baseUrl, kind = 'png') {
	const found = SAMPLE_SOURCES[kind];
	if (!found) throw new Error(`fake-akool: no sample source '${kind}' (${Object.keys(SAMPLE_SOURCES).join(', ')})`);
	return `${baseUrl}${found.path}`;
}

/**
 * The sample a fake at `baseUrl` serves at `url`, if any: to check that what it fetched from there
 * is that sample (`sha256`).
 * @param {string} baseUrl @param {string} url
 * @returns {SampleSource | undefined}
 */
function sampleAt(baseUrl, url) {
	return url.startsWith(`${baseUrl}/`) ? BY_PATH.get(url.slice(baseUrl.length)) : undefined;
}

/**
 * Stands for the fake's base URL in fixtures written before any fake listens (workflow JSON files,
 * reliability rows): `<fake-akool>/samples/photo.png`; placeFakeUrl puts the real one in.
 */
const FAKE_URL = '<fake-akool>';

/**
 * A copy of `value` (JSON data: parameters, items, a workflow) with FAKE_URL replaced by `baseUrl`
 * in every string.
 * @template T
 * @param {T} value @param {string} baseUrl
 * @returns {T}
 */
function placeFakeUrl(value, baseUrl) {
	if (typeof value === 'string') return /** @type {T} */ (/** @type {unknown} */ (value.split(FAKE_URL).join(baseUrl)));
	if (Array.isArray(value)) return /** @type {T} */ (/** @type {unknown} */ (value.map((entry) => placeFakeUrl(entry, baseUrl))));
	if (value === null || typeof value !== 'object') return value;
	return /** @type {T} */ (
		Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, placeFakeUrl(entry, baseUrl)]))
	);
}

/**
 * Answer `GET|HEAD /samples/<file>` like a plain static file host.
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} path
 */
function serveSample(req, res, path) {
	// sendRaw notes the status in a record; samples are not recorded, so it writes to a throwaway one.
	const rec = /** @type {import('./recorder').RecordedRequest} */ ({ status: null });
	const found = BY_PATH.get(path);
	if (req.method !== 'GET' && req.method !== 'HEAD')
		return sendRaw(res, rec, 405, 'Method Not Allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
	if (!found) return sendRaw(res, rec, 404, 'Not Found', 'text/plain; charset=utf-8');
	const headers = { ETag: `"${found.sha256.slice(0, 16)}"`, 'Cache-Control': 'no-store' };
	if (req.method === 'GET') return sendRaw(res, rec, 200, found.bytes, found.contentType, headers);
	res.writeHead(200, { 'Content-Type': found.contentType, 'Content-Length': found.bytes.length, ...headers });
	res.end();
}

module.exports = { SAMPLE_SOURCES, FAKE_URL, sampleSourceUrl, sampleAt, placeFakeUrl, serveSample, isSamplePath };
