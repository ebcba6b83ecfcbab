/**
 * Parameter checks, run for every item before any request: each failure is a NodeOperationError
 * that names the field (as the user sees it), what is allowed, and what it got.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Thrown by the checks; `field` is the display name. */
export function invalidParameter(
	node: INode,
	itemIndex: number,
	field: string,
	allowed: string,
	got: unknown,
): NodeOperationError {
	return new NodeOperationError(node, `Invalid "${field}": ${describeValue(got)}`, {
		itemIndex,
		description: `"${field}" must be ${allowed}.`,
	});
}

function describeValue(value: unknown): string {
	if (value === undefined || value === null) return 'it is empty';
	if (typeof value === 'string') {
		if (value.trim() === '') return 'it is empty';
		const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
		return `got "${shown}"`;
	}
	if (typeof value === 'object') return `got ${Array.isArray(value) ? 'a list' : 'an object'}`;
	return `got ${typeof value} ${String(value)}`;
}

export class ParameterChecker {
	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
	) {}

	private fail(field: string, allowed: string, got: unknown): never {
		throw invalidParameter(this.node, this.itemIndex, field, allowed, got);
	}

	/** Refuses `got` for a rule the caller checked itself. */
	refuse(field: string, allowed: string, got: unknown): never {
		return this.fail(field, allowed, got);
	}

	/** A JSON field: n8n gives the text as typed, or the value an expression made. */
	jsonValue(field: string, value: unknown): unknown {
		if (typeof value !== 'string') return value;
		try {
			return JSON.parse(value);
		} catch (error) {
			return this.fail(field, `valid JSON (${(error as Error).message})`, value);
		}
	}

	jsonObject(field: string, value: unknown): IDataObject {
		const parsed = value === '' || value === undefined ? {} : this.jsonValue(field, value);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) this.fail(field, 'a JSON object, e.g. {"key": "value"}', parsed);
		return parsed as IDataObject;
	}

	text(field: string, value: unknown, { required }: { required: boolean }): string {
		if (value === undefined || value === null || value === '') {
			if (required) this.fail(field, 'a non-empty text', value);
			return '';
		}
		if (typeof value !== 'string') this.fail(field, 'a text', value);
		const trimmed = value.trim();
		if (required && trimmed === '') this.fail(field, 'a non-empty text', value);
		return trimmed;
	}

	oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
		if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
		return this.fail(field, `one of ${allowed.join(', ')}`, value);
	}

	integer(field: string, value: unknown, min: number, max: number, allowed = `a whole number from ${min} to ${max}`): number {
		const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
			this.fail(field, allowed, value);
		}
		return number;
	}

	number(field: string, value: unknown, min: number, max: number): number {
		const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof number !== 'number' || !Number.isFinite(number) || number < min || number > max) {
			this.fail(field, `a number from ${min} to ${max}`, value);
		}
		return number;
	}

	httpUrl(field: string, value: unknown, { required }: { required: boolean }): string | undefined {
		const text = this.text(field, value, { required });
		if (!text) return undefined;
		if (!isHttpUrl(text)) this.fail(field, 'an http:// or https:// URL', value);
		return text;
	}

	/** A comma-, space- or newline-separated list, or an array from an expression. */
	jobIds(field: string, value: unknown): string[] {
		const parts = Array.isArray(value)
			? value.map((part) => (typeof part === 'string' ? part.trim() : part))
			: typeof value === 'string'
				? value.split(/[\s,;]+/).filter(Boolean)
				: this.fail(field, 'one or more job IDs, separated by commas', value);
		if (parts.length === 0) this.fail(field, 'one or more job IDs, separated by commas', value);
		for (const part of parts) {
			if (typeof part !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(part)) {
				this.fail(field, 'job IDs as Akool returns them (letters, digits, - and _), separated by commas', part);
			}
		}
		return [...new Set(parts as string[])];
	}
}

export function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}
