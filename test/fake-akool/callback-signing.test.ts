/**
 * How the fake Akool signs and encrypts a callback body (callback-signing.js), checked by hand and
 * against the node's own verifier (a second, independent implementation).
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

import { verifyCallback } from '../../nodes/shared/akool/callbackCrypto';
import { CALLBACK_API_KEY as KEY24 } from '../fake-akool';
import { callbackBody, decryptText, ivFor, signatureOf } from './callback-signing';

const CLIENT_ID = 'client-7';
const SECRETS = { apiKey: KEY24, clientId: CLIENT_ID };

describe('callback bodies (encrypt, then sign)', () => {
	it('encrypts with AES-CBC, key = API key bytes, IV = Client ID padded with spaces; signs the sorted fields', () => {
		const body = callbackBody({ _id: 'j1', status: 3, type: 'image', url: 'http://x/y.png' }, SECRETS, {
			timestamp: 1_750_000_000_000,
			nonce: '1234',
		});
		// Decrypted by hand with explicit buffers, not through the module's helpers.
		const decipher = createDecipheriv('aes-192-cbc', Buffer.from(KEY24), Buffer.from('client-7        '));
		const plain = Buffer.concat([decipher.update(Buffer.from(body.dataEncrypt, 'base64')), decipher.final()]);
		expect(JSON.parse(plain.toString('utf8'))).toEqual({ _id: 'j1', status: 3, type: 'image', url: 'http://x/y.png' });
		const sorted = [CLIENT_ID, '1750000000000', '1234', body.dataEncrypt].sort().join('');
		expect(body.signature).toBe(createHash('sha1').update(sorted).digest('hex'));
		expect(body).toMatchObject({ timestamp: 1_750_000_000_000, nonce: '1234' });
	});

	it('cuts a long Client ID to its first 16 bytes for the IV and signs with all of it', () => {
		const clientId = 'abcdefghijklmnopqrstuvwx';
		expect(ivFor(clientId).toString()).toBe('abcdefghijklmnop');
		const body = callbackBody('{"_id":"j","status":2}', { apiKey: KEY24, clientId }, { timestamp: 1, nonce: 'n' });
		const cipher = createCipheriv('aes-192-cbc', Buffer.from(KEY24), Buffer.from('abcdefghijklmnop'));
		const expected = Buffer.concat([cipher.update('{"_id":"j","status":2}'), cipher.final()]).toString('base64');
		expect(body.dataEncrypt).toBe(expected);
		expect(body.signature).toBe(signatureOf(clientId, 1, 'n', expected));
		expect(decryptText(body.dataEncrypt, { apiKey: KEY24, clientId })).toBe('{"_id":"j","status":2}');
	});

	it.each([16, 24, 32])('round-trips through the node’s verifier with a %i-byte key', (length) => {
		const apiKey = 'k'.repeat(length);
		const body = callbackBody({ _id: 'job', status: 4, type: 'image' }, { apiKey, clientId: 'c' });
		expect(verifyCallback(body, { apiKey, clientId: 'c' })).toEqual({
			ok: true,
			data: { _id: 'job', status: 4, type: 'image' },
		});
	});

	it('refuses to encrypt with a key that is not 16, 24 or 32 bytes', () => {
		expect(() => callbackBody({ _id: 'j', status: 3 }, { apiKey: 'short', clientId: 'c' })).toThrow(/16, 24 or 32/);
	});
});
