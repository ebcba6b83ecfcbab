// @ts-check
/**
 * The benchmark's result object: medians over seeds of the per-seed figures of every part, the
 * extras that explain them, the machine and the runs (keys in the order the report has always had).
 */
import os from 'node:os';

import { N8N_VERSION } from '../../scripts/e2e/n8n.mjs';
import { LOAD_FLOOR_S, PARTS, RSS_SAMPLE_MS, SCALE, SEEDS, W2_SETTLE_S } from './settings.mjs';
import { gitInfo, median, MIB, round } from './util.mjs';

/**
 * @param {{ runs: any[], cpu: any, t0: number, load0: number[] }} o every run's record (runOnce), the
 *   engine CPU figures (or null), when the benchmark started and the load average then
 * @returns {Record<string, any>}
 */
export function summarize({ runs, cpu, t0, load0 }) {
	const pick = (/** @type {string} */ label) => runs.filter((r) => r.label === label);
	const med = (/** @type {string} */ label, /** @type {(r: any) => number | null | undefined} */ fn) =>
		median(pick(label).map((r) => /** @type {number} */ (fn(r))));
	const perImage = (/** @type {any} */ r) => r.result_calls / Math.max(1, r.images_out);
	const breakdown = (/** @type {string} */ label) => {
		const list = pick(label).map((r) => r.breakdown).filter(Boolean);
		if (list.length === 0) return null;
		/** @type {Record<string, number | null>} */
		const out = {};
		for (const key of Object.keys(list[0])) out[key] = round(median(list.map((b) => b[key])));
		return out;
	};
	/** medians of the numeric callback figures over seeds @param {any[]} list */
	const callbackBreakdown = (list) => {
		const figures = list.map((r) => r.callback).filter(Boolean);
		/** @type {Record<string, number | null>} */
		const out = {};
		for (const key of Object.keys(figures.find((f) => f.resumed_by_callback) ?? figures[0] ?? {})) {
			if (figures.some((f) => typeof f[key] === 'number')) out[key] = round(median(figures.map((f) => f[key])));
		}
		out.resumed_by_callback = figures.filter((f) => f.resumed_by_callback).length;
		return out;
	};
	const fsRuns = pick('w2 node filesystem');
	const memRuns = pick('w2 node memory');
	const idleAll = [...fsRuns, ...memRuns].map((r) => r.rss?.idleMiB);
	const bytesPerRun = [...fsRuns, ...memRuns].map((r) => r.bytes_served);
	return {
		time_scale: SCALE,
		w1_node_wall_s: round(med('w1 node', (r) => r.wall_s)),
		w1_loop_wall_s: round(med('w1 loop', (r) => r.wall_s)),
		w1_ideal_wall_s: round(med('w1 node', (r) => r.ideal_s)),
		w1_node_overhead_vs_ideal: round(med('w1 node', (r) => r.wall_s / r.ideal_s)),
		w1_loop_overhead_vs_ideal: round(med('w1 loop', (r) => r.wall_s / r.ideal_s)),
		w1_node_result_calls_per_image: round(med('w1 node', perImage)),
		w1_loop_result_calls_per_image: round(med('w1 loop', perImage)),
		w1_node_create_calls: med('w1 node', (r) => r.create_calls),
		// issue 7: W1 with the node waiting by callback; n8n's resume latency apart (see callbackFigures)
		w1_callback_wall_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.wall_s)) : null,
		w1_callback_result_calls_per_image: PARTS.has('cb') ? round(med('w1 callback', perImage)) : null,
		w1_callback_resume_latency_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.callback?.n8n_resume_latency_s)) : null,
		w1_callback_ideal_wall_s: PARTS.has('cb') ? round(med('w1 callback', (r) => r.ideal_s)) : null,
		w1_callback_wall_less_resume_latency_vs_ideal: PARTS.has('cb')
			? round(med('w1 callback', (r) => (r.wall_s - (r.callback?.n8n_resume_latency_s ?? NaN)) / r.ideal_s))
			: null,
		w3_node_images_out: PARTS.has('w3') ? med('w3 node', (r) => r.images_out) : null,
		w3_loop_images_out: PARTS.has('w3') ? med('w3 loop', (r) => r.images_out) : null,
		w3_node_create_calls: PARTS.has('w3') ? med('w3 node', (r) => r.create_calls) : null,
		// issue 14: W3 is not bound by the limit (100 calls in 40 s): pacing must cost next to nothing
		w3_node_overhead_vs_ideal: PARTS.has('w3') ? round(med('w3 node', (r) => r.wall_s / r.ideal_s)) : null,
		// issue 14: the matrix's load row in n8n, bound by the limit: wall over LOAD_FLOOR_S
		load_node_wall_vs_floor: PARTS.has('load') ? round(med('load node', (r) => r.wall_s / LOAD_FLOOR_S)) : null,
		load_node_images_out: PARTS.has('load') ? med('load node', (r) => r.images_out) : null,
		load_node_refused_1005: PARTS.has('load') ? med('load node', (r) => r.refused_1005) : null,
		w2_node_peak_rss_mb_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_idle_rss_mb: PARTS.has('w2') ? round(median(idleAll), 1) : null,
		w2_image_bytes_total: PARTS.has('w2') ? median(bytesPerRun) : null,
		engine_cpu_ms_per_image: cpu ? round(cpu.cpuMsPerImage, 2) : null,
		// ---- extras (same medians), to read the keys above
		seeds: SEEDS,
		parts: [...PARTS],
		w1_loop_create_calls: med('w1 loop', (r) => r.create_calls),
		w1_node_images_out: med('w1 node', (r) => r.images_out),
		w1_loop_images_out: med('w1 loop', (r) => r.images_out),
		w1_node_max_reads_per_job: med('w1 node', (r) => r.max_reads_per_job),
		w1_loop_max_reads_per_job: med('w1 loop', (r) => r.max_reads_per_job),
		// the whole execution, from n8n's startedAt (the Settle wait included)
		w1_node_execution_wall_s: round(med('w1 node', (r) => r.execution_wall_s)),
		w1_loop_execution_wall_s: round(med('w1 loop', (r) => r.execution_wall_s)),
		// the same figures counted from the first create call the fake received
		w1_node_wall_from_first_create_s: round(med('w1 node', (r) => r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN))),
		w1_loop_wall_from_first_create_s: round(med('w1 loop', (r) => r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN))),
		w1_node_overhead_vs_ideal_from_first_create: round(med('w1 node', (r) => (r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN)) / r.ideal_s)),
		w1_loop_overhead_vs_ideal_from_first_create: round(med('w1 loop', (r) => (r.wall_s - (r.breakdown?.start_to_first_create_s ?? NaN)) / r.ideal_s)),
		w1_node_breakdown: breakdown('w1 node'),
		w1_callback_overhead_vs_ideal: PARTS.has('cb') ? round(med('w1 callback', (r) => r.wall_s / r.ideal_s)) : null,
		w1_callback_images_out: PARTS.has('cb') ? med('w1 callback', (r) => r.images_out) : null,
		w1_callback_create_calls: PARTS.has('cb') ? med('w1 callback', (r) => r.create_calls) : null,
		w1_callback_statuses: PARTS.has('cb') ? pick('w1 callback').map((r) => r.status) : null,
		w1_callback_breakdown: PARTS.has('cb') ? callbackBreakdown(pick('w1 callback')) : null,
		w1_loop_breakdown: breakdown('w1 loop'),
		w3_node_wall_s: PARTS.has('w3') ? round(med('w3 node', (r) => r.wall_s)) : null,
		w3_loop_wall_s: PARTS.has('w3') ? round(med('w3 loop', (r) => r.wall_s)) : null,
		w3_ideal_wall_s: PARTS.has('w3') ? round(med('w3 node', (r) => r.ideal_s)) : null,
		w3_loop_create_calls: PARTS.has('w3') ? med('w3 loop', (r) => r.create_calls) : null,
		w3_node_create_requests: PARTS.has('w3') ? med('w3 node', (r) => r.create_requests) : null,
		w3_loop_create_requests: PARTS.has('w3') ? med('w3 loop', (r) => r.create_requests) : null,
		w3_node_result_calls_per_image: PARTS.has('w3') ? round(med('w3 node', perImage)) : null,
		w3_loop_result_calls_per_image: PARTS.has('w3') ? round(med('w3 loop', perImage)) : null,
		w3_node_result_calls_1005: PARTS.has('w3') ? med('w3 node', (r) => r.result_calls_1005) : null,
		w3_node_refused_1005: PARTS.has('w3') ? med('w3 node', (r) => r.refused_1005) : null,
		w3_node_in_flight_peak: PARTS.has('w3') ? med('w3 node', (r) => r.in_flight_peak) : null,
		w3_loop_result_calls_1005: PARTS.has('w3') ? med('w3 loop', (r) => r.result_calls_1005) : null,
		w3_loop_status: PARTS.has('w3') ? pick('w3 loop').map((r) => r.status) : null,
		load_node_wall_s: PARTS.has('load') ? round(med('load node', (r) => r.wall_s)) : null,
		load_floor_s: PARTS.has('load') ? LOAD_FLOOR_S : null,
		load_node_create_calls: PARTS.has('load') ? med('load node', (r) => r.create_calls) : null,
		load_node_create_requests: PARTS.has('load') ? med('load node', (r) => r.create_requests) : null,
		load_node_result_calls_per_image: PARTS.has('load') ? round(med('load node', perImage)) : null,
		load_node_in_flight_peak: PARTS.has('load') ? med('load node', (r) => r.in_flight_peak) : null,
		w2_node_peak_rss_mb_filesystem_until_stop: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.peakExecOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory_until_stop: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.peakExecOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_filesystem_n8n_process_only: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.root.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_peak_rss_mb_memory_n8n_process_only: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.root.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_node_rss_rise_from_low_mb_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => (r.rss?.riseBytes ?? NaN) / MIB)), 1) : null,
		w2_node_rss_rise_from_low_mb_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => (r.rss?.riseBytes ?? NaN) / MIB)), 1) : null,
		w2_control_peak_rss_mb: pick('w2 control filesystem').length ? round(median(pick('w2 control filesystem').map((r) => (r.rss?.peakOverIdleBytes ?? NaN) / MIB)), 1) : null,
		w2_settle_s: W2_SETTLE_S,
		w2_node_images_out_filesystem: PARTS.has('w2') ? median(fsRuns.map((r) => r.images_out)) : null,
		w2_node_images_out_memory: PARTS.has('w2') ? median(memRuns.map((r) => r.images_out)) : null,
		w2_node_inline_binaries_memory: PARTS.has('w2') ? median(memRuns.map((r) => r.images_binary_inline)) : null,
		// the Akool node's own execution time (the workflow's wall includes the 5 s Settle wait)
		w2_node_exec_s_filesystem: PARTS.has('w2') ? round(median(fsRuns.map((r) => r.node_times?.Akool?.total_s))) : null,
		w2_node_exec_s_memory: PARTS.has('w2') ? round(median(memRuns.map((r) => r.node_times?.Akool?.total_s))) : null,
		w2_ideal_wall_s: PARTS.has('w2') ? round(median([...fsRuns, ...memRuns].map((r) => r.ideal_s))) : null,
		w2_rss_sample_ms: RSS_SAMPLE_MS,
		engine_cpu: cpu,
		all_statuses_success: runs.filter((r) => r.contender === 'node').every((r) => r.status === 'success'),
		n8n_version: N8N_VERSION,
		git_head: gitInfo('rev-parse', 'HEAD'),
		git_dirty_node_files: gitInfo('status', '--porcelain', '--', 'nodes', 'credentials').split('\n').filter(Boolean).length,
		machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version} (bench) / 24.21.0 (n8n)`,
		date: new Date().toISOString(),
		load_avg_start: load0.map((x) => round(x, 2)),
		load_avg_end: os.loadavg().map((x) => round(x, 2)),
		bench_seconds: round((Date.now() - t0) / 1000, 1),
		runs: runs.map(({ by_code, ...r }) => ({ ...r, by_code })),
	};
}
