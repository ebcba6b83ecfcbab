// @ts-check
/**
 * A binary source in the filesystem binary mode on a disk the worker shares with the main
 * (N8N_BINARY_DATA_STORAGE_PATH, see lib/binary-source.mjs): the main serves the file.
 */
import assert from 'node:assert/strict';

import { binaryWorker, mainStorage, served, transform } from '../lib/binary-source.mjs';

export const name = 'Binary source, filesystem mode on a disk shared with the main (N8N_BINARY_DATA_STORAGE_PATH): the main serves the worker’s file, the job completes';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, fake, figure }) {
	const startMs = await binaryWorker(cluster, { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_BINARY_DATA_STORAGE_PATH: mainStorage(cluster) });
	const r = await transform(cluster, fake, 'filesystem, shared disk');
	assert.match(r.fileId, /^filesystem(-v2)?:/, `stored on the shared disk: ${r.fileId}`);
	figure(served('filesystem mode, storage shared with the main', r, startMs));
}
