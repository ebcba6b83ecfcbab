// @ts-check
/**
 * EXECUTIONS executions at once through the production webhook, on n8n's default queue settings:
 * every answer and execution complete and in order, spread over both workers, none on the main.
 */
import assert from 'node:assert/strict';

import { byRequest, createsOf, expectCompleteOutput, startLoad } from '../lib/load.mjs';
import { eventsOf } from '../lib/logs.mjs';
import { EXECUTIONS, IMAGES_PER_PROMPT, PROMPTS, WF, WORKER_CONCURRENCY } from '../lib/settings.mjs';

export const name = `Throughput: ${EXECUTIONS} executions × ${PROMPTS} prompts × ${IMAGES_PER_PROMPT} images at once through the production webhook`;

/** @param {import('../lib/context.mjs').QueueContext} ctx */
export async function run({ cluster, db, fake, figure }) {
	const marker = 'load';
	const before = createsOf(await fake.requests(), marker).length;
	const load = startLoad(cluster, marker, 180_000);
	const answers = await load.answers;
	const wall = Date.now() - load.t0;
	answers.forEach((a, i) => assert.equal(a.status, 200, `request ${i}: HTTP ${a.status} ${a.error ?? a.text.slice(0, 300)}`));
	answers.forEach((a, i) => {
		assert.ok(Array.isArray(a.json), `request ${i}: the answer is the Akool node's items`);
		assert.equal(a.json.length, PROMPTS * IMAGES_PER_PROMPT, `request ${i}: ${a.json.length} items answered`);
		assert.deepEqual(
			a.json.map((/** @type {any} */ j) => j.prompt),
			load.requests[i].prompts.flatMap((p) => Array(IMAGES_PER_PROMPT).fill(p.prompt)),
			`request ${i}: answered items in input order`,
		);
	});
	const execs = byRequest(await db.find({ workflowIds: [WF.load], withData: true }), marker);
	assert.equal(execs.size, EXECUTIONS, `${execs.size} executions found in the database`);
	for (const [i, ex] of execs) expectCompleteOutput(ex, load.requests[i]);
	const images = [...execs.values()].reduce((n, ex) => n + (ex.nodes?.['Akool Generate']?.at(-1)?.items.length ?? 0), 0);
	assert.equal(images, EXECUTIONS * PROMPTS * IMAGES_PER_PROMPT);
	const creates = createsOf(await fake.requests(), marker).length - before;
	assert.equal(creates, EXECUTIONS * PROMPTS, `creates at the fake: ${creates}`);
	const ids = new Set([...execs.values()].map((e) => e.id));
	const runs = await Promise.all(cluster.workers.map(eventsOf));
	const split = runs.map((ev) => new Set(ev.filter((x) => x.kind === 'started' && ids.has(x.executionId)).map((x) => x.executionId)));
	const both = [...split[0]].filter((id) => split[1].has(id));
	assert.deepEqual(both, [], 'no execution ran on both workers');
	assert.equal(split[0].size + split[1].size, EXECUTIONS, `every execution started on a worker (${split[0].size} + ${split[1].size})`);
	assert.ok(split[0].size > 0 && split[1].size > 0, `spread over both workers: ${split[0].size} / ${split[1].size}`);
	const mainRuns = (await eventsOf(cluster.main)).filter((x) => x.kind === 'started');
	assert.equal(mainRuns.length, 0, 'the main ran no execution');
	figure(`throughput: ${execs.size} executions, ${images} images, ${creates} creates, worker1 ${split[0].size} / worker2 ${split[1].size} executions, ${(wall / 1000).toFixed(1)} s wall (fake jobs 2-5 s, ${WORKER_CONCURRENCY} per worker)`);
}
