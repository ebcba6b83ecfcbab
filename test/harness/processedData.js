// @ts-check
/**
 * n8n's processed-data store (what `this.helpers.checkProcessedAndRecord` reaches) for tests, in
 * memory: n8n 2.41.1's DeduplicationHelper (packages/cli, deduplication/deduplication-helper.js) in
 * mode "entries", as it is: one row per workflow and context ('n:<node id>' for node scope, '' for
 * workflow scope) holding the md5/base64 hashes of the recorded values in the order they came, the
 * oldest dropped beyond `maxEntries`. Like n8n's, a check reads the row and writes it back whole a
 * database round trip later (here: one turn of the event loop), so checks at once can both find a
 * value new or drop each other's records; a node's first record inserts the row, and an insert of a
 * row that exists by then fails on its unique key (n8n's SQLITE_CONSTRAINT). `collide(values)` plays
 * another process inserting the row with `values` between the next check's read and its insert.
 */
const { createHash } = require('node:crypto');
const { DataDeduplicationService } = require('n8n-core');

/** @typedef {import('n8n-workflow').ICheckProcessedContextData} ContextData */
/** @typedef {import('n8n-workflow').ICheckProcessedOptions} Options */

class MemoryProcessedData {
	/** @type {Map<string, string[]>} row key → hashes */
	rows = new Map();
	/** what another execution inserts just before the next insert, which then fails */
	collision = /** @type {Array<string | number> | undefined} */ (undefined);
	/** every call's options, in order */
	calls = /** @type {Options[]} */ ([]);

	/** @param {Array<string | number>} values */
	collide(values) {
		this.collision = values;
	}

	/** @param {'node' | 'workflow'} scope @param {ContextData} contextData */
	static rowKey(scope, contextData) {
		const context = scope === 'node' ? `n:${contextData.node?.id}` : '';
		return `${contextData.workflow.id}|${context}`;
	}

	/** @param {string | number} value */
	static hash(value) {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	/**
	 * @param {Array<string | number>} items @param {'node' | 'workflow'} scope
	 * @param {ContextData} contextData @param {Options} options
	 */
	async checkProcessedAndRecord(items, scope, contextData, options) {
		if (options.mode !== 'entries') throw new Error('the test store plays mode "entries" only');
		this.calls.push(options);
		const key = MemoryProcessedData.rowKey(scope, contextData);
		const hashes = items.map((item) => MemoryProcessedData.hash(item));
		// n8n reads the row, then writes it back whole: a database round trip between the two
		const stored = this.rows.get(key);
		const row = stored ? [...stored] : undefined;
		await new Promise((resolve) => setImmediate(resolve));
		if (!row) {
			if (this.collision) {
				this.rows.set(key, this.collision.map((value) => MemoryProcessedData.hash(value)));
				this.collision = undefined;
			}
			if (this.rows.has(key)) throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
			this.rows.set(key, options.maxEntries ? hashes.slice(-options.maxEntries) : hashes);
			return { new: items, processed: [] };
		}
		/** @type {{ new: Array<string | number>, processed: Array<string | number> }} */
		const result = { new: [], processed: [] };
		const seen = new Set(row);
		hashes.forEach((hash, index) => {
			if (seen.has(hash)) result.processed.push(items[index]);
			else {
				result.new.push(items[index]);
				row.push(hash);
			}
		});
		if (options.maxEntries) row.splice(0, row.length - options.maxEntries);
		this.rows.set(key, row);
		return result;
	}

	async removeProcessed() {
		throw new Error('not used by the node');
	}

	async clearAllProcessedItems() {
		this.rows.clear();
	}

	/** @param {'node' | 'workflow'} scope @param {ContextData} contextData */
	async getProcessedDataCount(scope, contextData) {
		return this.rows.get(MemoryProcessedData.rowKey(scope, contextData))?.length ?? 0;
	}
}

/** @type {MemoryProcessedData | undefined} */
let store;

/**
 * The store n8n-core's helpers use in this process (n8n-core allows one per process), emptied.
 * @returns {MemoryProcessedData}
 */
function processedDataStore() {
	if (!store) {
		store = new MemoryProcessedData();
		void DataDeduplicationService.init(store);
	}
	store.rows.clear();
	store.collision = undefined;
	store.calls = [];
	return store;
}

module.exports = { MemoryProcessedData, processedDataStore };
