// @ts-check
/**
 * HTTP as the e2e suites speak it to n8n and to the fake Akool (loopback only): a fetch that reports
 * any status instead of throwing, JSON and multipart bodies.
 */

/**
 * @typedef {{ status: number, headers: Headers, body: Buffer, text: string, json: any }} HttpAnswer
 */

/**
 * A fetch that never throws on a status (redirects are answers too): status, headers, the body as
 * bytes and text, and as JSON when it parses. @param {string} url @param {RequestInit} [init]
 * @returns {Promise<HttpAnswer>}
 */
export async function http(url, init = {}) {
	const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(60_000), ...init });
	const body = Buffer.from(await res.arrayBuffer());
	const text = body.toString('utf8');
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, body, text, json };
}

/**
 * POSTs `body`: an object as JSON, a string as it is (with `contentType`).
 * @param {string} url @param {unknown} body @param {{ contentType?: string }} [o]
 */
export const post = (url, body, { contentType = 'application/json' } = {}) =>
	http(url, { method: 'POST', headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A multipart form of text fields and files. @param {Record<string, string | { bytes: Buffer, name: string, type: string }>} fields */
export function multipart(fields) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (typeof value === 'string') form.append(name, value);
		else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name);
	}
	return form;
}
