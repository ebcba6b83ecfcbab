// @ts-check
'use strict';

const {
	MODELS,
	MODEL_TEXT_TO_IMAGE,
	MODEL_IMAGE_TO_IMAGE,
	MODEL_MEITU,
	SCALES,
	RESOLUTIONS,
} = require('./constants');
const { DEFAULT_MEITU_OPTIONS, meituCreateError } = require('./meitu');

/**
 * @typedef {import('./jobs').JobSpec} JobSpec
 * @typedef {{ ok: true, spec: JobSpec, quantity: number } | { ok: false, msg: string }} CreateCheck
 */

/** @param {string} msg @returns {{ ok: false, msg: string }} */
const fail = (msg) => ({ ok: false, msg });

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {unknown} value */
function isHttpUrl(value) {
	if (typeof value !== 'string') return false;
	try {
		const { protocol } = new URL(value);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * @template {string} T
 * @param {readonly T[]} list @param {unknown} value @returns {value is T}
 */
const oneOf = (list, value) => list.includes(/** @type {T} */ (value));

/**
 * Check a createBySourcePrompt body the way Akool's reference page describes it. The first problem
 * wins and its message names the field and what is allowed (Akool answers code 1003). A field that
 * is present with the wrong type, `null` included, is an error; unknown keys are ignored, except in
 * Meitu's `parameter` (meitu.js).
 * @param {unknown} body
 * @param {Readonly<import('./meitu').MeituOptions>} [meitu] the fake's `meitu` option
 * @returns {CreateCheck}
 */
function validateCreate(body, meitu = DEFAULT_MEITU_OPTIONS) {
	if (!isObject(body)) return fail('Request body must be a JSON object');
	const { prompt, model_name: model, source_images: sources } = body;

	// Meitu is chosen explicitly and has rules of its own: no prompt, one source, a parameter object.
	if (model === MODEL_MEITU) {
		const meituError = meituCreateError(body, meitu);
		return meituError ? fail(meituError) : checkShared(body, MODEL_MEITU, '');
	}
	if (typeof prompt !== 'string' || prompt.trim() === '')
		return fail('prompt is required: a non-empty string');
	if (
		sources !== undefined &&
		!(Array.isArray(sources) && sources.length > 0 && sources.every(isHttpUrl))
	) {
		return fail('source_images must be a non-empty array of http(s) image URLs');
	}
	const hasSources = Array.isArray(sources);
	if (model !== undefined && !oneOf(MODELS, model))
		return fail(`model_name must be one of: ${MODELS.join(', ')}`);
	// No model_name: Akool picks the model by whether source_images is present (never Meitu).
	const chosen = model ?? (hasSources ? MODEL_IMAGE_TO_IMAGE : MODEL_TEXT_TO_IMAGE);
	if (chosen === MODEL_TEXT_TO_IMAGE && hasSources) {
		return fail(
			`model_name ${MODEL_TEXT_TO_IMAGE} is text-to-image and takes no source_images (use ${MODEL_IMAGE_TO_IMAGE})`,
		);
	}
	if (chosen === MODEL_IMAGE_TO_IMAGE && !hasSources) {
		return fail(`model_name ${MODEL_IMAGE_TO_IMAGE} is image-to-image: source_images is required`);
	}
	return checkShared(body, chosen, prompt);
}

/**
 * The fields every model takes (the docs give Meitu no rules of its own for them), then the job spec.
 * `source_images` and the model were checked already.
 * @param {Record<string, unknown>} body @param {import('./constants').ModelName} model
 * @param {string} prompt what the job records as its prompt
 * @returns {CreateCheck}
 */
function checkShared(body, model, prompt) {
	const { source_images: sources, scale, resolution, batch_quantity: quantity } = body;
	const { similar, negative_prompt: negative, webhookurl, parameter } = body;
	const hasSources = Array.isArray(sources);
	if (scale !== undefined && !oneOf(SCALES, scale))
		return fail(`scale must be one of: ${SCALES.join(', ')}`);
	if (scale === 'Original' && !hasSources)
		return fail("scale 'Original' is only allowed for image-to-image (with source_images)");
	if (resolution !== undefined && !oneOf(RESOLUTIONS, resolution)) {
		return fail(`resolution must be one of: ${RESOLUTIONS.join(', ')}`);
	}
	if (
		quantity !== undefined &&
		!(Number.isInteger(quantity) && Number(quantity) >= 1 && Number(quantity) <= 4)
	) {
		return fail('batch_quantity must be an integer from 1 to 4');
	}
	if (similar !== undefined && !(typeof similar === 'number' && similar >= 0 && similar <= 1)) {
		return fail('similar must be a number from 0 to 1');
	}
	if (negative !== undefined && typeof negative !== 'string')
		return fail('negative_prompt must be a string');
	if (webhookurl !== undefined && typeof webhookurl !== 'string')
		return fail('webhookurl must be a string');

	return {
		ok: true,
		quantity: Number(quantity ?? 1),
		spec: {
			prompt,
			negativePrompt: /** @type {string | undefined} */ (negative) ?? '',
			model,
			sourceImages: hasSources ? /** @type {string[]} */ (sources) : [],
			ratio: /** @type {import('./constants').Scale | undefined} */ (scale) ?? '1:1',
			resolution: /** @type {import('./constants').Resolution | undefined} */ (resolution) ?? '4k',
			// 'similar' only means something for image-to-image; the fake accepts and ignores it otherwise.
			similar: hasSources ? /** @type {number | undefined} */ (similar) ?? 0.5 : null,
			webhookUrl: /** @type {string | undefined} */ (webhookurl) ?? '',
			// Meitu's raw editing settings (checked in meitu.js); other models ignore a parameter.
			parameter: model === MODEL_MEITU ? /** @type {Record<string, unknown>} */ (parameter) : null,
		},
	};
}

module.exports = { validateCreate, isObject };
