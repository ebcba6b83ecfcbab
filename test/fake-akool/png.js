// @ts-check
'use strict';

// A minimal PNG encoder/decoder-of-headers, so the fake serves real images without npm packages.
const zlib = require('node:zlib');
const { mulberry32 } = require('./rng');

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** @typedef {'gradient' | 'noise'} ImageKind */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/**
 * CRC-32 as PNG (and zip) use it; `previous` lets a CRC run over several buffers.
 * @param {Uint8Array} bytes
 * @param {number} [previous]
 */
function crc32(bytes, previous = 0) {
	let c = (previous ^ 0xffffffff) >>> 0;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/**
 * One PNG chunk: length, type, data, CRC of type+data.
 * @param {string} type four ASCII letters
 * @param {Buffer} data
 */
function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const tail = Buffer.alloc(4);
	tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
	return Buffer.concat([head, data, tail]);
}

/**
 * Scanlines of a smooth colourful image: colour = colX[x] + rowY[y] per channel. Row 0 uses PNG's
 * "Sub" filter and the other rows the "Up" filter, whose bytes are then one 3-byte pattern repeated
 * across the row: deflate shrinks a 4K image to ~120 kB, fast.
 * @param {number} width @param {number} height @param {number} seed
 */
function gradientScanlines(width, height, seed) {
	const rnd = mulberry32(seed);
	/** @param {number} n */
	const wave = (n) => {
		const freq = 0.5 + rnd() * 2.5;
		const phase = rnd() * Math.PI * 2;
		const table = new Uint8Array(n);
		for (let i = 0; i < n; i++)
			table[i] = Math.round(63.5 + 63.5 * Math.sin((i / n) * freq * Math.PI * 2 + phase));
		return table;
	};
	const cols = [wave(width), wave(width), wave(width)];
	const rows = [wave(height), wave(height), wave(height)];
	const stride = 1 + width * 3;
	const out = Buffer.allocUnsafe(stride * height);
	out[0] = 1; // Sub: each byte minus the same channel of the pixel to its left
	for (let c = 0; c < 3; c++) {
		out[1 + c] = cols[c][0] + rows[c][0];
		for (let x = 1; x < width; x++) out[1 + x * 3 + c] = (cols[c][x] - cols[c][x - 1]) & 0xff;
	}
	for (let y = 1; y < height; y++) {
		const o = y * stride;
		out[o] = 2; // Up: each byte minus the byte above, i.e. rows[c][y] - rows[c][y - 1] for every x
		for (let c = 0; c < 3; c++) {
			const delta = (rows[c][y] - rows[c][y - 1]) & 0xff;
			for (let x = 0; x < width; x++) out[o + 1 + x * 3 + c] = delta;
		}
	}
	return out;
}

/**
 * Scanlines of seeded random pixels (filter "None"): incompressible, so a 4K image weighs ~25 MB.
 * @param {number} width @param {number} height @param {number} seed
 */
function noiseScanlines(width, height, seed) {
	const stride = 1 + width * 3;
	const length = stride * height;
	const words = new Uint32Array(Math.ceil(length / 4));
	const rnd = mulberry32(seed);
	for (let i = 0; i < words.length; i++) words[i] = (rnd() * 0x100000000) >>> 0;
	const out = Buffer.from(words.buffer, 0, length);
	for (let y = 0; y < height; y++) out[y * stride] = 0;
	return out;
}

/**
 * Encode an 8-bit RGB PNG.
 * @param {number} width
 * @param {number} height
 * @param {{ seed?: number, kind?: ImageKind }} [options]
 * @returns {Buffer}
 */
function encodePng(width, height, options = {}) {
	const { seed = 1, kind = 'gradient' } = options;
	if (
		!Number.isInteger(width) ||
		!Number.isInteger(height) ||
		width < 1 ||
		height < 1 ||
		width * height > 1e8
	) {
		throw new Error(`encodePng: bad size ${width}x${height}`);
	}
	if (kind !== 'gradient' && kind !== 'noise') throw new Error(`encodePng: unknown kind ${kind}`);
	const scanlines =
		kind === 'noise' ? noiseScanlines(width, height, seed) : gradientScanlines(width, height, seed);
	// Level 0 for noise: deflating random bytes costs time and gains nothing. Level 1 is plenty for
	// the repeated patterns of the gradient.
	const idat = zlib.deflateSync(scanlines, { level: kind === 'noise' ? 0 : 1 });
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB; bytes 10..12 (compression, filter, interlace) stay 0
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', idat),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * Width and height from a PNG's IHDR; throws unless the signature, the IHDR chunk and its CRC are valid.
 * @param {Uint8Array} bytes
 * @returns {{ width: number, height: number }}
 */
function readPngSize(bytes) {
	if (!(bytes instanceof Uint8Array)) throw new Error('not a PNG: not a buffer');
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (buf.length < 33) throw new Error(`not a PNG: only ${buf.length} bytes`);
	if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
	if (buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') {
		throw new Error('not a PNG: first chunk is not a 13-byte IHDR');
	}
	if (buf.readUInt32BE(29) !== crc32(buf.subarray(12, 29)))
		throw new Error('not a PNG: IHDR CRC mismatch');
	const width = buf.readUInt32BE(16);
	const height = buf.readUInt32BE(20);
	if (width === 0 || height === 0) throw new Error('not a PNG: zero width or height');
	return { width, height };
}

/**
 * A still valid PNG longer than `minBytes`: a tEXt chunk of spaces goes before IEND. Used by the
 * 'oversize' download fault, to test size limits with an image a decoder would accept.
 * @param {Buffer} png
 * @param {number} minBytes
 */
function padPng(png, minBytes) {
	const keyword = Buffer.from('Comment\0', 'latin1');
	const fill = Math.max(1, minBytes + 1 - png.length - 12 - keyword.length);
	const text = chunk('tEXt', Buffer.concat([keyword, Buffer.alloc(fill, 0x20)]));
	const iendAt = png.length - 12;
	return Buffer.concat([png.subarray(0, iendAt), text, png.subarray(iendAt)]);
}

// Generated images are cached, or a benchmark downloading hundreds of 4K images would spend its
// time encoding. Seeds are folded into a few buckets so images still differ between jobs.
const SEED_BUCKETS = 8;
const CACHE_MAX_BYTES = 256 * 1024 * 1024;
const CACHE_MAX_ENTRIES = 64;
/** @type {Map<string, Buffer>} insertion order = least recently used first */
const cache = new Map();
let cachedBytes = 0;

/**
 * The (cached) PNG of a job: same size, kind and seed bucket give the same Buffer.
 * @param {number} width @param {number} height @param {ImageKind} kind @param {number} seed
 */
function cachedPng(width, height, kind, seed) {
	const bucket = (Math.abs(Math.trunc(seed)) % SEED_BUCKETS) + 1;
	const key = `${width}x${height}:${kind}:${bucket}`;
	let png = cache.get(key);
	if (png) {
		cache.delete(key); // re-insert: most recently used goes last
	} else {
		png = encodePng(width, height, { seed: bucket, kind });
		cachedBytes += png.length;
	}
	cache.set(key, png);
	for (const [oldKey, old] of cache) {
		if (cache.size <= 1 || (cachedBytes <= CACHE_MAX_BYTES && cache.size <= CACHE_MAX_ENTRIES))
			break;
		cache.delete(oldKey);
		cachedBytes -= old.length;
	}
	return png;
}

module.exports = { encodePng, readPngSize, padPng, cachedPng, crc32, SIGNATURE };
