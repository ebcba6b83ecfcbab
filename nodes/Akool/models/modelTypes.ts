/** How a model is described: the fields it takes and how its own part of the create body is read. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParameterChecker } from '../../shared/validation';

export type ModelKind = 'text-to-image' | 'image-to-image';

/** What Akool accepts as a source image for a model. */
export interface SourceRules {
	/** The file types Akool's docs name for the model (a URL's file extension is checked against them). */
	formats?: ReadonlyArray<'png' | 'jpeg'>;
	/** Whether a URL whose host is an IP address is accepted (Meitu refuses them). */
	ipAddressUrls: boolean;
	/** Largest width or height Akool takes, when its docs give one. */
	maxSide?: number;
}

/** One item's parameters, as a model's body reader sees them. */
export interface FieldReader {
	/** A top-level parameter of the item. */
	parameter(name: string, fallback?: unknown): unknown;
	/** An entry of the item's Options collection. */
	option(name: string): unknown;
	check: ParameterChecker;
}

export interface ImageModel {
	/** The Model field's value: Akool's model ID, or `auto` / `custom`. */
	value: string;
	/** Akool's `model_name` to send; absent for Auto (Akool picks) and Custom (the user's ID). */
	modelName?: string;
	name: string;
	description: string;
	kind: ModelKind;
	prompt: 'required' | 'optional' | 'none';
	/** Allowed Aspect Ratio values (`scale`); empty: the model takes none. */
	ratios: readonly string[];
	/** Whether Resolution and Number of Images (`resolution`, `batch_quantity`) apply. */
	sizes: boolean;
	similarity: boolean;
	negativePrompt: boolean;
	source?: SourceRules;
	/** The model's own fields, shown only when it is chosen. */
	fields?: INodeProperties[];
	/** Reads the model's own fields into body fields (e.g. Meitu's `parameter`). */
	readBodyFields?: (read: FieldReader) => IDataObject;
}
