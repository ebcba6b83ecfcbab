// @ts-check
/** After every run: the credential reached Akool from n8n's encrypted store, and nowhere else in clear. */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { API_KEY, OPENAI_KEY, WRONG_KEY } from './credentials.mjs';

/** @param {any} q @returns {string | undefined} */
const requestKey = (q) => q.headers?.['x-api-key'];

/** @type {import('../../lib/workflow-cases.mjs').InstanceCase} */
export default {
	name: 'Credential from n8n\'s encrypted store: sent to Akool, not stored or printed in clear',
	check: async (ctx) => {
		const reqs = await ctx.fake.requests();
		const apiReqs = reqs.filter((q) => q.host === 'api' && q.kind !== 'other');
		assert.ok(apiReqs.length > 0, 'the fake saw API requests');
		const keys = new Set(apiReqs.map(requestKey));
		assert.ok(keys.has(API_KEY), 'the right key reached Akool (decrypted by n8n)');
		// the database (and its WAL/journal, if any) holds the credential encrypted only
		const n8nDir = path.join(ctx.userFolder, '.n8n');
		const dbFiles = (await fsp.readdir(n8nDir)).filter((f) => f.startsWith('database.sqlite'));
		assert.ok(dbFiles.includes('database.sqlite'), 'sqlite database present');
		for (const f of dbFiles) {
			const bytes = await fsp.readFile(path.join(n8nDir, f));
			for (const key of [API_KEY, WRONG_KEY, OPENAI_KEY]) assert.ok(!bytes.includes(key), `a key is in clear in ${f}`);
		}
		for (const [id, r] of ctx.results) {
			for (const key of [API_KEY, WRONG_KEY, OPENAI_KEY]) {
				assert.ok(!r.stdout.includes(key), `key found in raw stdout of ${id}`);
				assert.ok(!r.stderr.includes(key), `key found in stderr of ${id}`);
			}
		}
		// downloads from the CDN carry no credentials
		const cdn = reqs.filter((q) => q.host === 'cdn');
		assert.ok(cdn.length > 0, 'the fake CDN served downloads');
		for (const q of cdn) {
			assert.equal(requestKey(q), undefined, `CDN request ${q.path} carried x-api-key`);
			assert.equal(q.headers?.authorization, undefined, `CDN request ${q.path} carried Authorization`);
		}
	},
};
