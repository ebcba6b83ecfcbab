/** The credential's values the node needs, checked before any request. */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './akoolRequest';
import { isHttpUrl } from '../validation';

export const DEFAULT_BASE_URL = 'https://openapi.akool.com';

export interface AkoolConnection {
	baseUrl: string;
	/**
	 * The credential as read once for the run, handed to n8n's authenticated requests: without it n8n
	 * looks the credential up in its database again for every request, which in a busy n8n (a batch's
	 * callbacks arriving) made 80 result reads take 4 s instead of a fraction of one.
	 */
	credentials: ICredentialsDecrypted;
}

export async function readConnection(
	ctx: Pick<IExecuteFunctions, 'getCredentials' | 'getNode'>,
): Promise<AkoolConnection> {
	return connectionOf(ctx.getNode(), await ctx.getCredentials(CREDENTIAL_TYPE));
}

/** readConnection, from a credential already read. */
export function connectionOf(node: INode, credentials: ICredentialDataDecryptedObject): AkoolConnection {
	const apiKey = credentials.apiKey;
	if (typeof apiKey !== 'string' || apiKey.trim() === '') {
		throw new NodeOperationError(node, 'The Akool credential has no API key', {
			description: 'Open the Akool credential and paste the API key from the Akool console (API Credentials).',
		});
	}
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (baseUrl !== '' && !isHttpUrl(baseUrl)) {
		throw new NodeOperationError(node, `Invalid "Base URL" in the Akool credential: got "${baseUrl}"`, {
			description: `"Base URL" must be an http:// or https:// URL, e.g. ${DEFAULT_BASE_URL}.`,
		});
	}
	const stored = node.credentials?.[CREDENTIAL_TYPE];
	return {
		baseUrl: (baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, ''),
		credentials: { id: stored?.id ?? '', name: stored?.name ?? '', type: CREDENTIAL_TYPE, data: credentials },
	};
}
