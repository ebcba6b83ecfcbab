// @ts-check
/**
 * The credentials helper of the test workflows and of the webhook calls: the decrypted credentials
 * it is given, with a credential's `authenticate` applied the way n8n's own CLI does it.
 */
const { ICredentialsHelper, isExpression } = require('n8n-workflow');
const { Credentials } = require('n8n-core');

/** Decrypted credentials per type, and `authenticate` applied like n8n's CLI (generic or function). */
class TestCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Record<string, import('n8n-workflow').ICredentialType>} credentialTypes
	 * @param {Record<string, import('n8n-workflow').ICredentialDataDecryptedObject>} data
	 */
	constructor(credentialTypes, data) {
		super();
		this.credentialTypes = credentialTypes;
		this.data = data;
		/** How many times a node had a credential decrypted (n8n's CLI reads its database each time). */
		this.decryptions = 0;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	/**
	 * @param {import('n8n-workflow').ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {import('n8n-workflow').IHttpRequestOptions} requestOptions
	 * @param {import('n8n-workflow').Workflow} [workflow]
	 * @param {import('n8n-workflow').INode} [node]
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const auth = this.credentialTypes[typeName]?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (!auth || auth.type !== 'generic') return requestOptions;
		/** @param {string} value */
		const resolve = (value) =>
			isExpression(value) && workflow && node
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							/** @type {any} */ ({ $credentials: credentials }),
							undefined,
							'',
						) ?? '',
					)
				: value;
		const options = /** @type {Record<string, Record<string, unknown>>} */ (/** @type {unknown} */ (requestOptions));
		for (const [section, values] of Object.entries(auth.properties)) {
			options[section] = { ...(options[section] ?? {}) };
			for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (values))) {
				options[section][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	/** @param {import('n8n-workflow').INodeCredentialsDetails} _details @param {string} type */
	async getCredentials(_details, type) {
		return new Credentials({ id: null, name: '' }, type, '');
	}

	/**
	 * @param {import('n8n-workflow').IWorkflowExecuteAdditionalData} _additionalData
	 * @param {import('n8n-workflow').INodeCredentialsDetails} _details
	 * @param {string} type
	 */
	async getDecrypted(_additionalData, _details, type) {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials for ${type}`);
		this.decryptions++;
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	/** @param {string} type */
	getCredentialsProperties(type) {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

module.exports = { TestCredentialsHelper };
