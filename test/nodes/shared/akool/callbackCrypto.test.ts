/**
 * Verifying and decrypting Akool's callbacks. Every vector comes from our own encrypt-then-sign
 * (test/fake-akool/callbacks.js, written apart from the node's code), never from Akool's
 * documentation sample (which does not verify against its own keys).
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { INode, IWebhookFunctions } from 'n8n-workflow';

import {
	CALLBACK_WINDOW_MS,
	callbackCipher,
	callbackIv,
	callbackSecrets,
	signCallback,
	verifyCallback,
	type CallbackVerdict,
} from '../../../../nodes/shared/akool/callbackCrypto';
import { callbackBody, encryptText, signatureOf } from '../../../fake-akool/callbacks';

const NOW = 1_750_000_000_000;
const KEYS: Record<number, string> = {
	16: 'key-of-16-bytes!',
	24: 'e2e-callback-key-24chars',
	32: 'a-thirty-two-byte-long-api-key!!',
};
const DATA = { _id: '6650e7c1a2b3c4d5e6f70812', status: 3, type: 'image', url: 'https://cdn.example/x.png' };

type Body = Record<string, unknown>;

function signed(
	data: object | string,
	secrets: { apiKey: string; clientId: string },
	at: { timestamp?: number | string; nonce?: string } = {},
): Body {
	return { ...callbackBody(data as never, secrets, { timestamp: NOW, nonce: '5173', ...at }) };
}

/** Re-signs a body after a change, as a forger who knows the Client ID (but not the key) could. */
function resign(body: Body, clientId: string): Body {
	return {
		...body,
		signature: signatureOf(clientId, String(body.timestamp), String(body.nonce), String(body.dataEncrypt)),
	};
}

describe('signCallback', () => {
	it('is the lowercase hex SHA-1 of the four fields sorted and joined', () => {
		const expected = createHash('sha1').update(['1750000000000', '5173', 'AbC=', 'client'].sort().join('')).digest('hex');
		expect(signCallback('client', '1750000000000', '5173', 'AbC=')).toBe(expected);
		expect(signCallback('client', '1750000000000', '5173', 'AbC=')).toBe(signatureOf('client', 1750000000000, '5173', 'AbC='));
		expect(expected).toMatch(/^[0-9a-f]{40}$/);
	});

	it('does not depend on the order the fields are given in', () => {
		// Sorting makes the four positions interchangeable: a field's role is not signed, only its value.
		expect(signCallback('b', 'a', 'd', 'c')).toBe(signCallback('a', 'b', 'c', 'd'));
	});
});

describe('callbackIv and callbackCipher', () => {
	it('pads a short Client ID with spaces and cuts a long one to 16 bytes', () => {
		expect(callbackIv('abc').toString('latin1')).toBe('abc' + ' '.repeat(13));
		expect(callbackIv('0123456789abcdef').toString()).toBe('0123456789abcdef');
		expect(callbackIv('0123456789abcdefXYZ').toString()).toBe('0123456789abcdef');
		expect(callbackIv('')).toEqual(Buffer.alloc(16, 0x20));
	});

	it('picks AES-128/192/256 by the key’s byte length, nothing otherwise', () => {
		expect(callbackCipher(KEYS[16])).toBe('aes-128-cbc');
		expect(callbackCipher(KEYS[24])).toBe('aes-192-cbc');
		expect(callbackCipher(KEYS[32])).toBe('aes-256-cbc');
		for (const key of ['', 'short', 'x'.repeat(15), 'x'.repeat(17), 'x'.repeat(33), 'é'.repeat(10)]) {
			expect(callbackCipher(key)).toBeUndefined();
		}
		// Bytes count, not characters: 8 two-byte characters are a 16-byte key.
		expect(callbackCipher('é'.repeat(8))).toBe('aes-128-cbc');
	});
});

