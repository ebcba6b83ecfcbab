/**
 * What a node waiting for callbacks must remember across the wait: its nonce and, per input item,
 * its job IDs (and its error, for an item that failed before Akool had a job for it). n8n gives
 * `webhook()` no access to the node's pre-wait output, and the execution's custom data keeps 10
 * values of 512 characters (about 90 job IDs), so the run is kept in the node's own context
 * (`getContext('node')`, as JSON text): n8n saves it with the waiting execution
 * (`executionData.contextData`), and `webhook()` reads it through the documented expression
 * `$node["<name>"].context[...]`, the way workflows read Loop Over Items' context. Measured on n8n
 * 2.41.1 (`n8n start` and queue mode, the default "vm" expression engine): 1,000 job IDs (25 kB) and
 * 5 MB saved and read back intact.
 */
import type { IExecuteFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

import type { ErrorFields } from '../jobErrors';

/** The key in the node's context; also what a workflow reads after a timeout (README). */
export const RUN_CONTEXT_KEY = 'akoolCallback';

/** One input item of a waiting run. */
export interface WaitingItem {
	/** Its jobs, in batch order. */
	jobIds: string[];
	/** Jobs Akool should have answered with, when it answered fewer. */
	expectedJobs?: number;
	/** Why the item has no (or not all) jobs: Continue On Fail outputs it as an error item on resume. */
	error?: ErrorFields;
}

export interface ResumeState {
	nonce: string;
	/** One per input item, in input order. */
	items: WaitingItem[];
}

/** Any of n8n's contexts that evaluate expressions against this execution. */
type ExpressionContext = Pick<IExecuteFunctions | IWebhookFunctions, 'evaluateExpression' | 'getNode'>;

/** A JS string literal of `text` that no expression parser can misread (no quotes, braces or backslashes). */
function stringLiteral(text: string): string {
	let literal = '"';
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		literal += /[A-Za-z0-9 _-]/.test(char) ? char : `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
	}
	return `${literal}"`;
}

/**
 * Keeps `state` in the node's context, which n8n saves with the waiting execution. As JSON text:
 * measured in n8n 2.41.1's "vm" expression engine, reading 250 items × 4 job IDs back took 20 ms as
 * objects and 1 ms as one string (every final callback reads it).
 */
export function keepState(ctx: IExecuteFunctions, state: ResumeState): void {
	ctx.getContext('node')[RUN_CONTEXT_KEY] = JSON.stringify(state);
}

/** The run kept by `keepState`, read the way `webhook()` can read it; undefined when there is none. */
export function readState(ctx: ExpressionContext): ResumeState | undefined {
	const expression = `{{ $node[${stringLiteral(ctx.getNode().name)}].context[${stringLiteral(RUN_CONTEXT_KEY)}] }}`;
	return asResumeState(parsed(ctx.evaluateExpression(expression, 0))) ?? readLegacyState(ctx);
}

function parsed(text: unknown): unknown {
	if (typeof text !== 'string') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * A run that started waiting under version 0.1.0, which kept its state in the execution's custom
 * data (`akool_<node id>` keys: a head `akool1;nonce;chunks;counts per item`, then comma-separated
 * chunks): read so that upgrading the package while such a run waits (at most the Timeout, 1 hour)
 * does not strand it. Nothing writes this format any more.
 */
function readLegacyState(ctx: { getNode(): INode }): ResumeState | undefined {
	let customData: { get(key: string): string | undefined } | undefined;
	try {
		customData = (ctx as { customData?: typeof customData }).customData;
	} catch {
		return undefined; // n8n-core throws when the context has no execution data
	}
	if (!customData) return undefined;
	const key = `akool_${ctx.getNode().id.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 44);
	const [version, nonce, chunkCount, counts = ''] = (customData.get(key) ?? '').split(';');
	if (version !== 'akool1' || !nonce) return undefined;
	const ids: string[] = [];
	for (let index = 0; index < Number(chunkCount); index++) {
		ids.push(...(customData.get(`${key}_${index}`) ?? '').split(',').filter(Boolean));
	}
	let offset = 0;
	const items = counts.split('.').map((count) => ({ jobIds: ids.slice(offset, (offset += Number(count))) }));
	return offset === ids.length ? { nonce, items } : undefined;
}

function isStringList(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

function asWaitingItem(value: unknown): WaitingItem | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { jobIds, expectedJobs, error } = value as Record<string, unknown>;
	if (!isStringList(jobIds)) return undefined;
	const item: WaitingItem = { jobIds };
	if (typeof expectedJobs === 'number') item.expectedJobs = expectedJobs;
	if (typeof error === 'object' && error !== null && typeof (error as ErrorFields).error === 'string') {
		item.error = error as ErrorFields;
	}
	return item;
}

function asResumeState(value: unknown): ResumeState | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { nonce, items } = value as Record<string, unknown>;
	if (typeof nonce !== 'string' || nonce === '' || !Array.isArray(items)) return undefined;
	const checked = items.map(asWaitingItem);
	return checked.every((item): item is WaitingItem => item !== undefined) ? { nonce, items: checked } : undefined;
}
