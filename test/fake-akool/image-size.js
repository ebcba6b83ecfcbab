// @ts-check
'use strict';

/**
 * Width and height from an image's header, as a downloader reads them before decoding: PNG's IHDR,
 * or a JPEG's first SOFn segment. Nothing is decoded.
 */
const { readPngSize } = require('./png');

/** @typedef {{ width: number, height: number }} Size */

/**
 * Walk the JPEG segments up to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC).
 * @param {Buffer} bytes @returns {Size | null}
 */
function readJpegSize(bytes) {
	let at = 2; // after SOI (FF D8)
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) return null;
		const marker = bytes[at + 1];
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2; // no length
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) return null; // end, or scan data before any frame
		const length = bytes.readUInt16BE(at + 2);
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame) {
			if (at + 9 > bytes.length || length < 7) return null;
			const size = { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
			return size.width > 0 && size.height > 0 ? size : null;
		}
		at += 2 + length;
	}
	return null;
}

/**
 * @param {Buffer} bytes @param {import('./source-fetch').ImageType | null} type by the magic bytes
 * @returns {Size | null} null when the type has no size reader here (WebP) or the header is broken
 */
function imageSizeOf(bytes, type) {
	if (type === 'jpeg') return readJpegSize(bytes);
	if (type !== 'png') return null;
	try {
		return readPngSize(bytes);
	} catch {
		return null;
	}
}

module.exports = { imageSizeOf, readJpegSize };
