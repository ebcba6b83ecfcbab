// @ts-check
'use strict';

/**
 * @typedef {'api' | 'cdn'} Host
 * @typedef {object} InFlightCounts requests the fake is handling, per host and in all
 * @property {number} now being handled now
 * @property {number} peak the most handled at the same moment since the start or the last reset
 * @property {Record<Host, { now: number, peak: number }>} byHost
 */

/**
 * Counts the requests in flight as the fake sees them: from the moment a request reaches a server
 * (before its body is read) until its answer has ended or its socket closed, whatever the answer
 * (faults, refusals and hung requests included). Control routes and sample sources are not Akool's
 * and are not counted. A client's own count is never lower: a request is in flight for it from
 * before the fake sees it until after the fake is done with it.
 */
class InFlight {
	#all = { now: 0, peak: 0 };

	/** @type {Record<Host, { now: number, peak: number }>} */
	#byHost = { api: { now: 0, peak: 0 }, cdn: { now: 0, peak: 0 } };

	/**
	 * One request arrived at `host`; it leaves when `res` closes.
	 * @param {Host} host @param {import('node:http').ServerResponse} res
	 */
	enter(host, res) {
		const counters = [this.#all, this.#byHost[host]];
		for (const counter of counters) {
			counter.now += 1;
			counter.peak = Math.max(counter.peak, counter.now);
		}
		res.once('close', () => {
			for (const counter of counters) counter.now -= 1;
		});
	}

	/** @returns {InFlightCounts} */
	counts() {
		return {
			...this.#all,
			byHost: { api: { ...this.#byHost.api }, cdn: { ...this.#byHost.cdn } },
		};
	}

	/** The peaks start again from what is in flight now (requests still open keep counting). */
	resetPeaks() {
		for (const counter of [this.#all, this.#byHost.api, this.#byHost.cdn]) counter.peak = counter.now;
	}
}

module.exports = { InFlight };