describe('verifyCallback accepts our own encrypt-then-sign', () => {
	const clientIds = {
		'short (padded)': 'cid-42',
		'exactly 16 bytes': '0123456789abcdef',
		'long (first 16 bytes)': '0123456789abcdef-and-more-of-the-client-id',
	};
	for (const [keyBytes, apiKey] of Object.entries(KEYS)) {
		for (const [label, clientId] of Object.entries(clientIds)) {
			it(`${keyBytes}-byte key, ${label} Client ID`, () => {
				const body = signed(DATA, { apiKey, clientId });
				expect(verifyCallback(body, { apiKey, clientId }, NOW)).toEqual({ ok: true, data: DATA });
			});
		}
	}

	it('decrypts exactly what AES-CBC with the documented key and IV produces (hand-built vector)', () => {
		const plaintext = JSON.stringify({ _id: 'j', status: 2, type: 'image' });
		const cipher = createCipheriv('aes-128-cbc', Buffer.from(KEYS[16]), Buffer.from('cid-42          '));
		const dataEncrypt = Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
		const body = { dataEncrypt, timestamp: String(NOW), nonce: 'x', signature: signCallback('cid-42', String(NOW), 'x', dataEncrypt) };
		expect(verifyCallback(body, { apiKey: KEYS[16], clientId: 'cid-42' }, NOW)).toEqual({
			ok: true,
			data: { _id: 'j', status: 2, type: 'image' },
		});
	});

	it('takes the timestamp as a number or a string, in milliseconds or in seconds', () => {
		const secrets = { apiKey: KEYS[24], clientId: 'c' };
		for (const timestamp of [NOW, String(NOW), NOW / 1000, String(NOW / 1000)]) {
			expect(verifyCallback(signed(DATA, secrets, { timestamp }), secrets, NOW).ok).toBe(true);
		}
	});

	it('accepts an upper-case signature and every status with its data as sent', () => {
		const secrets = { apiKey: KEYS[24], clientId: 'c' };
		const body = signed({ _id: 'j', status: 4, type: 'image' }, secrets);
		body.signature = String(body.signature).toUpperCase();
		expect(verifyCallback(body, secrets, NOW)).toEqual({ ok: true, data: { _id: 'j', status: 4, type: 'image' } });
	});

	it('accepts the edges of the 10-minute window', () => {
		const secrets = { apiKey: KEYS[24], clientId: 'c' };
		expect(CALLBACK_WINDOW_MS).toBe(10 * 60 * 1000);
		for (const timestamp of [NOW - CALLBACK_WINDOW_MS, NOW + CALLBACK_WINDOW_MS]) {
			expect(verifyCallback(signed(DATA, secrets, { timestamp }), secrets, NOW).ok).toBe(true);
		}
	});
});

describe('verifyCallback rejects', () => {
	const secrets = { apiKey: KEYS[24], clientId: 'client-1' };
	const good = () => signed(DATA, secrets);

	const rejections: Array<[string, () => unknown, { status: number; reason: string }]> = [
		['a forged signature', () => ({ ...good(), signature: 'f'.repeat(40) }), { status: 401, reason: 'bad signature' }],
		['a signature of the wrong length', () => ({ ...good(), signature: 'abc' }), { status: 401, reason: 'bad signature' }],
		['a changed dataEncrypt', () => ({ ...good(), dataEncrypt: encryptText('{"_id":"other","status":3}', secrets) }), { status: 401, reason: 'bad signature' }],
		['a changed nonce', () => ({ ...good(), nonce: '5174' }), { status: 401, reason: 'bad signature' }],
		['a changed timestamp', () => ({ ...good(), timestamp: NOW + 1 }), { status: 401, reason: 'bad signature' }],
		['a body signed with another Client ID', () => signed(DATA, { ...secrets, clientId: 'client-2' }), { status: 401, reason: 'bad signature' }],
		['a stale callback (past)', () => signed(DATA, secrets, { timestamp: NOW - CALLBACK_WINDOW_MS - 1 }), { status: 401, reason: 'stale' }],
		['a stale callback (future)', () => signed(DATA, secrets, { timestamp: NOW + CALLBACK_WINDOW_MS + 1 }), { status: 401, reason: 'stale' }],
		['a stale callback in seconds', () => signed(DATA, secrets, { timestamp: NOW / 1000 - 3600 }), { status: 401, reason: 'stale' }],
		['garbage ciphertext (signed)', () => resign({ ...good(), dataEncrypt: 'bm90IGEgY2lwaGVydGV4dA==' }, secrets.clientId), { status: 400, reason: 'undecryptable' }],
		['not base64 at all (signed)', () => resign({ ...good(), dataEncrypt: '%%%***' }, secrets.clientId), { status: 400, reason: 'undecryptable' }],
		['a ciphertext cut short (signed)', () => resign({ ...good(), dataEncrypt: String(good().dataEncrypt).slice(0, 20) }, secrets.clientId), { status: 400, reason: 'undecryptable' }],
		['a ciphertext of non-JSON', () => signed('this is not JSON', secrets), { status: 400, reason: 'undecryptable' }],
		['a ciphertext of JSON without _id', () => signed({ status: 3 }, secrets), { status: 400, reason: 'undecryptable' }],
		['a ciphertext of JSON with a string status', () => signed({ _id: 'j', status: '3' }, secrets), { status: 400, reason: 'undecryptable' }],
		['a ciphertext of a JSON array', () => signed('[1,2]', secrets), { status: 400, reason: 'undecryptable' }],
		['a ciphertext of null', () => signed('null', secrets), { status: 400, reason: 'undecryptable' }],
		['a body encrypted with another key of the same length', () => signed(DATA, { ...secrets, apiKey: 'another-key-of-24-chars!' }), { status: 400, reason: 'undecryptable' }],
		['a missing signature', () => ({ ...good(), signature: undefined }), { status: 400, reason: 'malformed' }],
		['a missing dataEncrypt', () => ({ ...good(), dataEncrypt: undefined }), { status: 400, reason: 'malformed' }],
		['a missing timestamp', () => ({ ...good(), timestamp: undefined }), { status: 400, reason: 'malformed' }],
		['a missing nonce', () => ({ ...good(), nonce: undefined }), { status: 400, reason: 'malformed' }],
		['an empty field', () => ({ ...good(), nonce: '' }), { status: 400, reason: 'malformed' }],
		['a non-numeric timestamp', () => resign({ ...good(), timestamp: 'yesterday' }, secrets.clientId), { status: 400, reason: 'malformed' }],
		['a field of the wrong type', () => ({ ...good(), signature: { $ne: '' } }), { status: 400, reason: 'malformed' }],
		['an empty object', () => ({}), { status: 400, reason: 'malformed' }],
		['a non-JSON body (text)', () => 'signature=abc&dataEncrypt=def', { status: 400, reason: 'malformed' }],
		['a JSON array body', () => [good()], { status: 400, reason: 'malformed' }],
		['no body', () => undefined, { status: 400, reason: 'malformed' }],
		['a null body', () => null, { status: 400, reason: 'malformed' }],
		['a Buffer body', () => Buffer.from(JSON.stringify(good())), { status: 400, reason: 'malformed' }],
	];

	it.each(rejections)('%s', (_label, body, expected) => {
		expect(verifyCallback(body(), secrets, NOW)).toEqual({ ok: false, ...expected });
	});

	it('a valid body under a key of the wrong length (nothing can decrypt it)', () => {
		for (const apiKey of ['short', 'x'.repeat(20), 'x'.repeat(40)]) {
			const wrong = { apiKey, clientId: secrets.clientId };
			// Signed with the Client ID (all the signature needs), encrypted with a valid key.
			const body = signed(DATA, secrets);
			expect(verifyCallback(body, wrong, NOW)).toEqual({ ok: false, status: 400, reason: 'undecryptable' });
		}
	});

	it('checks the signature before the time window (a forged stale callback is "bad signature")', () => {
		const stale = signed(DATA, secrets, { timestamp: NOW - 2 * CALLBACK_WINDOW_MS });
		expect(verifyCallback({ ...stale, signature: '0'.repeat(40) }, secrets, NOW)).toMatchObject({ reason: 'bad signature' });
	});

	it('never leaks the key, the Client ID or the decrypted text in a rejection', () => {
		const distinctive = 'SECRETkey-0123456789abcd';
		const clientId = 'CLIENTid-xyz';
		const sensitive = { apiKey: distinctive, clientId };
		const plaintext = 'PLAINTEXT-not-json {"_id":"LEAKED-ID"}';
		const bodies: unknown[] = [
			signed(plaintext, sensitive),
			signed({ status: 3, url: 'https://LEAKED-URL/' }, sensitive),
			signed(DATA, sensitive, { timestamp: NOW - 3 * CALLBACK_WINDOW_MS }),
			{ ...signed(DATA, sensitive), signature: 'f'.repeat(40) },
			resign({ ...signed(DATA, sensitive), dataEncrypt: 'garbage' }, clientId),
			{ ...signed(DATA, sensitive), nonce: undefined },
		];
		const verdicts = bodies.map((body) => verifyCallback(body, sensitive, NOW));
		expect(verdicts.every((v) => !v.ok)).toBe(true);
		const text = JSON.stringify(verdicts);
		for (const leak of [distinctive, clientId, 'PLAINTEXT', 'LEAKED', 'cdn.example']) expect(text).not.toContain(leak);
		// A rejection is only a status and a reason out of a fixed list.
		for (const verdict of verdicts as Array<Extract<CallbackVerdict, { ok: false }>>) {
			expect(Object.keys(verdict).sort()).toEqual(['ok', 'reason', 'status']);
			expect(['malformed', 'bad signature', 'stale', 'undecryptable']).toContain(verdict.reason);
		}
	});
});

