/**
 * The only door to Akool's API: authentication (through the credential), the `{code, msg, data}`
 * envelope, retries, rate-limit back-off and error mapping.
 *
 * Retry rules, because a create call may have started a paid job:
 * - reads (`safe`): retried on network errors, HTTP 5xx and unreadable answers, with back-off, a few times;
 * - creates (`paid`): sent again ONLY after an explicit refusal (code 1005 or HTTP 429), which Akool
 *   answers before making a job; any other failure is reported, never retried.
 */
import type {
	IDataObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	NodeApiError,
} from 'n8n-workflow';

import { pause } from '../timing';
import type { AkoolEnvelope } from '../akool/types';
import { AKOOL_SUCCESS, AKOOL_TOO_FREQUENT, akoolApiError, type AkoolFailure } from './errors';
import { parseRetryAfter, RateGate, type GateTicket, type Pace } from './rateGate';
import type { RequestSlots } from './requestSlots';

export const CREDENTIAL_TYPE = 'akoolApi';

const SAFE_ATTEMPTS = 4;
const REFUSAL_ATTEMPTS = 10;
/**
 * A refused call waits this long (or Retry-After, when longer) before it is sent again: its own
 * back-off. The run's other calls go on at the pace the gate learned from the refusal.
 */
const REFUSED_CALL_WAIT_MS = 1_000;
const FIRST_RETRY_MS = 1_000;

export interface AkoolCall {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** `paid` calls may start a job that costs credits: see the rules above. */
	cost: 'safe' | 'paid';
	itemIndex?: number;
	/** Named in error messages, e.g. "job 6650a1b2…". */
	subject?: string;
}

type Attempt =
	| { outcome: 'ok'; data: unknown }
	| { outcome: 'refused'; retryAfterMs?: number; failure: AkoolFailure }
	| { outcome: 'transient'; failure: AkoolFailure; unreached?: boolean }
	| { outcome: 'rejected'; failure: AkoolFailure };

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** What the transport needs of n8n: the node calls Akool from `execute()` and from `webhook()`. */
export interface TransportContext {
	getNode: IExecuteFunctions['getNode'];
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequestWithAuthentication'>;
}

export interface AkoolTransportOptions {
	baseUrl: string;
	/** The credential read once for the run (see AkoolConnection); n8n reads it per request without. */
	credentials?: ICredentialsDecrypted;
	requestTimeoutMs: number;
	signal?: AbortSignal;
	/** The run's bound on requests in flight, shared with its downloads (none: one call at a time anyway). */
	slots?: RequestSlots;
}

export class AkoolTransport {
	private readonly gate = new RateGate();

	constructor(
		private readonly ctx: TransportContext,
		private readonly options: AkoolTransportOptions,
	) {}

	/** The pace Akool accepts now (see RateGate.pace). */
	pace(): Pace {
		return this.gate.pace();
	}

	/** Sends one call, following the retry rules, and returns Akool's `data`. */
	async send<T>(call: AkoolCall): Promise<T> {
		let transientFailures = 0;
		for (let attempt = 1; ; attempt++) {
			const { ticket, result } = await this.paced(call);
			if (result.outcome === 'refused') this.gate.refused(ticket, result.retryAfterMs);
			else this.gate.accepted(ticket);
			if (result.outcome === 'ok') return result.data as T;
			if (result.outcome === 'refused') {
				if (attempt < REFUSAL_ATTEMPTS) {
					await pause(REFUSED_CALL_WAIT_MS, this.options.signal);
					continue;
				}
				throw this.error(call, result.failure, [
					`Akool still refused after ${attempt} tries with back-off`,
					...(call.cost === 'paid' ? ['no job was created, so nothing was charged'] : []),
				]);
			}
			if (result.outcome === 'transient' && call.cost === 'safe' && ++transientFailures < SAFE_ATTEMPTS) {
				await pause(FIRST_RETRY_MS * 2 ** (transientFailures - 1), this.options.signal);
				continue;
			}
			throw this.error(call, result.failure, this.failureDetails(call, result, transientFailures));
		}
	}

	/** One attempt in its turn: after any closure of the gate, in one of the run's slots, at the pace. */
	private async paced(call: AkoolCall): Promise<{ ticket: GateTicket; result: Attempt }> {
		const { signal, slots } = this.options;
		await this.gate.whenOpen(signal);
		const send = async () => {
			const ticket = await this.gate.ready(signal);
			return { ticket, result: await this.attempt(call) };
		};
		return slots ? await slots.run(send) : await send();
	}

	private failureDetails(call: AkoolCall, result: Attempt, transientFailures: number) {
		if (result.outcome !== 'transient') return [];
		if (result.unreached && call.cost === 'paid') {
			return ['The request never reached Akool, so nothing was created or charged'];
		}
		if (call.cost === 'paid') {
			return [
				'Akool may have created (and charged) the job before this failure, so the request was not sent again. ' +
					'Check the credit balance or Akool’s console before running this item again',
			];
		}
		return [`Gave up after ${transientFailures} tries with back-off`];
	}

