// @ts-check
/**
 * The fake Akool's own helpers (test/fake-akool, CommonJS) as the e2e suites use them, typed once:
 * image sizes it makes, its sample sources and their URLs, PNG reading and writing, callback bodies;
 * and its fault plans (its other records and options are the FakeAkool handle's, scripts/e2e).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { post } from './http.mjs';

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
 * @typedef {{ jobId: string, url: string, state: string, httpStatus: number | null, error: string | null,
 *   bytes: number, sha256: string | null, imageType: string | null, headers: Record<string, string>,
 *   requestHeaders: Record<string, string> }} SourceFetch the fake's record of one source download
 *   (the FakeAkool handle's `sourceFetches()`, scripts/e2e/fake-akool-process.mjs)
 */

/**
 * Plans the fake's answers to one kind of request (POST /__plan, test/fake-akool/faults.js), e.g.
 * `{ kind: 'result', faults: [...] }`; `faults: []` ends the plan.
 * @param {import('../../../scripts/e2e/n8n.mjs').FakeAkool} fake @param {{ kind: string, faults: unknown[] }} plan
 */
export async function planFaults(fake, plan) {
	const res = await post(`${fake.baseUrl}/__plan`, plan);
	assert.equal(res.status, 200, `/__plan: ${res.status} ${res.text}`);
}
