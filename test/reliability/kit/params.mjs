// @ts-check
/**
 * The Akool node's parameters as the rows write them: the scripts' one builder of the node's
 * parameters (akoolNodeParameters), with the matrix's short poll (1 s) and timeout (30 s), and the
 * input items the `={{ $json.prompt }}` expression reads.
 */
import { akoolNodeParameters } from '../../../scripts/e2e/akool-params.mjs';
import { SAMPLE_SOURCE } from './fake.mjs';

/** @typedef {import('./types.mjs').Obj} Obj */

/** Generate: one 1:1 1080p image of the item's prompt, waited for and downloaded. @param {Obj} [o] */
export function generate(o = {}) {
	return akoolNodeParameters({ ...o, options: { pollInterval: 1, timeout: 30, ...(o.options ?? {}) } });
}

/** Transform of the fake's sample source. @param {Obj} [o] */
export function transform(o = {}) {
	return generate({
		operation: 'transform',
		sourceImageUrl: SAMPLE_SOURCE,
		similarity: 0.5,
		aspectRatio: 'Original',
		...o,
	});
}

/** @param {Obj} [o] */
export function getResult(o = {}) {
	const params = /** @type {Obj} */ (generate({ operation: 'getResult', ...o }));
	for (const createOnly of ['prompt', 'aspectRatio', 'resolution', 'numberOfImages']) delete params[createOnly];
	return params;
}

/** @param {Obj} [o] */
export function upscaleOrVary(o = {}) {
	return getResult({ operation: 'upscaleOrVary', jobId: '', button: 'U1', ...o });
}

/** @param {Obj} [o] */
export function getCredits(o = {}) {
	return { resource: 'account', operation: 'getCredits', ...o };
}

/** `n` items `{ prompt: 'item i' }`. @param {number} n @param {(i: number) => Obj} [extra] */
export function prompts(n, extra = () => ({})) {
	return Array.from({ length: n }, (_, i) => ({ prompt: `item ${i}`, ...extra(i) }));
}
