// @ts-check
/**
 * The fake Akool's own helpers (test/fake-akool, CommonJS) as the e2e suites use them, typed once:
 * image sizes it makes, its sample sources and their URLs, PNG reading and writing, callback bodies;
 * and its control routes (options, fault plans, what it fetched and sent).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { http, post } from './http.mjs';

const require = createRequire(import.meta.url);

/**
 * @type {{ readPngSize: (b: Buffer) => { width: number, height: number },
 *   encodePng: (w: number, h: number, o?: { seed?: number }) => Buffer, SIGNATURE: Buffer }}
 */
const png = require('../../fake-akool/png.js');
/**
 * @type {{ imageSize: (ratio: string, resolution: string) => { width: number, height: number },
 *   placeFakeUrl: <T>(value: T, baseUrl: string) => T, sampleSourceUrl: (baseUrl: string, kind?: 'png' | 'jpeg') => string,
 *   sampleAt: (baseUrl: string, url: string) => { sha256: string } | undefined,
 *   SAMPLE_SOURCES: Record<string, { bytes: Buffer, sha256: string }>, PATHS: Record<string, string> }}
 */
const fake = require('../../fake-akool/index.js');
/**
 * @type {{ callbackBody: (data: object | string, secrets: { apiKey: string, clientId: string },
 *   at?: { timestamp?: number | string, nonce?: string }) => Record<string, any> }}
 */
const callbacks = require('../../fake-akool/callbacks.js');

export const { readPngSize, encodePng, SIGNATURE: PNG_SIGNATURE } = png;
export const { imageSize, placeFakeUrl, sampleSourceUrl, sampleAt, SAMPLE_SOURCES, PATHS } = fake;
export const { callbackBody } = callbacks;

/**
 * The fake's control routes, on the fake as its process runs (scripts/e2e/fake-akool-process.mjs).
 * @typedef {import('../../../scripts/e2e/n8n.mjs').FakeAkool} FakeAkool
 * @typedef {{ jobId: string, url: string, state: string, httpStatus: number | null, error: string | null,
 *   bytes: number, sha256: string | null, imageType: string | null, headers: Record<string, string>,
 *   requestHeaders: Record<string, string> }} SourceFetch the fake's record of one source download
 */

/** POSTs a control route (`/__options`, `/__plan`), asserting it took it. @param {FakeAkool} fake @param {string} route @param {unknown} body */
export async function controlFake(fake, route, body) {
	const res = await post(`${fake.baseUrl}${route}`, body);
	assert.equal(res.status, 200, `${route}: ${res.status} ${res.text}`);
}

/** Every source download the fake made so far. @param {FakeAkool} fake @returns {Promise<SourceFetch[]>} */
export const fakeSourceFetches = async (fake) => (await http(`${fake.baseUrl}/__source-fetches`)).json;

/** Every callback the fake sent so far, with its attempts. @param {FakeAkool} fake @returns {Promise<any[]>} */
export const fakeCallbacks = async (fake) => (await http(`${fake.baseUrl}/__callbacks`)).json;
