/**
 * The check in the started execution (the trigger's execute(), run first by n8n with webhook()'s
 * item), where n8n's own store for "done once" is available: its processed-data store
 * (`checkProcessedAndRecord`, node scope, in n8n's database, the last PROCESSED_MAX_ENTRIES keys). It
 * catches what webhook() could not know: a duplicate that arrived while the first execution was still
 * running, or one the static-data memo lost. Such an execution yields no item: it ends at the
 * trigger and nothing after it runs.
 *
 * n8n's check is not atomic (read 2.41.1's DeduplicationHelper: it reads the node's row, then writes
 * it back whole): two checks at once can both find a callback new, or one can drop what the other
 * recorded. In one process they take turns (every execution of a regular n8n; each worker's own in
 * queue mode). Between workers, two checks within the same few milliseconds can still both pass, or
 * drop a record: each check records again what this process started lately, so that a dropped
 * record comes back with the next callback this process handles.
 */
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { TurnsByKey } from '../shared/timing';
import { recentKeys, rememberStarted, startedRecently, startsSeenHere } from './recentStarts';

/** n8n's own default for its Remove Duplicates node's history. */
export const PROCESSED_MAX_ENTRIES = 10_000;

const PROCESSED_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: PROCESSED_MAX_ENTRIES };

/** Whether n8n's store has `key`, recording it and `alsoRecord` (in one read and write of its row). */
async function alreadyProcessed(ctx: IExecuteFunctions, key: string, alsoRecord: string[]): Promise<boolean> {
	const values = [key, ...alsoRecord.filter((other) => other !== key)];
	const check = async () => (await ctx.helpers.checkProcessedAndRecord(values, 'node', PROCESSED_OPTIONS)).processed.includes(key);
	try {
		return await check();
	} catch {
		// The node's first record inserts n8n's row: two executions doing it at once, one fails on the
		// row's unique key (measured: SQLITE_CONSTRAINT). The row exists then, so ask once more.
		return await check();
	}
}

/** The trigger nodes' checks in this process, one at a time per node. */
const checkTurns = new TurnsByKey();

/** Whether this callback starts the workflow for the first time; records it either way. */
export async function isFirstStart(ctx: IExecuteFunctions, key: string, nowMs: number): Promise<boolean> {
	const workflowId = ctx.getWorkflow().id;
	const nodeId = ctx.getNode().id;
	const staticData = ctx.getWorkflowStaticData('node');
	const here = startsSeenHere(workflowId, nodeId);
	const remembered = startedRecently(staticData, key, nowMs) || startedRecently(here, key, nowMs);
	const processed = await checkTurns.run(`${workflowId}:${nodeId}`, async () => await alreadyProcessed(ctx, key, recentKeys(here, nowMs)));
	// A duplicate is remembered again too: executions that end together each save their own copy of
	// the static data, so it can lose a start that the processed-data store kept.
	rememberStarted(staticData, key, nowMs, here);
	return !remembered && !processed;
}
