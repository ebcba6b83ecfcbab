import { PollPlan, type TrackedJob } from '../../../../../nodes/Akool/engine/polling/pollPlan';

const jobs = (count: number, createdAt = 0): TrackedJob[] =>
	Array.from({ length: count }, (_, index) => ({ id: `job${index}`, createdAt: createdAt + index, reads: 0 }));

describe('PollPlan: when each job is read', () => {
	it('before anything finished, reads only the two oldest jobs after one interval', () => {
		const plan = new PollPlan(3000, 10);
		const pending = jobs(10);
		const due = plan.dueTimes(pending);
		expect(due.slice(0, 2)).toEqual([3000, 3001]);
		expect(due.slice(2).every((time) => time >= 30_000)).toBe(true);
	});

	it('keeps reading a probe every interval until something finishes', () => {
		const plan = new PollPlan(3000, 10);
		const pending = jobs(10);
		Object.assign(pending[0], { reads: 1, lastReadAt: 3000 });
		expect(plan.dueTimes(pending)[0]).toBe(6000);
		expect(plan.spacing(10)).toBe(3000);
	});

	it('once a job finished, reads every unread job when it is as old as that one was', () => {
		// 2 jobs: the spacing is at its narrowest, so nothing is added to the learned age
		const plan = new PollPlan(3000, 2);
		const pending = jobs(2);
		plan.learnFinished(pending[0], 24_000);
		expect(plan.learnedAge).toBe(24_000);
		expect(plan.dueTimes(pending.slice(1))).toEqual([1 + 24_000]);
	});

	it('while most of a large batch is pending, delays first reads by what the spacing adds over an interval', () => {
		const plan = new PollPlan(3000, 80);
		const pending = jobs(80);
		plan.learnFinished(pending[0], 20_000);
		const rest = pending.slice(1);
		const delay = plan.spacing(rest.length) - 3000;
		expect(delay).toBeGreaterThan(4000);
		expect(plan.dueTimes(rest)).toEqual(rest.map((job) => job.createdAt + 20_000 + delay));
	});

	it('once two jobs finished, never spaces reads wider than the spread of their ages (or one interval)', () => {
		const plan = new PollPlan(3000, 80);
		const [fast, slow] = jobs(2);
		plan.learnFinished(fast, 20_000);
		expect(plan.spacing(78)).toBeGreaterThan(7000);
		plan.learnFinished(slow, 25_001);
		expect(plan.spacing(78)).toBe(5000);
		const tight = new PollPlan(3000, 80);
		tight.learnFinished(fast, 20_000);
		tight.learnFinished(slow, 20_501);
		expect(tight.spacing(78)).toBe(3000);
	});

	it('learns the fastest job, not the last one seen', () => {
		const plan = new PollPlan(3000, 10);
		const [a, b] = jobs(2);
		plan.learnFinished(a, 30_000);
		plan.learnFinished(b, 22_001);
		expect(plan.learnedAge).toBe(22_000);
	});

	it('spaces reads up to 3 intervals while a large batch is pending, down to a third when few are left', () => {
		const plan = new PollPlan(3000, 80);
		plan.learnFinished(jobs(1)[0], 20_000);
		expect(plan.spacing(80)).toBe(9000);
		expect(plan.spacing(1)).toBeCloseTo(1000 + 8000 * (1 / 80) * (1 / 16));
		for (let pending = 1; pending <= 80; pending++) {
			expect(plan.spacing(pending)).toBeGreaterThanOrEqual(1000);
			expect(plan.spacing(pending)).toBeLessThanOrEqual(9000);
		}
	});

	it('while Akool rate-limits, reads a job again no sooner than the pace reads every pending job once', () => {
		const plan = new PollPlan(3000, 80);
		plan.learnFinished(jobs(1)[0], 20_000);
		const pending = jobs(10);
		pending.forEach((job) => Object.assign(job, { reads: 1, lastReadAt: 30_000 }));
		const spacing = plan.spacing(10);
		expect(plan.dueTimes(pending)[0]).toBe(30_000 + spacing);
		// 10 pending at 5 reads a second: 2 s, wider than the plan's own spacing here.
		expect(spacing).toBeLessThan(2000);
		expect(plan.dueTimes(pending, 5)[0]).toBe(32_000);
		// A faster pace keeps the plan's spacing.
		expect(plan.dueTimes(pending, 10)[0]).toBe(30_000 + spacing);
		// A first read is not pushed back: it comes when the learned age says.
		const fresh = jobs(10, 25_000);
		expect(plan.dueTimes(fresh, 5)).toEqual(plan.dueTimes(fresh));
	});

	it('reads a job of unknown age (Get Result) at once', () => {
		const plan = new PollPlan(3000, 1);
		const [job] = jobs(1, 5000);
		job.readAtOnce = true;
		expect(plan.dueTimes([job])).toEqual([5000]);
	});
});
