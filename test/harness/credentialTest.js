// @ts-check
'use strict';
/**
 * Runs a credential type's declarative `test` the way n8n's CLI does when the user presses "Test" in
 * the credential dialog (packages/cli/src/services/credentials-tester.service.ts, with the request
 * made by n8n-core's RoutingNode and authenticated by packages/cli/src/credentials-helper.ts):
 *
 *   1. the credential data gets the type's defaults (NodeHelpers.getNodeParameters) and its own
 *      expressions resolved;
 *   2. each key of `test.request` that is an expression (or an object) is resolved with n8n-workflow's
 *      expression engine, `$credentials` being the credential data, on top of `{qs, body, headers}`;
 *   3. the credential's `authenticate` is applied (generic: each `={{...}}` resolved against
 *      `$credentials`; a function: called);
 *   4. the request is sent (axios' rules for joining baseURL and url; here with global fetch);
 *   5. a non-2xx answer fails the test: with the message of a matching `responseCode` rule, else
 *      the status text; a network failure fails with the error's code;
 *   6. a 2xx answer fails when a `responseSuccessBody` rule's `key` of the body equals its `value`;
 *      otherwise the test is OK ("Connection successful!").
 */
const { NodeHelpers, Workflow, isExpression } = require('n8n-workflow');

/**
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {{ status: 'OK' | 'Error', message: string }} CredentialTestResult
 * @typedef {{ timeoutMs?: number }} CredentialTestOptions
 */

/** RoutingNode's default when the node sets no timeout. */
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * A throwaway workflow holding the temporary node n8n builds for a credential test.
 * @param {string} credentialTypeName
 */
function tempWorkflow(credentialTypeName) {
	/** @type {INode} */
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialTypeName]: { id: 'credential-test', name: 'credential under test' } },
	};
	/** @type {import('n8n-workflow').INodeType} */
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp' },
			inputs: [],
			outputs: [],
			properties: [],
		},
	};
	/** @type {import('n8n-workflow').INodeTypes} */
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return { workflow, node };
}

/**
 * Step 1: defaults of the credential type, then its expressions (as applyDefaultsAndOverwrites).
 * @param {ICredentialType} type
 * @param {ICredentialDataDecryptedObject} data
 * @param {Workflow} workflow
 * @param {INode} node
 * @returns {ICredentialDataDecryptedObject}
 */
function credentialData(type, data, workflow, node) {
	const withDefaults = /** @type {ICredentialDataDecryptedObject} */ (
		NodeHelpers.getNodeParameters(type.properties, /** @type {any} */ ({ ...data }), true, false, null, null)
	);
	return /** @type {ICredentialDataDecryptedObject} */ (
		workflow.expression.getComplexParameterValue(
			node,
			/** @type {any} */ (withDefaults),
			'internal',
			{},
			undefined,
			undefined,
			withDefaults,
		)
	);
}

/**
 * Step 2: RoutingNode.getParameterValue for each key of `routing.request`.
 * @param {IDataObject} request
 * @param {ICredentialDataDecryptedObject} credentials
 * @param {Workflow} workflow
 * @param {INode} node
 * @returns {Record<string, any>}
 */
function resolveRequest(request, credentials, workflow, node) {
	/** @type {Record<string, any>} */
	const options = { qs: {}, body: {}, headers: {} };
	const additionalKeys = /** @type {any} */ ({ $credentials: credentials, $value: '', $version: node.typeVersion });
	const executeData = { node, data: {}, source: null };
	for (const [key, raw] of Object.entries(request)) {
		const value =
			typeof raw === 'object' || (typeof raw === 'string' && raw.charAt(0) === '=')
				? workflow.expression.getParameterValue(
						/** @type {any} */ (raw),
						null,
						0,
						0,
						node.name,
						[],
						'internal',
						additionalKeys,
						executeData,
						false,
					)
				: raw;
		options[key] =
			value && typeof value === 'object' && !Array.isArray(value) && options[key]
				? { ...options[key], ...value }
				: value;
	}
	return options;
}

/**
 * Step 3: CredentialsHelper.authenticate.
 * @param {ICredentialType} type
 * @param {ICredentialDataDecryptedObject} credentials
 * @param {Record<string, any>} options
 * @param {Workflow} workflow
 * @param {INode} node
 */
