// @ts-check
'use strict';

/** Default API key of the fake (tests and the demo use it unless they pass their own). */
const API_KEY = 'test-api-key';
// Akool encrypts callbacks with the API key, which must then be 16, 24 or 32 characters.
const CALLBACK_API_KEY = 'e2e-callback-key-24chars';

/** Akool's text-to-image Flux model (v4 create call). */
const MODEL_TEXT_TO_IMAGE = 'wavespeed-ai/flux-krea-dev-lora';
/** Akool's image-to-image Flux model (v4 create call). */
const MODEL_IMAGE_TO_IMAGE = 'wavespeed-ai/flux-kontext-dev';
/**
 * Meitu Yunxiu Pro, image editing driven by a raw `parameter` object and no prompt (Akool's docs
 * source, jinjuezhou/mintlify-docs at 420efb75; not on the public docs page yet): see meitu.js.
 */
const MODEL_MEITU = 'meitu/yunxiu-pro/image-to-image';
/** @type {readonly ModelName[]} */
const MODELS = [MODEL_TEXT_TO_IMAGE, MODEL_IMAGE_TO_IMAGE, MODEL_MEITU];

/**
 * Meitu's `parameter.people_type`: exactly these five entries, in this order ("their content and
 * order are fixed"), as the docs give them. Every five-item list of `all_params` follows this order.
 * @type {ReadonlyArray<Readonly<MeituPeopleType>>}
 */
const MEITU_DEFAULT_PEOPLE_TYPE = Object.freeze(
	[
		{ age: [15, 49], gender: 1, key: 'man', name: '' },
		{ age: [15, 49], gender: 0, key: 'woman', name: '' },
		{ age: [0, 14], gender: 0, key: 'child', name: '' },
		{ age: [50, 100], gender: 0, key: 'oldwoman', name: '' },
		{ age: [50, 100], gender: 1, key: 'oldman', name: '' },
	].map((entry) => Object.freeze({ ...entry, age: Object.freeze(entry.age) })),
);

/** The aspect ratios every model accepts as `scale`. */
/** @type {readonly AspectRatio[]} */
const ASPECT_RATIOS = ['1:1', '3:2', '4:3', '16:9', '2:3', '3:4', '9:16'];
/** Every accepted `scale`: 'Original' is image-to-image only. */
/** @type {readonly Scale[]} */
const SCALES = [...ASPECT_RATIOS, 'Original'];
/** @type {readonly Resolution[]} */
const RESOLUTIONS = ['1080p', '4k'];
/** The buttons a completed job lists when the fake's `buttons` option is on. */
/** @type {readonly Button[]} */
const BUTTONS = ['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4'];

/** Akool's paths (the fake serves them on its API server). */
const PATHS = Object.freeze({
	create: '/api/open/v4/content/image/createBySourcePrompt',
	result: '/api/open/v3/content/image/infobymodelid',
	button: '/api/open/v3/content/image/createbybutton',
	credits: '/api/open/v3/faceswap/quota/info',
});

/**
 * @typedef {'wavespeed-ai/flux-krea-dev-lora' | 'wavespeed-ai/flux-kontext-dev' | 'meitu/yunxiu-pro/image-to-image'} ModelName
 * @typedef {{ age: readonly number[], gender: number, key: string, name: string }} MeituPeopleType
 * @typedef {'1:1' | '3:2' | '4:3' | '16:9' | '2:3' | '3:4' | '9:16'} AspectRatio
 * @typedef {AspectRatio | 'Original'} Scale
 * @typedef {'1080p' | '4k'} Resolution
 * @typedef {'U1' | 'U2' | 'U3' | 'U4' | 'V1' | 'V2' | 'V3' | 'V4'} Button
 */

/** Length of the short side per resolution: "4k" is taken as UHD (2160), like 3840×2160 for 16:9. */
const SHORT_SIDE = { '1080p': 1080, '4k': 2160 };

/**
 * Pixel size of an image Akool would produce. Akool does not document it; we assume the short side
 * is 1080 or 2160 and 'Original' (the source image's ratio; the fake downloads the source but does
 * not read its size) is 4:3.
 * @param {Scale} aspectRatio
 * @param {Resolution} resolution
 * @returns {{ width: number, height: number }}
 */
function imageSize(aspectRatio, resolution) {
	const short = SHORT_SIDE[resolution];
	const ratio = aspectRatio === 'Original' ? '4:3' : aspectRatio;
	if (!short || !ASPECT_RATIOS.includes(ratio)) {
		throw new Error(`imageSize: unknown ratio ${aspectRatio} or resolution ${resolution}`);
	}
	const [a, b] = ratio.split(':').map(Number);
	return a >= b
		? { width: Math.round((short * a) / b), height: short }
		: { width: short, height: Math.round((short * b) / a) };
}

module.exports = {
	API_KEY,
	CALLBACK_API_KEY,
	MODEL_TEXT_TO_IMAGE,
	MODEL_IMAGE_TO_IMAGE,
	MODEL_MEITU,
	MEITU_DEFAULT_PEOPLE_TYPE,
	MODELS,
	ASPECT_RATIOS,
	SCALES,
	RESOLUTIONS,
	BUTTONS,
	PATHS,
	imageSize,
};
