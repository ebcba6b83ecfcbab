/** The credential's values the node needs, checked before any request. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../transport/akoolRequest';
import { isHttpUrl } from '../../validation';

export const DEFAULT_BASE_URL = 'https://openapi.akool.com';

export interface AkoolConnection {
	baseUrl: string;
}

export async function readConnection(
	ctx: Pick<IExecuteFunctions, 'getCredentials' | 'getNode'>,
): Promise<AkoolConnection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const apiKey = credentials.apiKey;
	if (typeof apiKey !== 'string' || apiKey.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'The Akool credential has no API key', {
			description: 'Open the Akool credential and paste the API key from the Akool console (API Credentials).',
		});
	}
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (baseUrl !== '' && !isHttpUrl(baseUrl)) {
		throw new NodeOperationError(ctx.getNode(), `Invalid "Base URL" in the Akool credential: got "${baseUrl}"`, {
			description: `"Base URL" must be an http:// or https:// URL, e.g. ${DEFAULT_BASE_URL}.`,
		});
	}
	return { baseUrl: (baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '') };
}
