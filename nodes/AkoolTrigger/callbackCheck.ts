/**
 * Whether a POST to the trigger is a genuine Akool callback, without ever throwing: an error thrown
 * from webhook() makes n8n 2.41.1 save a failed execution for the request, and a forged request must
 * leave nothing behind. A credential that cannot verify callbacks refuses every request (4xx, which
 * Akool retries, so callbacks sent meanwhile still arrive once it is fixed) and says what to fix in
 * the answer and in n8n's log, never a value.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { checkSecrets, verifyCallback, type AkoolCallbackData } from '../shared/akool/callbackCrypto';
import { CREDENTIAL_TYPE } from '../shared/transport/akoolRequest';

export type CallbackCheck = { ok: true; data: AkoolCallbackData } | { ok: false; status: 400 | 401; message: string };

function misconfigured(ctx: IWebhookFunctions, message: string, description: string): CallbackCheck {
	ctx.logger.warn(`Akool Trigger: callback refused: ${message}. ${description}`);
	return { ok: false, status: 401, message: `rejected: ${message}` };
}

export async function checkCallback(ctx: IWebhookFunctions): Promise<CallbackCheck> {
	let credentials;
	try {
		credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	} catch (error) {
		return misconfigured(ctx, 'The Akool credential could not be read', (error as Error).message);
	}
	const secrets = checkSecrets(credentials);
	if (!secrets.ok) return misconfigured(ctx, secrets.message, secrets.description);
	const verdict = verifyCallback(ctx.getBodyData(), secrets.secrets);
	return verdict.ok ? verdict : { ok: false, status: verdict.status, message: `rejected: ${verdict.reason}` };
}
