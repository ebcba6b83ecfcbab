// @ts-check
/**
 * (b) n8n's signed URL of the form's upload: one character of its signature changed → 400; a token
 * for the same file but expired → 400 (signed with the secret n8n derives from the encryption key;
 * the same with a valid expiry → 200, without a login); the token's lifetime is the node's Timeout + 300 s.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';

import { http } from '../../lib/http.mjs';
import { jwtPayload, sha256 } from './setup.mjs';

/** The node's default Timeout (600 s) + the margin it adds (sourceImage.ts): the signed URL's lifetime. */
const TOKEN_LIFETIME_S = 600 + 300;

/**
 * An HS256 JWT as n8n's binary data service makes them (jsonwebtoken), for tokens n8n did not issue.
 * @param {Record<string, unknown>} payload @param {string} secret
 */
function jwt(payload, secret) {
	const part = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
	return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** @param {import('./setup.mjs').BinaryEnv} env @param {import('./form-example.mjs').FormRun | undefined} formRun */
export async function signedUrlCase({ suite, inst }, formRun) {
	await suite.case('(b) the signed URL: tampered signature → 400; the same file with an expired token → 400; lifetime = Timeout + 300 s', async () => {
		assert.ok(formRun, 'the form run');
		const { token, fetch: fetched, executionId, upload } = formRun;
		const base = fetched.url.slice(0, fetched.url.indexOf('token=') + 'token='.length);
		const claims = jwtPayload(token);
		assert.equal(claims.exp - claims.iat, TOKEN_LIFETIME_S, `token lifetime ${claims.exp - claims.iat} s`);
		assert.match(claims.id, /^filesystem(-v2)?:/, `a file of the filesystem mode (n8n's default): ${claims.id}`);
		// The Form Trigger stored the upload under executions/temp/ (no execution id yet); n8n moves
		// such files into the execution's folder when the execution stops running (here: it waits at
		// the form ending), so the genuine URL no longer finds the file.
		const genuine = await http(fetched.url);
		const [head, body, signature] = token.split('.');
		const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
		const tampered = await http(`${base}${head}.${body}.${flipped}`);
		assert.equal(tampered.status, 400, `tampered: ${tampered.status}`);
		assert.equal(tampered.text, 'invalid signature');
		// n8n's default signing secret: sha256("url-signing:" + encryption key), base64 (binary-data.config.js)
		const secret = createHash('sha256').update(`url-signing:${inst.env.N8N_ENCRYPTION_KEY}`).digest('base64');
		const moved = claims.id.replace('/executions/temp/', `/executions/${executionId}/`);
		const now = Math.floor(Date.now() / 1000);
		const valid = await http(`${base}${jwt({ id: moved, iat: now, exp: now + 60 }, secret)}`);
		assert.equal(valid.status, 200, `a token we signed with that secret (the control): ${valid.status} ${valid.text}`);
		assert.equal(sha256(valid.body), sha256(upload), 'the uploaded file, served without a login');
		const expired = await http(`${base}${jwt({ id: moved, iat: now - 120, exp: now - 60 }, secret)}`);
		assert.equal(expired.status, 400, `expired: ${expired.status}`);
		assert.equal(expired.text, 'jwt expired');
		const otherSecret = await http(`${base}${jwt({ id: moved, iat: now, exp: now + 60 }, 'another secret')}`);
		assert.equal(otherSecret.status, 400);
		suite.measured(`signed URL: one signature character changed → 400 "${tampered.text}"; the same file with an expired token → 400 "${expired.text}"; n8n's default secret is sha256("url-signing:" + N8N_ENCRYPTION_KEY), base64 (a token we signed with it: ${valid.status})`);
		suite.measured(`the Form Trigger's upload is stored under executions/temp/ and signed so (${claims.id.replace(/[0-9a-f-]{36}$/, '…')}); once the execution waits at the form ending, n8n has moved it to executions/${executionId}/ and the genuine URL answers HTTP ${genuine.status}`);
	});
}