	private error(call: AkoolCall, failure: AkoolFailure, details: string[]): NodeApiError {
		return akoolApiError(
			this.ctx.getNode(),
			{ ...failure, subject: call.subject, details: [...(failure.details ?? []), ...details] },
			call.itemIndex,
		);
	}

	private async attempt(call: AkoolCall): Promise<Attempt> {
		const request: IHttpRequestOptions = {
			method: call.method,
			url: `${this.options.baseUrl}${call.path}`,
			qs: call.qs,
			body: call.body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.options.requestTimeoutMs,
			abortSignal: this.options.signal,
			// The API key must never follow a redirect to another host (n8n strips only Authorization
			// and cookies on one), and Akool's API has no reason to redirect: a redirect is an error.
			disableFollowRedirect: true,
		};
		let response: RawResponse;
		try {
			response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx as IExecuteFunctions,
				CREDENTIAL_TYPE,
				request,
				this.options.credentials ? { credentialsDecrypted: this.options.credentials } : undefined,
			)) as RawResponse;
		} catch (error) {
			// Never keep the client's error: its request config holds the API key.
			const { message, unreached } = describeNetworkError(error);
			return { outcome: 'transient', failure: { message }, unreached };
		}
		return classify(response);
	}
}

/** Reads an HTTP answer as Akool's envelope and decides what it means. */
export function classify({ statusCode, headers, body }: RawResponse): Attempt {
	const envelope = asEnvelope(body);
	const retryAfterMs = parseRetryAfter(headers?.['retry-after']);
	if (statusCode === 429) {
		return {
			outcome: 'refused',
			retryAfterMs,
			failure: { code: envelope?.code, message: envelope?.msg ?? 'HTTP 429 Too Many Requests', httpStatus: 429 },
		};
	}
	if (envelope?.code === AKOOL_TOO_FREQUENT) {
		return {
			outcome: 'refused',
			retryAfterMs,
			failure: { code: AKOOL_TOO_FREQUENT, message: envelope.msg ?? 'Too frequent', httpStatus: statusCode },
		};
	}
	if (envelope && envelope.code !== AKOOL_SUCCESS) {
		return {
			outcome: 'rejected',
			failure: { code: envelope.code, message: envelope.msg || 'no message', httpStatus: statusCode },
		};
	}
	if (envelope && statusCode < 300) return { outcome: 'ok', data: envelope.data };
	const failure = { message: describeUnreadable(statusCode, body), httpStatus: statusCode };
	return statusCode >= 500 || statusCode < 300 || statusCode === 408
		? { outcome: 'transient', failure }
		: { outcome: 'rejected', failure };
}

function asEnvelope(body: unknown): AkoolEnvelope | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (value && typeof value === 'object' && typeof (value as AkoolEnvelope).code === 'number') {
		return value as AkoolEnvelope;
	}
	return undefined;
}

function describeUnreadable(statusCode: number, body: unknown): string {
	if (statusCode >= 300 && statusCode < 400) {
		return `HTTP ${statusCode}: a redirect, not followed (the API key is only sent to the Base URL)`;
	}
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	const kind = /^\s*</.test(text) ? 'an HTML page' : 'an answer that is not Akool JSON';
	return `HTTP ${statusCode} with ${kind}`;
}

/**
 * A short, secret-free description of a failed HTTP exchange (reset, timeout, refused...), and
 * whether the request surely never reached the server (then a create cannot have made a job).
 */
function describeNetworkError(error: unknown): { message: string; unreached: boolean } {
	const codes = new Set<string>();
	let message = '';
	for (let e = error as IDataObject | undefined, depth = 0; e && depth < 4; depth++) {
		if (typeof e.code === 'string') codes.add(e.code);
		if (!message && typeof e.message === 'string') message = e.message;
		e = (e.cause ?? e.reason) as IDataObject | undefined;
	}
	if (codes.has('ECONNREFUSED')) {
		return { message: 'the connection was refused (is the base URL right?)', unreached: true };
	}
	if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) {
		return { message: 'the host of the base URL was not found', unreached: true };
	}
	if (codes.has('ECONNABORTED') || codes.has('ETIMEDOUT') || /timeout/i.test(message)) {
		return { message: 'no answer within the request timeout', unreached: false };
	}
	if (codes.has('ECONNRESET') || /socket hang up|aborted/i.test(message)) {
		return { message: 'the connection was reset before Akool answered', unreached: false };
	}
	const code = [...codes][0];
	return { message: code ? `network error ${code}` : 'network error', unreached: false };
}
