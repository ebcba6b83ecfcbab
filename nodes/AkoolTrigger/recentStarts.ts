/**
 * The callbacks that started the workflow lately, kept in the trigger's workflow static data (node
 * scope), so that webhook() answers a duplicate without starting anything: n8n gives webhook() no
 * other store that outlives the request (its processed-data store reaches execute contexts only).
 *
 * Measured in n8n 2.41.1: n8n reads the static data from its database for every webhook request, but
 * drops what webhook() changes when the request starts an execution (WorkflowRunner.run builds another
 * Workflow over the same object, which clears its change flag before the save); it saves what an
 * execution changes when the execution ends, whole, over what other executions saved meanwhile. So
 * the started execution records (startOnce.ts), and webhook() reads.
 *
 * This process also keeps the starts it has recorded (bounded the same way): webhook() in the same
 * process (all of a regular n8n; not a queue-mode webhook process, whose executions run on workers)
 * checks them too, and every write of the static data carries them, so that executions that end
 * together do not drop each other's. Only an optimisation: n8n's processed-data store decides.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { CALLBACK_WINDOW_MS } from '../shared/akool/callbackCrypto';

/**
 * How long a start is remembered: a callback's timestamp is accepted up to 10 minutes ahead and for 10
 * minutes after it, so 20 minutes after a body arrived, verification alone refuses it again.
 */
export const RECENT_STARTS_KEPT_MS = 2 * CALLBACK_WINDOW_MS;

/**
 * At most this many starts remembered, the oldest dropped first: about 40 bytes each in the workflow's
 * static data, which n8n writes whole at the end of every execution that changed it.
 */
export const RECENT_STARTS_MAX = 2000;

const FIELD = 'startedCallbacks';

/** At most this many trigger nodes' starts kept in this process, the least recently used dropped. */
const MAX_TRIGGERS_HERE = 100;

const seenHere = new Map<string, IDataObject>();

/** When each remembered start may be forgotten (epoch seconds), by callback key. */
type Memo = Record<string, number>;

/** What makes two callbacks the same: the job and the status it reports. */
export function callbackKey(jobId: string, status: number): string {
	return `${jobId}:${status}`;
}

function memoOf(staticData: IDataObject): Memo {
	const memo = staticData[FIELD];
	return memo && typeof memo === 'object' && !Array.isArray(memo) ? (memo as Memo) : {};
}

export function startedRecently(staticData: IDataObject, key: string, nowMs: number): boolean {
	const until = memoOf(staticData)[key];
	return typeof until === 'number' && until * 1000 > nowMs;
}

/** The starts remembered and not expired. */
export function recentKeys(staticData: IDataObject, nowMs: number): string[] {
	return Object.entries(memoOf(staticData))
		.filter(([, forgetAt]) => typeof forgetAt === 'number' && forgetAt * 1000 > nowMs)
		.map(([key]) => key);
}

/** The starts this process has recorded for one trigger node (by workflow and node ID). */
export function startsSeenHere(workflowId: string | undefined, nodeId: string): IDataObject {
	const triggerKey = `${workflowId}:${nodeId}`;
	const seen = seenHere.get(triggerKey) ?? {};
	seenHere.delete(triggerKey);
	seenHere.set(triggerKey, seen);
	if (seenHere.size > MAX_TRIGGERS_HERE) seenHere.delete(seenHere.keys().next().value as string);
	return seen;
}

/**
 * Writes into the static data what it and this process remember, with `key` (a start) when given,
 * forgetting the expired ones and the oldest beyond RECENT_STARTS_MAX; this process remembers the
 * same. The field gets a new object: one assignment n8n sees as a change of the static data.
 */
export function rememberStarted(staticData: IDataObject, key: string | undefined, nowMs: number, here: IDataObject): void {
	const memo = { ...memoOf(here), ...memoOf(staticData) };
	const until = Math.ceil((nowMs + RECENT_STARTS_KEPT_MS) / 1000);
	if (key !== undefined) memo[key] = Math.max(until, memo[key] ?? 0);
	const kept = Object.entries(memo).filter(([, forgetAt]) => typeof forgetAt === 'number' && forgetAt * 1000 > nowMs);
	const newest = kept.length > RECENT_STARTS_MAX ? kept.sort(([, a], [, b]) => a - b).slice(-RECENT_STARTS_MAX) : kept;
	staticData[FIELD] = Object.fromEntries(newest);
	here[FIELD] = Object.fromEntries(newest);
}

/**
 * webhook()'s check: whether the callback already started the workflow, as the static data or this
 * process knows. What only this process knew goes into the static data, which n8n saves since this
 * request starts nothing.
 */
export function isKnownStart(ctx: Pick<IWebhookFunctions, 'getWorkflowStaticData' | 'getWorkflow' | 'getNode'>, key: string, nowMs: number): boolean {
	const staticData = ctx.getWorkflowStaticData('node');
	if (startedRecently(staticData, key, nowMs)) return true;
	const here = startsSeenHere(ctx.getWorkflow().id, ctx.getNode().id);
	if (!startedRecently(here, key, nowMs)) return false;
	rememberStarted(staticData, undefined, nowMs, here);
	return true;
}
