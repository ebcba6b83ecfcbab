// @ts-check
/** A binary source in the database binary mode, queue mode's default (see lib/binary-source.mjs). */
import assert from 'node:assert/strict';

import { binaryWorker, served, transform } from '../lib/binary-source.mjs';

export const name = 'Binary source, database mode (queue mode’s default): a worker stores and signs the file, the main process serves it, the job completes';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, fake, figure }) {
	const startMs = await binaryWorker(cluster, {});
	const r = await transform(cluster, fake, 'database');
	assert.match(r.fileId, /^database:/, `stored in the database: ${r.fileId}`);
	figure(served('database mode', r, startMs));
}
