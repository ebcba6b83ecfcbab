// @ts-check
/**
 * The Akool node's parameters as they stand in a workflow's JSON (resource Image), in one place for
 * the scripts that build workflows: the node's defaults for a run that waits and downloads, anything
 * else passed through. The key order is the editor's (resource, operation, prompt, ..., options).
 */

/**
 * @typedef {{ operation?: string, prompt?: string, aspectRatio?: string, resolution?: string, numberOfImages?: number,
 *   waitForCompletion?: boolean, waitMode?: 'poll' | 'callback', downloadImage?: boolean,
 *   options?: Record<string, unknown>, [key: string]: unknown }} AkoolParamsInput
 */

/**
 * `{ resource: 'image', operation, prompt, aspectRatio, resolution, numberOfImages, waitForCompletion,
 * [waitMode], downloadImage, ...other parameters, options }`: prompt from the item (`$json.prompt`),
 * 1:1 at 1080p, one image, waiting and downloading; `waitMode` only when given.
 * @param {AkoolParamsInput} [o]
 * @returns {Record<string, unknown>}
 */
export function akoolNodeParameters({
	operation = 'generate',
	prompt = '={{ $json.prompt }}',
	aspectRatio = '1:1',
	resolution = '1080p',
	numberOfImages = 1,
	waitForCompletion = true,
	waitMode,
	downloadImage = true,
	options = {},
	...rest
} = {}) {
	return {
		resource: 'image',
		operation,
		prompt,
		aspectRatio,
		resolution,
		numberOfImages,
		waitForCompletion,
		...(waitMode === undefined ? {} : { waitMode }),
		downloadImage,
		...rest,
		options,
	};
}

/**
 * The Akool node's type in every workflow the scripts run: the package name and the node's name, as
 * n8n registers a community package installed in its nodes folder (see env.mjs `installPackage`).
 */
export const AKOOL_NODE_TYPE = 'n8n-nodes-akool.akool';

/** The Akool Trigger's type: the same package as the Akool node's. */
export const AKOOL_TRIGGER_TYPE = `${AKOOL_NODE_TYPE.slice(0, AKOOL_NODE_TYPE.lastIndexOf('.'))}.akoolTrigger`;

/** The Akool credential, as a node's `credentials` names it. */
export const AKOOL_CREDENTIAL_TYPE = 'akoolApi';

/**
 * One Akool node of a workflow's JSON.
 * @param {{ id: string, name?: string, typeVersion?: number, position?: [number, number],
 *   parameters?: Record<string, unknown>, credential?: { id: string, name: string }, [key: string]: unknown }} o
 */
export function akoolNode({ id, name = 'Akool', typeVersion = 1, position = [220, 0], parameters = akoolNodeParameters(), credential, ...rest }) {
	return {
		id,
		name,
		type: AKOOL_NODE_TYPE,
		typeVersion,
		position,
		parameters,
		...(credential ? { credentials: { [AKOOL_CREDENTIAL_TYPE]: { ...credential } } } : {}),
		...rest,
	};
}
