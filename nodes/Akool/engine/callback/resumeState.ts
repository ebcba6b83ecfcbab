/**
 * What a node waiting for callbacks must remember across the wait: its nonce and which jobs belong
 * to which input item. n8n gives `webhook()` no access to the node's pre-wait output, so this lives
 * in the execution's custom data, within n8n's limits: 10 keys per execution (shared with the
 * user's Execution Data node), keys of letters, digits and "_", values kept under 255 characters
 * (n8n logs an error for longer ones and cuts them at 512).
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * n8n's execution custom data, declared here rather than imported: n8n-workflow types it only from
 * 2.16 on, and the rest of the node compiles against n8n 1.85 and later.
 */
export interface ExecutionCustomData {
	get(key: string): string | undefined;
	getAll(): Record<string, string>;
	set(key: string, value: string): void;
	setAll(values: Record<string, string>): void;
}

/** The execution's custom data; Wait Mode "Callback" cannot work on an n8n that gives nodes none. */
export function customDataOf(ctx: { getNode(): INode }): ExecutionCustomData {
	const customData = (ctx as { customData?: ExecutionCustomData }).customData;
	if (!customData) {
		throw new NodeOperationError(ctx.getNode(), 'Wait Mode "Callback" needs a newer n8n', {
			description: 'This n8n gives nodes no execution custom data (n8n 2.16 and later do). Use Wait Mode "Polling".',
		});
	}
	return customData;
}

export const CUSTOM_DATA_KEYS = 10;
const VALUE_LIMIT = 255;
const VERSION = 'akool1';

export interface ResumeState {
	nonce: string;
	/** Job IDs of each input item, in item order and batch order. */
	jobsPerItem: string[][];
}

function headKey(nodeId: string): string {
	return `akool_${nodeId.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 44);
}

function chunkKey(nodeId: string, index: number): string {
	return `${headKey(nodeId)}_${index}`;
}

/** Job IDs in chunks of at most VALUE_LIMIT characters. */
function chunkIds(ids: string[]): string[] {
	const chunks: string[] = [];
	let current = '';
	for (const id of ids) {
		const next = current ? `${current},${id}` : id;
		if (next.length > VALUE_LIMIT) {
			chunks.push(current);
			current = id;
		} else {
			current = next;
		}
	}
	if (current) chunks.push(current);
	return chunks;
}

/** The keys `state` needs, or a reason it does not fit the keys still free in `customData`. */
export function packState(
	nodeId: string,
	state: ResumeState,
	customData: ExecutionCustomData,
): { values: Record<string, string> } | { tooLarge: string } {
	const chunks = chunkIds(state.jobsPerItem.flat());
	const head = [VERSION, state.nonce, chunks.length, state.jobsPerItem.map((ids) => ids.length).join('.')].join(';');
	const values: Record<string, string> = { [headKey(nodeId)]: head };
	chunks.forEach((chunk, index) => (values[chunkKey(nodeId, index)] = chunk));
	const taken = Object.keys(customData.getAll()).filter((key) => !(key in values)).length;
	const free = CUSTOM_DATA_KEYS - taken;
	if (head.length > VALUE_LIMIT || Object.keys(values).length > free) {
		return {
			tooLarge: `${state.jobsPerItem.flat().length} jobs over ${state.jobsPerItem.length} items need ${Object.keys(values).length} of the execution's custom data keys (n8n allows ${CUSTOM_DATA_KEYS}; ${free} are free)`,
		};
	}
	return { values };
}

/** How many jobs fit in the free custom data keys: a bound checked before anything is created. */
export function jobCapacity(customData: ExecutionCustomData, idLength = 24): number {
	const free = CUSTOM_DATA_KEYS - Object.keys(customData.getAll()).length - 1;
	return Math.max(0, free) * Math.floor((VALUE_LIMIT + 1) / (idLength + 1));
}

export function readState(nodeId: string, customData: ExecutionCustomData): ResumeState | undefined {
	const head = customData.get(headKey(nodeId));
	const [version, nonce, chunkCount, counts] = (head ?? '').split(';');
	if (version !== VERSION || !nonce) return undefined;
	const ids: string[] = [];
	for (let index = 0; index < Number(chunkCount); index++) {
		ids.push(...(customData.get(chunkKey(nodeId, index)) ?? '').split(',').filter(Boolean));
	}
	const jobsPerItem: string[][] = [];
	let offset = 0;
	for (const count of counts.split('.').map(Number)) {
		jobsPerItem.push(ids.slice(offset, offset + count));
		offset += count;
	}
	return offset === ids.length ? { nonce, jobsPerItem } : undefined;
}
