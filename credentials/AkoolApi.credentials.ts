import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Akool answers HTTP 200 with a business code: the test fails on each code that means "this key won't work". */
const FAILING_CODES: Array<[number, string]> = [
	[1101, 'Akool error 1101: the API key is invalid or expired. Copy it again from Akool’s API Credentials page.'],
	[1102, 'Akool error 1102: no API key was sent. Paste the API key from Akool’s API Credentials page.'],
	[1103, 'Akool error 1103: the account is unpaid. Check the subscription in your Akool account.'],
	[1109, 'Akool error 1109: the account does not exist. Check the API key.'],
	[1200, 'Akool error 1200: the account has been banned. Contact Akool support.'],
	[1005, 'Akool error 1005: too many requests right now. Wait a moment and test again.'],
	[1009, 'Akool error 1009: the account has no permission for this call.'],
];

export class AkoolApi implements ICredentialType {
	name = 'akoolApi';

	displayName = 'Akool API';

	icon = { light: 'file:../nodes/Akool/akool.svg', dark: 'file:../nodes/Akool/akool.dark.svg' } as const;

	documentationUrl = 'https://docs.akool.com/authentication/usage';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'In the Akool console: your avatar → API Credentials → create or copy the API key (older docs call it clientSecret)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description:
				'Only needed to verify Akool’s webhook callbacks (shown beside the API key in the Akool console). Leave empty otherwise.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://openapi.akool.com',
			description: 'Akool’s API address. Change it only for a proxy or a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	};

	/** The credit balance is the cheapest authenticated call. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/open/v3/faceswap/quota/info',
			method: 'GET',
		},
		rules: FAILING_CODES.map(([code, message]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'code', value: code, message },
		})),
	};
}
