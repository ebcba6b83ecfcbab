import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../node.type';
import * as generate from './generate.operation';
import * as getResult from './getResult.operation';
import * as transform from './transform.operation';
import * as upscaleOrVary from './upscaleOrVary.operation';

export const operations: OperationMap<'image'> = { generate, transform, getResult, upscaleOrVary };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate images from a prompt',
				description: 'Create images from a text prompt (text-to-image)',
			},
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the result of image jobs',
				description: 'Read jobs by ID: status and image URL, optionally waiting and downloading',
			},
			{
				name: 'Transform',
				value: 'transform',
				action: 'Transform an image with a prompt',
				description: 'Create images from a source image (a URL or a file) and a prompt (image-to-image)',
			},
			{
				name: 'Upscale or Vary',
				value: 'upscaleOrVary',
				action: 'Upscale or vary a generated image',
				description: 'Press one of the buttons a finished job lists (U1-U4 upscale, V1-V4 variation)',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...transform.description,
	...getResult.description,
	...upscaleOrVary.description,
];
