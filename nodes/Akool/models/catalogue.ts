/**
 * Akool's image models as plain data: what each takes, so that the operations show each model's own
 * fields and build its create body from this table. Adding a model is one entry here (plus the fake
 * Akool and tests). Akool has no call that lists models: the list is fixed, and Custom Model ID
 * reaches models Akool adds later.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { MEITU_MODEL_ID, meituFields, readMeituParameter } from './meitu';
import type { FieldReader, ImageModel } from './modelTypes';

export const TEXT_ASPECT_RATIOS = ['1:1', '3:2', '4:3', '16:9', '2:3', '3:4', '9:16'] as const;
export const ORIGINAL_RATIO = 'Original';
export const IMAGE_TO_IMAGE_RATIOS = [ORIGINAL_RATIO, ...TEXT_ASPECT_RATIOS] as const;
export const RESOLUTIONS = ['1080p', '4k'] as const;
export const MAX_IMAGES_PER_CREATE = 4;

/** The Model field's values that are not Akool model IDs. */
export const AUTO_MODEL = 'auto';
export const CUSTOM_MODEL = 'custom';

const AUTO_TEXT_TO_IMAGE: ImageModel = {
	value: AUTO_MODEL,
	name: 'Auto',
	description: 'Let Akool pick its text-to-image model',
	kind: 'text-to-image',
	prompt: 'required',
	ratios: TEXT_ASPECT_RATIOS,
	sizes: true,
	similarity: false,
	negativePrompt: true,
};

const FLUX_KREA: ImageModel = {
	...AUTO_TEXT_TO_IMAGE,
	value: 'wavespeed-ai/flux-krea-dev-lora',
	modelName: 'wavespeed-ai/flux-krea-dev-lora',
	name: 'Flux Krea Dev LoRA',
	description: 'Akool’s text-to-image model (wavespeed-ai/flux-krea-dev-lora)',
};

const AUTO_IMAGE_TO_IMAGE: ImageModel = {
	value: AUTO_MODEL,
	name: 'Auto',
	description: 'Let Akool pick its image-to-image model',
	kind: 'image-to-image',
	prompt: 'required',
	ratios: IMAGE_TO_IMAGE_RATIOS,
	sizes: true,
	similarity: true,
	negativePrompt: true,
	source: { ipAddressUrls: true },
};

const FLUX_KONTEXT: ImageModel = {
	...AUTO_IMAGE_TO_IMAGE,
	value: 'wavespeed-ai/flux-kontext-dev',
	modelName: 'wavespeed-ai/flux-kontext-dev',
	name: 'Flux Kontext Dev',
	description: 'Akool’s image-to-image model (wavespeed-ai/flux-kontext-dev)',
};

const MEITU_YUNXIU_PRO: ImageModel = {
	value: MEITU_MODEL_ID,
	modelName: MEITU_MODEL_ID,
	name: 'Meitu Yunxiu Pro',
	description: 'Portrait retouching driven by parameters, no prompt (meitu/yunxiu-pro/image-to-image)',
	kind: 'image-to-image',
	prompt: 'none',
	// The docs' shared fields (scale, resolution, batch_quantity) apply as to the other models.
	ratios: IMAGE_TO_IMAGE_RATIOS,
	sizes: true,
	similarity: false,
	negativePrompt: false,
	source: { formats: ['png', 'jpeg'], ipAddressUrls: false, maxSide: 15000 },
	fields: meituFields,
	readBodyFields: readMeituParameter,
};

/** A model Akool added after this node: every generic field is offered, and sent when filled. */
function customModel(kind: ImageModel['kind']): ImageModel {
	const like = kind === 'text-to-image' ? AUTO_TEXT_TO_IMAGE : AUTO_IMAGE_TO_IMAGE;
	return {
		...like,
		value: CUSTOM_MODEL,
		name: 'Custom Model ID',
		description: 'A model ID Akool added after this node was released',
		prompt: 'optional',
	};
}

/** The models each creating operation offers, Auto first (the default). */
export const GENERATE_MODELS: readonly ImageModel[] = [AUTO_TEXT_TO_IMAGE, FLUX_KREA, customModel('text-to-image')];
export const TRANSFORM_MODELS: readonly ImageModel[] = [
	AUTO_IMAGE_TO_IMAGE,
	FLUX_KONTEXT,
	MEITU_YUNXIU_PRO,
	customModel('image-to-image'),
];

/** The values of `models` whose entries satisfy `test`: for displayOptions. */
export function modelsWhere(models: readonly ImageModel[], test: (model: ImageModel) => boolean): string[] {
	return models.filter(test).map((model) => model.value);
}

/** The Model field, the Custom Model ID field and every model's own fields, for one operation. */
export function modelFields(models: readonly ImageModel[], shownFrom: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			displayOptions: { show: shownFrom },
			options: models.map((model) => ({ name: model.name, value: model.value, description: model.description })),
			default: AUTO_MODEL,
			description: 'The Akool model. Each model shows only the fields it takes.',
		},
		{
			displayName: 'Custom Model ID',
			name: 'customModelId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { ...shownFrom, model: [CUSTOM_MODEL] } },
			placeholder: 'e.g. vendor/new-model',
			description: 'Akool’s model ID (its `model_name`), as Akool’s docs name it',
		},
		...models.flatMap((model) =>
			(model.fields ?? []).map((field) => ({
				...field,
				displayOptions: { show: { ...shownFrom, model: [model.value] } },
			})),
		),
	];
}

export type { FieldReader, ImageModel };
