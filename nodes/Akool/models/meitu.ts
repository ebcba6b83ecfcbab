/**
 * Meitu Yunxiu Pro (`meitu/yunxiu-pro/image-to-image`): portrait retouching driven by a `parameter`
 * object instead of a prompt. Source: Akool's docs source (jinjuezhou/mintlify-docs at 420efb75,
 * create-by-source-prompt.mdx and meitu-yunxiu-parameters.mdx); Akool's public page does not list it yet.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { FieldReader } from './modelTypes';

export const MEITU_MODEL_ID = 'meitu/yunxiu-pro/image-to-image';

/** Akool requires exactly these five entries, in this order; `all_params` lists follow it. */
export const MEITU_PEOPLE_TYPE = [
	{ age: [15, 49], gender: 1, key: 'man', name: '' },
	{ age: [15, 49], gender: 0, key: 'woman', name: '' },
	{ age: [0, 14], gender: 0, key: 'child', name: '' },
	{ age: [50, 100], gender: 0, key: 'oldwoman', name: '' },
	{ age: [50, 100], gender: 1, key: 'oldman', name: '' },
];

const PEOPLE_KEYS = MEITU_PEOPLE_TYPE.map((entry) => entry.key);

export const meituFields: INodeProperties[] = [
	{
		displayName: 'People Type (JSON)',
		name: 'peopleType',
		type: 'json',
		default: JSON.stringify(MEITU_PEOPLE_TYPE, null, 2),
		description:
			'Akool’s `parameter.people_type`: exactly five entries in the order man, woman, child, oldwoman, oldman. Keep Akool’s documented default unless Akool says otherwise.',
	},
	{
		displayName: 'All Params (JSON)',
		name: 'allParams',
		type: 'json',
		default: '{\n  "exposure": 0,\n  "saturability": 0\n}',
		description:
			'Akool’s `parameter.all_params`: the retouching settings as a JSON object (e.g. exposure, saturability, remove_pouch as five numbers, one per people type)',
		hint: 'Every setting, range and enum is on Akool’s Meitu Yunxiu parameters page',
	},
];

/** `{ parameter: { people_type, all_params } }`, checked: a wrong people_type is refused before the create. */
export function readMeituParameter(read: FieldReader): IDataObject {
	const peopleType = read.check.jsonValue('People Type (JSON)', read.parameter('peopleType'));
	const problem = peopleTypeProblem(peopleType);
	if (problem) read.check.refuse('People Type (JSON)', `exactly five entries in the order ${PEOPLE_KEYS.join(', ')}, each { age: [min, max], gender: 0 or 1, key, name } (${problem})`, peopleType);
	const allParams = read.check.jsonObject('All Params (JSON)', read.parameter('allParams'));
	return { parameter: { people_type: peopleType as IDataObject[], all_params: allParams } };
}

function peopleTypeProblem(value: unknown): string | undefined {
	if (!Array.isArray(value) || value.length !== PEOPLE_KEYS.length) {
		return `got ${Array.isArray(value) ? `${value.length} entries` : 'no list'}`;
	}
	for (const [index, entry] of value.entries()) {
		const expected = PEOPLE_KEYS[index];
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `entry ${index + 1} is not an object`;
		const { age, gender, key, name } = entry as IDataObject;
		if (key !== expected) return `entry ${index + 1} must have key "${expected}", got ${JSON.stringify(key)}`;
		const ageOk = Array.isArray(age) && age.length === 2 && age.every((n) => Number.isInteger(n) && Number(n) >= 0) && Number(age[0]) <= Number(age[1]);
		if (!ageOk) return `"${expected}".age must be [min, max]`;
		if (gender !== 0 && gender !== 1) return `"${expected}".gender must be 0 or 1`;
		if (typeof name !== 'string') return `"${expected}".name must be a text`;
	}
	return undefined;
}
