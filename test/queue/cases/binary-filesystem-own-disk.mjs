// @ts-check
/**
 * A binary source in the filesystem binary mode on the worker's own disk (see
 * lib/binary-source.mjs): the main cannot serve the file, so Akool's download and the job fail.
 */
import assert from 'node:assert/strict';

import { binaryWorker, storedAs, transform } from '../lib/binary-source.mjs';

export const name = 'Binary source, filesystem mode on the worker’s own disk: the main cannot read the worker’s file, Akool’s download fails, the job fails (nothing served)';

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, fake, figure }) {
	const startMs = await binaryWorker(cluster, { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' });
	const r = await transform(cluster, fake, 'filesystem, own disk');
	assert.match(r.fileId, /^filesystem(-v2)?:/, `stored on the worker's disk: ${r.fileId}`);
	assert.notEqual(r.fetched.httpStatus, 200, 'the main did not serve it');
	assert.equal(r.job.status, 4, 'the job failed');
	assert.notEqual(r.ex.status, 'success', `execution ${r.ex.id} ${r.ex.status}`);
	figure(`binary source, filesystem mode, worker's own disk: worker (started in ${(startMs / 1000).toFixed(1)} s) stored ${storedAs(r.fileId)}; the main answered Akool's download with HTTP ${r.fetched.httpStatus}; job status ${r.job.status}; execution ${r.ex.status} (${JSON.stringify(r.ex.error?.message ?? null)}); webhook answer HTTP ${r.answer.status}`);
}
