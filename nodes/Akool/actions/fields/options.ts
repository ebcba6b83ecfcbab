/**
 * The "Options" collection of an image operation, and the fields the creating operations (Generate,
 * Transform) end with. Node version 1 chose the model in Options; version 2 has a top-level Model
 * field (so that each model shows its own fields) and Additional Body Fields.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { AUTO_MODEL, modelsWhere, type ImageModel } from '../../models/catalogue';
import {
	additionalBodyFieldsOption,
	negativePromptOption,
	numberOfImagesField,
	resolutionField,
	runOptions,
	waitFields,
	waitModeField,
	webhookUrlOption,
} from './descriptions';

export const VERSION_1: IDisplayOptions['show'] = { '@version': [1] };
export const FROM_VERSION_2: IDisplayOptions['show'] = { '@version': [{ _cnd: { gte: 2 } }] };

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

/** Version 1's Model option: Auto or the operation's one model. */
function versionOneModelOption(models: readonly ImageModel[]): INodeProperties {
	const [auto, model] = models;
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{ name: auto.name, value: AUTO_MODEL, description: auto.description },
			{ name: model.value, value: model.value, description: model.description },
		],
		default: AUTO_MODEL,
		description: 'The model Akool uses. Akool has no call that lists models, so the list is fixed.',
	};
}

/** `field`, hidden for the models of `models` that fail `takes` (no hiding when all take it). */
export function forModelsThat(
	field: INodeProperties,
	models: readonly ImageModel[],
	takes: (model: ImageModel) => boolean,
	path = 'model',
): INodeProperties {
	const without = modelsWhere(models, (model) => !takes(model));
	if (without.length === 0) return field;
	return { ...field, displayOptions: { ...field.displayOptions, hide: { ...field.displayOptions?.hide, [path]: without } } };
}

/**
 * The fields after an operation's own (model, source image, prompt, aspect ratio) on every operation
 * that creates jobs. `models` is the operation's catalogue, Auto first and its own model second.
 */
export function createJobFields(models: readonly ImageModel[]): INodeProperties[] {
	const sized = (model: ImageModel) => model.sizes;
	return [
		forModelsThat(resolutionField, models, sized),
		forModelsThat(numberOfImagesField, models, sized),
		...waitFields,
		waitModeField,
		{
			...optionsCollection([negativePromptOption, versionOneModelOption(models), webhookUrlOption]),
			displayOptions: { show: VERSION_1 },
		},
		{
			...optionsCollection([
				forModelsThat(negativePromptOption, models, (model) => model.negativePrompt, '/model'),
				webhookUrlOption,
				additionalBodyFieldsOption,
			]),
			displayOptions: { show: FROM_VERSION_2 },
		},
	];
}