async function authenticate(type, credentials, options, workflow, node) {
	const auth = type.authenticate;
	if (!auth) return options;
	if (typeof auth === 'function') return /** @type {Record<string, any>} */ (await auth(credentials, /** @type {any} */ (options)));
	if (auth.type !== 'generic') return options;
	/** @param {string} value */
	const resolve = (value) => {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			/** @type {any} */ ({ $credentials: credentials }),
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	};
	options.headers ??= {};
	for (const [outerKey, outerValue] of Object.entries(auth.properties)) {
		for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (outerValue))) {
			options[outerKey] ??= {};
			options[outerKey][resolve(key)] = resolve(value);
		}
	}
	return options;
}

/**
 * axios' buildFullPath/combineURLs: a relative url is appended to baseURL with exactly one slash.
 * @param {string | undefined} baseURL
 * @param {string | undefined} url
 */
function fullUrl(baseURL, url) {
	const relative = url ?? '';
	if (!baseURL || /^([a-z][a-z\d+\-.]*:)?\/\//i.test(relative)) return relative;
	return relative ? `${baseURL.replace(/\/?\/$/, '')}/${relative.replace(/^\/+/, '')}` : baseURL;
}

/**
 * lodash.get for the dotted keys rules use (e.g. "code" or "data.error.code").
 * @param {unknown} value
 * @param {string} path
 */
function getPath(value, path) {
	/** @type {any} */
	let current = value;
	for (const part of path.split(/[.[\]]/).filter(Boolean)) {
		if (current === null || current === undefined) return undefined;
		current = current[part];
	}
	return current;
}

/**
 * Step 4: sends the request; resolves with what RoutingNode would have returned or thrown.
 * @param {Record<string, any>} options
 * @param {number} timeoutMs
 */
async function send(options, timeoutMs) {
	const url = new URL(fullUrl(options.baseURL, options.url));
	for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.append(key, String(value));
	const method = String(options.method ?? 'GET').toUpperCase();
	/** @type {Record<string, string>} */
	const headers = { ...(options.headers ?? {}) };
	const hasBody =
		options.body !== undefined &&
		!['GET', 'HEAD'].includes(method) &&
		!(typeof options.body === 'object' && Object.keys(options.body).length === 0);
	if (hasBody && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
		headers['Content-Type'] = 'application/json';
	}
	const response = await fetch(url, {
		method,
		headers,
		body: hasBody ? (typeof options.body === 'string' ? options.body : JSON.stringify(options.body)) : undefined,
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	/** @type {unknown} */
	let body = text;
	try {
		body = JSON.parse(text);
	} catch {
		// axios keeps a body that is not JSON as text
	}
	return { statusCode: response.status, statusMessage: response.statusText, body };
}

/**
 * Steps 1 to 3 alone: the request n8n would send for the test (with the credential's headers), for
 * checking what the expressions resolve to.
 * @param {ICredentialType} credentialType
 * @param {ICredentialDataDecryptedObject} data
 * @returns {Promise<Record<string, any>>}
 */
async function resolveTestRequest(credentialType, data) {
	if (!credentialType.test) throw new Error(`${credentialType.name} has no test`);
	const { workflow, node } = tempWorkflow(credentialType.name);
	const credentials = credentialData(credentialType, data, workflow, node);
	const request = resolveRequest(/** @type {IDataObject} */ (credentialType.test.request), credentials, workflow, node);
	return await authenticate(credentialType, credentials, request, workflow, node);
}

/**
 * Evaluates `credentialType.test` for `data` as n8n's "Test" button does.
 * @param {ICredentialType} credentialType
 * @param {ICredentialDataDecryptedObject} data the credential as the user filled it in
 * @param {CredentialTestOptions} [options]
 * @returns {Promise<CredentialTestResult>}
 */
async function testCredential(credentialType, data, options = {}) {
	const test = credentialType.test;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };
	/** @type {Awaited<ReturnType<typeof send>>} */
	let response;
	try {
		const authenticated = await resolveTestRequest(credentialType, data);
		response = await send(authenticated, authenticated.timeout ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	} catch (error) {
		const cause = /** @type {{ cause?: { code?: unknown } }} */ (error).cause;
		if (cause && typeof cause.code === 'string') return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String(error instanceof Error ? error.message : error) };
	}

	const rules = Array.isArray(test.rules) ? test.rules : [];
	const { statusCode, statusMessage, body } = response;
	if (statusCode < 200 || statusCode > 299) {
		for (const rule of rules) {
			if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'Error', message: statusMessage || `Received HTTP status code: ${statusCode}` };
	}
	// RoutingNode makes one item per element of an array body; the CLI reads the first.
	const json = Array.isArray(body) ? body[0] : body;
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && getPath(json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

module.exports = { testCredential, resolveTestRequest, fullUrl };
