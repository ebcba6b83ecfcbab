/** What the trigger keeps in the workflow's static data, and how little. */
import type { IDataObject } from 'n8n-workflow';

import { CALLBACK_WINDOW_MS } from '../../../nodes/shared/akool/callbackCrypto';
import { RECENT_STARTS_KEPT_MS, RECENT_STARTS_MAX, callbackKey, rememberStarted, startedRecently, startsSeenHere } from '../../../nodes/AkoolTrigger/recentStarts';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('the starts remembered in the static data', () => {
	it('are remembered for twice the callback window: until a replayed body is stale anyway', () => {
		expect(RECENT_STARTS_KEPT_MS).toBe(2 * CALLBACK_WINDOW_MS);
		const staticData: IDataObject = {};
		rememberStarted(staticData, callbackKey('job-1', 3), T0, {});
		expect(startedRecently(staticData, 'job-1:3', T0 + RECENT_STARTS_KEPT_MS - 1000)).toBe(true);
		expect(startedRecently(staticData, 'job-1:3', T0 + RECENT_STARTS_KEPT_MS + 1000)).toBe(false);
		expect(startedRecently(staticData, 'job-1:4', T0)).toBe(false);
	});

	it('forget the expired ones at each new start, and keep the newest 2,000 (about 80 kB)', () => {
		const jobId = (i: number) => `6650f1c2a9b3e4d5f6a7${String(i).padStart(4, '0')}`;
		const staticData: IDataObject = {};
		rememberStarted(staticData, 'expired:3', T0 - RECENT_STARTS_KEPT_MS - 1000, {});
		// 2,000 starts a tenth of a second apart, then 5 more
		const full = staticData.startedCallbacks as Record<string, number>;
		for (let i = 0; i < RECENT_STARTS_MAX; i++) full[callbackKey(jobId(i), 3)] = Math.ceil((T0 + i * 100 + RECENT_STARTS_KEPT_MS) / 1000);
		for (let i = RECENT_STARTS_MAX; i < RECENT_STARTS_MAX + 5; i++) rememberStarted(staticData, callbackKey(jobId(i), 3), T0 + i * 100, {});
		const memo = staticData.startedCallbacks as Record<string, number>;
		expect(Object.keys(memo)).toHaveLength(RECENT_STARTS_MAX);
		expect(memo['expired:3']).toBeUndefined();
		expect(startedRecently(staticData, '6650f1c2a9b3e4d5f6a70004:3', T0 + 1)).toBe(false);
		expect(startedRecently(staticData, '6650f1c2a9b3e4d5f6a70005:3', T0 + 1)).toBe(true);
		expect(JSON.stringify(staticData).length).toBeLessThan(RECENT_STARTS_MAX * 41);
	});

	it('each write carries what this process remembers for the same trigger node, and this process remembers it too', () => {
		const here = startsSeenHere('wf-1', 'node-1');
		expect(startsSeenHere('wf-1', 'node-1')).toBe(here);
		expect(startsSeenHere('wf-1', 'node-2')).not.toBe(here);
		const first: IDataObject = {};
		rememberStarted(first, 'job-a:3', T0, here);
		const second: IDataObject = {};
		rememberStarted(second, 'job-b:3', T0, here);
		expect(Object.keys(second.startedCallbacks as object)).toEqual(['job-a:3', 'job-b:3']);
		expect(startedRecently(here, 'job-b:3', T0)).toBe(true);
		// nothing new: what the process knows, written over a static data that lost it
		const lost: IDataObject = {};
		rememberStarted(lost, undefined, T0, here);
		expect(Object.keys(lost.startedCallbacks as object)).toEqual(['job-a:3', 'job-b:3']);
	});

	it('a start seen again keeps the later time; anything else in the static data is left alone', () => {
		const staticData: IDataObject = { other: 'kept' };
		rememberStarted(staticData, 'job:3', T0 + 60_000, {});
		rememberStarted(staticData, 'job:3', T0, {});
		expect(startedRecently(staticData, 'job:3', T0 + RECENT_STARTS_KEPT_MS + 30_000)).toBe(true);
		expect(staticData.other).toBe('kept');
		expect(startedRecently({ startedCallbacks: 'not a memo' }, 'job:3', T0)).toBe(false);
	});
});
