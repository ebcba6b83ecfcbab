// @ts-check
/**
 * The stand-in nodes of the test workflows: a manual trigger, and a source of fixed items (with
 * their files) placed before the node under test.
 */
const { NodeConnectionTypes } = require('n8n-workflow');

const TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** Stand-in for n8n-nodes-base.manualTrigger: same `trigger()` contract, one empty item. */
class ManualTrigger {
	constructor() {
		/** @type {import('n8n-workflow').INodeTypeDescription} */
		this.description = {
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Starts the workflow',
			defaults: { name: 'Start' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		};
	}

	/** @this {import('n8n-workflow').ITriggerFunctions} */
	async trigger() {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/**
 * @typedef {object} TestFile a file of an input item
 * @property {string} base64
 * @property {string} [mimeType]
 * @property {string} [fileName]
 * @property {boolean} [inline] kept in the item as base64 (as a Code node makes it), not stored by n8n
 */

/**
 * Emits the items given in its `items` parameter (JSON), like a Code node returning them, with the
 * files of its `files` parameter (JSON, one `{ property: TestFile }` per item) as their binary data.
 */
class ItemsSource {
	constructor() {
		/** @type {import('n8n-workflow').INodeTypeDescription} */
		this.description = {
			displayName: 'Items',
			name: 'items',
			group: ['transform'],
			version: 1,
			description: 'Outputs fixed items',
			defaults: { name: 'Items' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
				{ displayName: 'Files', name: 'files', type: 'json', default: '[]' },
			],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		/** @param {string} name */
		const json = (name) => {
			const raw = this.getNodeParameter(name, 0, '[]');
			return typeof raw === 'string' ? JSON.parse(raw) : raw;
		};
		/** @type {import('n8n-workflow').IDataObject[]} */
		const items = json('items');
		/** @type {Array<Record<string, TestFile> | undefined>} */
		const files = json('files');
		return [
			await Promise.all(
				items.map(async (item, index) => {
					const binary = await binaryOf(this, files[index]);
					return binary ? { json: item, binary } : { json: item };
				}),
			),
		];
	}
}

/**
 * @param {import('n8n-workflow').IExecuteFunctions} ctx
 * @param {Record<string, TestFile> | undefined} files
 * @returns {Promise<import('n8n-workflow').IBinaryKeyData | undefined>}
 */
async function binaryOf(ctx, files) {
	if (!files) return undefined;
	/** @type {import('n8n-workflow').IBinaryKeyData} */
	const binary = {};
	for (const [property, file] of Object.entries(files)) {
		const mimeType = file.mimeType ?? 'application/octet-stream';
		binary[property] = file.inline
			? { data: file.base64, mimeType, ...(file.fileName ? { fileName: file.fileName } : {}) }
			: await ctx.helpers.prepareBinaryData(Buffer.from(file.base64, 'base64'), file.fileName, mimeType);
	}
	return binary;
}

module.exports = { ManualTrigger, ItemsSource, TRIGGER_TYPE };