describe('callbackSecrets', () => {
	const node = { id: 'n1', name: 'Akool', type: 'akool', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const ctx = (credentials: Record<string, unknown>) =>
		({ getCredentials: async () => credentials, getNode: () => node }) as unknown as Pick<
			IWebhookFunctions,
			'getCredentials' | 'getNode'
		>;

	it('returns the key and the trimmed Client ID', async () => {
		await expect(callbackSecrets(ctx({ apiKey: KEYS[24], clientId: '  cid  ' }))).resolves.toEqual({
			apiKey: KEYS[24],
			clientId: 'cid',
		});
	});

	it('asks for the Client ID when it is missing or blank', async () => {
		for (const clientId of [undefined, '', '   ']) {
			await expect(callbackSecrets(ctx({ apiKey: KEYS[24], clientId }))).rejects.toThrow(
				'The Akool credential has no Client ID, needed to verify callbacks',
			);
		}
	});

	it('refuses a key that is not 16, 24 or 32 bytes, saying its length but never the key', async () => {
		const oddLength = 'SECRET-key-of-21-chars';
		const error = await callbackSecrets(ctx({ apiKey: oddLength, clientId: 'cid' })).catch((e: Error & { description?: string }) => e);
		expect(error).toBeInstanceOf(Error);
		const { message, description } = error as Error & { description?: string };
		expect(message).toBe('The Akool API key cannot decrypt callbacks');
		expect(description).toContain(`this one has ${oddLength.length}`);
		expect(`${message} ${description}`).not.toContain(oddLength);
	});
});
