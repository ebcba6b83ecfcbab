// @ts-check
/**
 * The API key's secrecy, row by row: it is in no output item, binary file name, error (message,
 * description, stack) or run data, and in no request but the API's own `x-api-key` header. The finds
 * are also kept by category over the whole run, for the secrets rows of the report.
 */
import { API_KEY } from './fake.mjs';
import { isErrorItem } from './output.mjs';

/** @typedef {import('./types.mjs').Observation} Observation @typedef {import('./types.mjs').Obj} Obj */

/**
 * Where `key` (default the API key; or a pattern) occurs in `value` (deep: arrays, objects, and the
 * own non-enumerable properties of errors such as `stack`, `description`, `cause`).
 * @param {unknown} value @param {string} where @param {string[]} found @param {WeakSet<object>} [seen] @param {number} [depth]
 * @param {string | RegExp} [key]
 */
export function findKey(value, where, found, seen = new WeakSet(), depth = 0, key = API_KEY) {
	const holds = (/** @type {string} */ text) => (typeof key === 'string' ? text.includes(key) : key.test(text));
	if (found.length > 20 || depth > 40) return found;
	if (typeof value === 'string') {
		if (holds(value)) found.push(where);
		return found;
	}
	if (!value || typeof value !== 'object') return found;
	if (seen.has(value)) return found;
	seen.add(value);
	if (Buffer.isBuffer(value)) {
		if (holds(value.toString('latin1'))) found.push(where);
		return found;
	}
	const names = new Set(Object.keys(value));
	if (value instanceof Error) for (const name of Object.getOwnPropertyNames(value)) names.add(name);
	for (const name of names) {
		if (holds(name)) found.push(`${where} (a property name)`);
		/** @type {unknown} */
		let child;
		try {
			child = /** @type {any} */ (value)[name];
		} catch {
			continue;
		}
		findKey(child, `${where}.${name}`, found, seen, depth + 1, key);
	}
	return found;
}

/** Where the key went, by category, over the whole run (the summary rows read it). */
export const leaksByCategory = /** @type {Record<string, string[]>} */ ({
	output: [],
	fileName: [],
	error: [],
	runData: [],
	requests: [],
	answers: [],
});

/** What the secrets scan looked at, over the whole run. */
export const secretStats = { apiRequestsWithKey: 0, cdnRequests: 0, otherHostRequests: 0, rows: 0 };

/** Where the key is in the row's output, errors, run data and requests. @param {Observation} o @returns {string[]} */
export function scanSecrets(o) {
	secretStats.rows++;
	/** @type {Record<string, string[]>} */
	const found = { output: [], fileName: [], error: [], runData: [], requests: [] };
	o.output.forEach((item, index) => {
		const { binary, ...rest } = item ?? {};
		findKey(rest, `output[${index}]`, found.output);
		for (const [name, data] of Object.entries(binary ?? {})) {
			const { data: bytes, ...meta } = /** @type {Obj} */ (data ?? {});
			findKey(String(meta.fileName ?? ''), `output[${index}].binary.${name}.fileName`, found.fileName);
			findKey(meta, `output[${index}].binary.${name}`, found.output);
			findKey(bytes, `output[${index}].binary.${name}.data`, found.output);
		}
		if (isErrorItem(item)) findKey(item.json, `error item ${index}`, found.error);
	});
	findKey(o.error, 'execution error', found.error);
	findKey(o.taskError, 'node task error', found.error);
	findKey(o.run, 'run data', found.runData);
	for (const rec of o.requests) {
		const label = `${rec.host} ${rec.kind} ${rec.method} ${rec.path}`;
		if (rec.host === 'api' && rec.headers['x-api-key'] === API_KEY) secretStats.apiRequestsWithKey++;
		if (rec.host === 'cdn') secretStats.cdnRequests++;
		const { headers, ...rest } = rec;
		findKey(rest, label, found.requests);
		for (const [name, value] of Object.entries(headers ?? {})) {
			const allowed = rec.host === 'api' && name === 'x-api-key';
			if (!allowed && String(value).includes(API_KEY)) found.requests.push(`${label} header ${name}`);
		}
		if (rec.host !== 'api' && (headers['x-api-key'] !== undefined || headers.authorization !== undefined)) {
			found.requests.push(`${label} carries a credential header`);
		}
	}
	for (const rec of o.other?.requests ?? []) {
		secretStats.otherHostRequests++;
		findKey(rec, `other host ${rec.method} ${rec.url}`, found.requests);
		if (rec.headers['x-api-key'] !== undefined || rec.headers.authorization !== undefined) {
			found.requests.push(`other host ${rec.url} carries a credential header`);
		}
	}
	/** @type {string[]} */
	const leaks = [];
	for (const [category, places] of Object.entries(found)) {
		leaksByCategory[category].push(...places.map((place) => `${o.row.id}: ${place}`));
		leaks.push(...places.map((place) => `${category}: ${place}`));
	}
	return leaks;
}
