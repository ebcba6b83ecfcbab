// @ts-check
/**
 * Small helpers of the e2e support library (scripts/e2e/): sleep, free and used 127.0.0.1 ports, temp
 * folders, n8n-shaped ids, polling until something is so (a webhook served, too). Node stdlib only.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `check` returns a value (not undefined), every `everyMs`; throws `timed out after
 * <timeoutMs> ms waiting for <what>` when the time is up.
 * @template T @param {() => Promise<T | undefined>} check @param {number} timeoutMs @param {string} what
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
export async function until(check, timeoutMs, what, everyMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

/**
 * Waits until n8n serves the POST-only production webhook at `url`. n8n answers /healthz before it
 * has registered the published workflows' webhooks; once it has, a GET there answers "not registered
 * for GET requests" (before: 404 "not registered"), and a GET starts no execution.
 * @param {string} url @param {number} [timeoutMs]
 */
export async function untilWebhookServed(url, timeoutMs = 60_000) {
	await until(
		async () => {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
			return /not registered for GET/.test((await res?.text()) ?? '') || undefined;
		},
		timeoutMs,
		`n8n to serve the webhook ${url}`,
		500,
	);
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** Is something listening on 127.0.0.1:port? @param {number} port @returns {Promise<boolean>} */
export function portInUse(port) {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/**
 * A fresh temp folder; `remove()` deletes it (unless AKOOL_E2E_KEEP=1).
 * @param {string} [prefix]
 * @returns {Promise<{ dir: string, remove: () => Promise<void> }>}
 */
export async function tempDir(prefix = 'akool-e2e-') {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
	return {
		dir,
		remove: async () => {
			if (process.env.AKOOL_E2E_KEEP === '1') return;
			await fsp.rm(dir, { recursive: true, force: true });
		},
	};
}

/** A random id of n8n's shape (16 alphanumerics). @param {string} [prefix] */
export function n8nId(prefix = '') {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	let s = prefix;
	for (let i = 0; s.length < 16; i++) s += alphabet[bytes[i % 16] % alphabet.length];
	return s.slice(0, 16);
}
