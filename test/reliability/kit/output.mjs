// @ts-check
/** The Akool node's output items: error items, result items, and the bytes of the files n8n stored. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const binaryData = require('../../harness/binaryData.js');

/** An error item of Continue On Fail. @param {any} item */
export const isErrorItem = (item) => typeof item?.json?.error === 'string';

/** A success output of the node: an image (its job) or the credits. @param {any} item */
export const isResultItem = (item) => !isErrorItem(item) && Boolean(item.json?.jobId || item.json?.credit !== undefined);

/**
 * The output items with each file n8n stored (filesystem mode: an `id`, no bytes) read back into
 * `data` as in memory mode, so that every check sees the bytes; copies, the run data stays as it is.
 * @param {any[]} output
 */
export async function withStoredBytes(output) {
	const read = async (/** @type {any} */ file) => (file?.id ? { ...file, data: (await binaryData.binaryDataService().getAsBuffer(file)).toString('base64') } : file);
	return await Promise.all(
		output.map(async (item) =>
			item.binary ? { ...item, binary: Object.fromEntries(await Promise.all(Object.entries(item.binary).map(async ([name, file]) => [name, await read(file)]))) } : item,
		),
	);
}
