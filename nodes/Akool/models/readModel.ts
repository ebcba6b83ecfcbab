/** Which catalogue entry an item uses, and its parameters as a model's body reader sees them. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ParameterChecker } from '../../shared/validation';
import { AUTO_MODEL } from './catalogue';
import type { FieldReader, ImageModel } from './modelTypes';

export function fieldReader(ctx: IExecuteFunctions, itemIndex: number): FieldReader {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		parameter: (name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback),
		option: (name) => options[name],
		check: new ParameterChecker(ctx.getNode(), itemIndex),
	};
}

/**
 * The item's model among the operation's `models`. Node version 1 kept it in Options and offered
 * Auto and the operation's own model (the first two entries).
 */
export function readModel(ctx: IExecuteFunctions, read: FieldReader, models: readonly ImageModel[]): ImageModel {
	const versionOne = ctx.getNode().typeVersion < 2;
	const offered = versionOne ? models.slice(0, 2) : models;
	const value = versionOne ? (read.option('model') ?? AUTO_MODEL) : read.parameter('model', AUTO_MODEL);
	const chosen = read.check.oneOf('Model', value, offered.map((model) => model.value));
	return offered.find((model) => model.value === chosen) as ImageModel;
}
