// @ts-check
/** n8n's log lines of the whole run, kept in memory so that the secrets rows can scan them for the key. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Every log call of n8n (its Logger and LoggerProxy), kept in memory and scanned for the key. */
export const logLines = /** @type {string[]} */ ([]);

/** @param {string} level @param {((message: unknown, meta?: unknown) => void) | undefined} [forward] */
const capture = (level, forward) => (/** @type {unknown} */ message, /** @type {unknown} */ meta) => {
	logLines.push(`${level} ${String(message)} ${safeJson(meta)}`);
	forward?.(message, meta);
};

/**
 * n8n logs through its DI Logger (which takes over n8n-workflow's LoggerProxy when created): create
 * it now, wrap its methods (and those of its scoped children) so that every line is recorded too,
 * then point LoggerProxy at the recording.
 */
export function captureLogs() {
	const fromCore = createRequire(require.resolve('n8n-core'));
	/** @type {any} */
	const { Container } = fromCore('@n8n/di');
	/** @type {any} */
	const { Logger } = fromCore('@n8n/backend-common');
	/** @param {any} logger */
	const wrap = (logger) => {
		for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = capture(level, logger[level].bind(logger));
		const scoped = logger.scoped.bind(logger);
		logger.scoped = (/** @type {unknown} */ scopes) => wrap(scoped(scopes));
		return logger;
	};
	const root = wrap(Container.get(Logger));
	/** @type {any} */
	const { LoggerProxy } = require('n8n-workflow');
	LoggerProxy.init(root);
}

/** @param {unknown} value */
function safeJson(value) {
	const seen = new WeakSet();
	try {
		return JSON.stringify(value, (_, v) => {
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
			}
			return v;
		}) ?? '';
	} catch {
		return String(value);
	}
}
