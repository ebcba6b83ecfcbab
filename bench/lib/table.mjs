// @ts-check
/**
 * The benchmark's summary table (stderr): each headline figure beside its target.
 */
import { MIB } from './util.mjs';

/**
 * @param {Record<string, any>} R the result object
 */
export function table(R) {
	/** @type {[string, string, string, boolean | null][]} */
	const rows = [];
	const f = (/** @type {any} */ x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : String(x ?? 'n/a'));
	const has = (/** @type {any[]} */ ...xs) => xs.every((x) => typeof x === 'number');
	rows.push([
		'W1 wall (n8n: Settle wait end→stoppedAt)',
		`node ${f(R.w1_node_wall_s)} s · loop ${f(R.w1_loop_wall_s)} s · ideal ${f(R.w1_ideal_wall_s)} s`,
		'node < loop',
		has(R.w1_node_wall_s, R.w1_loop_wall_s) ? R.w1_node_wall_s < R.w1_loop_wall_s : null,
	]);
	rows.push([
		'W1 overhead vs ideal',
		`node ${f(R.w1_node_overhead_vs_ideal, 3)} · loop ${f(R.w1_loop_overhead_vs_ideal, 3)}`,
		'node ≤ 1.10',
		has(R.w1_node_overhead_vs_ideal) ? R.w1_node_overhead_vs_ideal <= 1.1 : null,
	]);
	rows.push([
		'W1 result calls per image',
		`node ${f(R.w1_node_result_calls_per_image)} · loop ${f(R.w1_loop_result_calls_per_image)}`,
		'node ≤ loop / 2',
		has(R.w1_node_result_calls_per_image, R.w1_loop_result_calls_per_image)
			? R.w1_node_result_calls_per_image <= R.w1_loop_result_calls_per_image / 2
			: null,
	]);
	rows.push([
		'W1 create calls',
		`node ${f(R.w1_node_create_calls, 0)} · loop ${f(R.w1_loop_create_calls, 0)}`,
		'node = 20',
		has(R.w1_node_create_calls) ? R.w1_node_create_calls === 20 : null,
	]);
	if (has(R.w1_callback_wall_s)) {
		rows.push([
			'W1 by callback: wall',
			`callback ${f(R.w1_callback_wall_s)} s (ideal ${f(R.w1_callback_ideal_wall_s)} s, n8n resume latency ${f(R.w1_callback_resume_latency_s)} s) · polling ${f(R.w1_node_wall_s)} s`,
			'(wall − resume latency) ≤ 1.15 × ideal',
			has(R.w1_callback_wall_less_resume_latency_vs_ideal) ? R.w1_callback_wall_less_resume_latency_vs_ideal <= 1.15 : null,
		]);
		rows.push([
			'W1 by callback: result calls per image',
			`callback ${f(R.w1_callback_result_calls_per_image)} · polling ${f(R.w1_node_result_calls_per_image)} · loop ${f(R.w1_loop_result_calls_per_image)}`,
			'callback ≤ 2',
			has(R.w1_callback_result_calls_per_image) ? R.w1_callback_result_calls_per_image <= 2 : null,
		]);
	}
	rows.push([
		'W3 (1005 above 10 req/scaled s) images out',
		`node ${f(R.w3_node_images_out, 0)} (creates ${f(R.w3_node_create_calls, 0)}) · loop ${f(R.w3_loop_images_out, 0)} (creates ${f(R.w3_loop_create_calls, 0)})`,
		'node 80 with 20 creates',
		has(R.w3_node_images_out, R.w3_node_create_calls) ? R.w3_node_images_out === 80 && R.w3_node_create_calls === 20 : null,
	]);
	rows.push([
		'W3 overhead vs ideal (pacing under the limit)',
		`node ${f(R.w3_node_overhead_vs_ideal, 3)} (${f(R.w3_node_refused_1005, 0)} refused)`,
		'node ≤ 1.05',
		has(R.w3_node_overhead_vs_ideal) ? R.w3_node_overhead_vs_ideal <= 1.05 : null,
	]);
	rows.push([
		'LOAD 200 × 4 under the limit: wall vs floor',
		`node ${f(R.load_node_wall_vs_floor, 3)} (${f(R.load_node_wall_s, 1)} s, floor ${f(R.load_floor_s, 0)} s; images ${f(R.load_node_images_out, 0)}, ${f(R.load_node_refused_1005, 0)} refused)`,
		'≤ 1.2 × floor, 800 images',
		has(R.load_node_wall_vs_floor, R.load_node_images_out) ? R.load_node_wall_vs_floor <= 1.2 && R.load_node_images_out === 800 : null,
	]);
	const limitMiB = typeof R.w2_image_bytes_total === 'number' ? (0.25 * R.w2_image_bytes_total) / MIB : null;
	rows.push([
		'W2 peak RSS over idle, filesystem mode',
		`${f(R.w2_node_peak_rss_mb_filesystem, 1)} MiB (idle ${f(R.w2_idle_rss_mb, 0)} MiB; images ${f(R.w2_image_bytes_total / MIB, 1)} MiB)`,
		`< 25% of images = ${f(limitMiB, 1)} MiB`,
		has(R.w2_node_peak_rss_mb_filesystem, limitMiB) ? R.w2_node_peak_rss_mb_filesystem < /** @type {number} */ (limitMiB) : null,
	]);
	rows.push(['W2 peak RSS over idle, memory mode', `${f(R.w2_node_peak_rss_mb_memory, 1)} MiB`, '(reported)', null]);
	rows.push(['engine CPU per image (n8n-core, instant fake)', `${f(R.engine_cpu_ms_per_image, 2)} ms`, '(reported)', null]);
	const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), Math.max(...rows.map((r) => r[2].length))];
	const line = (/** @type {string[]} */ c) => `| ${c[0].padEnd(w[0])} | ${c[1].padEnd(w[1])} | ${c[2].padEnd(w[2])} | ${c[3]} |`;
	const out = [
		line(['figure', 'measured (median over seeds)', 'target', 'met']),
		`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 2)}|-----|`,
		...rows.map((r) => line([r[0], r[1], r[2], r[3] === null ? '-' : r[3] ? 'yes' : 'NO'])),
	];
	return out.join('\n');
}
