/**
 * The "Options" collection of an image operation, and the fields the creating operations (Generate,
 * Transform) end with.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	negativePromptOption,
	numberOfImagesField,
	resolutionField,
	runOptions,
	waitFields,
	waitModeField,
	webhookUrlOption,
} from './descriptions';

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

function modelOption(model: string, kind: string): INodeProperties {
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

/**
 * The fields after an operation's own (source image, prompt, aspect ratio) on every operation that
 * creates jobs: the ones readCreateFields and readRunSettings read the same way for each of them.
 * `model` and `kind` name the operation's Akool model (e.g. 'text-to-image').
 */
export function createJobFields(model: string, kind: string): INodeProperties[] {
	return [
		resolutionField,
		numberOfImagesField,
		...waitFields,
		waitModeField,
		optionsCollection([negativePromptOption, modelOption(model, kind), webhookUrlOption]),
	];
}
