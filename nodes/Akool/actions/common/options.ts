/** The "Options" collection of an image operation: its own options plus the shared run options. */
import type { INodeProperties } from 'n8n-workflow';

import { runOptions } from './descriptions';

export function optionsCollection(specific: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...specific, ...runOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function modelOption(model: string, kind: string): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Let Akool pick the model' },
			{ name: model, value: model, description: `Akool’s ${kind} model` },
		],
		default: 'auto',
		description: 'The model Akool uses. Akool has no call that lists models, so the list is fixed.',
	};
}
