/**
 * Akool's webhook callbacks: `{ signature, dataEncrypt, timestamp, nonce }` POSTed to `webhookurl`.
 * - signature: lowercase hex SHA-1 of clientId, timestamp, nonce and dataEncrypt, sorted and joined;
 * - dataEncrypt: base64 AES-CBC (PKCS#7) of `{ _id, status, type, url }`, key = the API key's bytes
 *   (16, 24 or 32: AES-128/192/256), IV = the Client ID's first 16 bytes (a shorter Client ID is
 *   padded with spaces, as Akool's demo receiver does: unconfirmed).
 * Checks run cheapest first, and a rejection says only which check failed: never a key, never
 * decrypted text.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'crypto';
import type { ICredentialDataDecryptedObject, INode, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const CALLBACK_WINDOW_MS = 10 * 60 * 1000;

export interface AkoolCallbackBody {
	signature: string;
	dataEncrypt: string;
	timestamp: string;
	nonce: string;
}

/** What a verified callback says about one job. */
export interface AkoolCallbackData {
	_id: string;
	status: number;
	type?: string;
	url?: string;
}

export type CallbackVerdict =
	| { ok: true; data: AkoolCallbackData }
	| { ok: false; status: 400 | 401; reason: 'malformed' | 'bad signature' | 'stale' | 'undecryptable' };

export interface CallbackSecrets {
	apiKey: string;
	clientId: string;
}

export function signCallback(clientId: string, timestamp: string, nonce: string, dataEncrypt: string): string {
	const joined = [clientId, timestamp, nonce, dataEncrypt].sort().join('');
	return createHash('sha1').update(joined, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

export function callbackIv(clientId: string): Buffer {
	return Buffer.from(clientId.padEnd(16, ' '), 'utf8').subarray(0, 16);
}

export function callbackCipher(apiKey: string): string | undefined {
	const bits = { 16: 128, 24: 192, 32: 256 }[Buffer.byteLength(apiKey, 'utf8')];
	return bits ? `aes-${bits}-cbc` : undefined;
}

/** Timestamps may be seconds or milliseconds: anything before 1973 in ms is taken as seconds. */
function timestampMs(timestamp: string): number {
	const value = Number(timestamp);
	return value < 1e11 ? value * 1000 : value;
}

function readBody(body: unknown): AkoolCallbackBody | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const { signature, dataEncrypt, timestamp, nonce } = body as Record<string, unknown>;
	const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
	const fields = { signature: text(signature), dataEncrypt: text(dataEncrypt), timestamp: text(timestamp), nonce: text(nonce) };
	if (Object.values(fields).some((value) => value === '') || !Number.isFinite(Number(fields.timestamp))) {
		return undefined;
	}
	return fields;
}

function decrypt(dataEncrypt: string, { apiKey, clientId }: CallbackSecrets): AkoolCallbackData | undefined {
	const cipher = callbackCipher(apiKey);
	if (!cipher) return undefined;
	try {
		const decipher = createDecipheriv(cipher, Buffer.from(apiKey, 'utf8'), callbackIv(clientId));
		const plain = Buffer.concat([decipher.update(Buffer.from(dataEncrypt, 'base64')), decipher.final()]);
		const data = JSON.parse(plain.toString('utf8')) as AkoolCallbackData;
		return typeof data?._id === 'string' && typeof data.status === 'number' ? data : undefined;
	} catch {
		return undefined;
	}
}

/** Verifies and decrypts one callback. */
export function verifyCallback(body: unknown, secrets: CallbackSecrets, nowMs = Date.now()): CallbackVerdict {
	const fields = readBody(body);
	if (!fields) return { ok: false, status: 400, reason: 'malformed' };
	const expected = signCallback(secrets.clientId, fields.timestamp, fields.nonce, fields.dataEncrypt);
	if (!sameText(expected, fields.signature.toLowerCase())) return { ok: false, status: 401, reason: 'bad signature' };
	if (Math.abs(nowMs - timestampMs(fields.timestamp)) > CALLBACK_WINDOW_MS) {
		return { ok: false, status: 401, reason: 'stale' };
	}
	const data = decrypt(fields.dataEncrypt, secrets);
	return data ? { ok: true, data } : { ok: false, status: 400, reason: 'undecryptable' };
}

/** The credential's API key and Client ID, or what keeps them from verifying callbacks. */
export type SecretsCheck =
	| { ok: true; secrets: CallbackSecrets }
	| { ok: false; message: string; description: string };

/**
 * Checks the credential: a callback cannot be verified without the Client ID, nor decrypted with a
 * key that is not 16, 24 or 32 bytes. `message` says what to fix without any of the values, so that
 * it can be answered to whoever sent a callback; `description` (for the workflow's owner) adds how.
 */
export function checkSecrets(credentials: ICredentialDataDecryptedObject): SecretsCheck {
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const clientId = typeof credentials.clientId === 'string' ? credentials.clientId.trim() : '';
	if (!clientId) {
		return {
			ok: false,
			message: 'The Akool credential has no Client ID, needed to verify callbacks',
			description: 'Akool console → API Credentials: copy the Client ID (beside the API key) into the credential.',
		};
	}
	if (!callbackCipher(apiKey)) {
		return {
			ok: false,
			message: 'The Akool API key cannot decrypt callbacks',
			description: `Akool encrypts callbacks with the API key, which must then be 16, 24 or 32 characters; this one has ${Buffer.byteLength(apiKey, 'utf8')}.`,
		};
	}
	return { ok: true, secrets: { apiKey, clientId } };
}

/** The credential's secrets, read and checked; throws what to fix (never the values). */
export async function callbackSecrets(ctx: Pick<IWebhookFunctions, 'getCredentials' | 'getNode'>): Promise<CallbackSecrets> {
	return secretsOf(ctx.getNode(), await ctx.getCredentials('akoolApi'));
}

/** callbackSecrets, from a credential already read. */
export function secretsOf(node: INode, credentials: ICredentialDataDecryptedObject): CallbackSecrets {
	const check = checkSecrets(credentials);
	if (!check.ok) throw new NodeOperationError(node, check.message, { description: check.description });
	return check.secrets;
}
