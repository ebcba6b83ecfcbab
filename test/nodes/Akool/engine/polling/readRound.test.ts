import { readRound } from '../../../../../nodes/Akool/engine/polling/readRound';

const jobs = ['a', 'b', 'c', 'd', 'e'];
const unlimited = { rate: undefined, free: Number.POSITIVE_INFINITY, nextAt: 0 };

describe('readRound: which reads go now', () => {
	it('until Akool refuses, every due read at once, and otherwise waits for the next due time', () => {
		expect(readRound(jobs, [50, 10, 200, 300, 0], 100, unlimited)).toEqual({ send: ['e', 'b', 'a'], wakeAt: 100 });
		expect(readRound(jobs, [150, 120, 200, 300, 400], 100, unlimited)).toEqual({ send: [], wakeAt: 120 });
		// Retry-After: nothing goes before the gate opens.
		expect(readRound(jobs, [50, 10, 200, 300, 0], 100, { ...unlimited, free: 0, nextAt: 2_000 })).toEqual({ send: [], wakeAt: 2_000 });
	});

	it('while Akool rate-limits, at most the turns free now, the most overdue first', () => {
		const pace = { rate: 10, free: 2, nextAt: 100 };
		expect(readRound(jobs, [90, 10, 50, 30, 5_000], 100, pace).send).toEqual(['b', 'd']);
		const none = { rate: 10, free: 0, nextAt: 700 };
		expect(readRound(jobs, [90, 10, 50, 30, 5_000], 100, none)).toEqual({ send: [], wakeAt: 700 });
	});

	it('sends reads early only when those due up to a time are more than the pace serves by then', () => {
		const pace = { rate: 10, free: 10, nextAt: 0 };
		// Five reads due together in 200 ms: the pace (one every 100 ms) serves two by then, so three go now.
		expect(readRound(jobs, [200, 200, 200, 200, 200], 0, pace).send).toHaveLength(3);
		// Spread out as the pace can serve them: nothing early; look again when the first must go.
		expect(readRound(jobs, [200, 300, 400, 500, 600], 0, pace)).toEqual({ send: [], wakeAt: 200 });
		// A bunch later on: woken when its first read must start for the last one to be on time.
		expect(readRound(jobs, [1000, 1000, 1000, 1000, 1000], 0, pace).wakeAt).toBe(600);
	});
});
