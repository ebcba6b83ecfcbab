/**
 * Transform's source image: a public URL Akool downloads, or an input item's binary that n8n serves
 * to Akool through a signed, expiring URL (sources/binarySource.ts).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterChecker } from '../../../shared/validation';
import type { CreateRun } from '../../engine/createJobs';
import type { ImageModel } from '../../models/modelTypes';
import { servedSourceUrl } from '../../sources/binarySource';
import { isLocalHost } from '../../sources/publicHost';
import { checkSourceUrl } from '../../sources/sourceRules';

const SOURCE_KINDS = ['url', 'binaryData'] as const;

/** Akool may start a job some time after its create call: the URL outlives the wait by this much. */
export const SOURCE_URL_MARGIN_SECONDS = 300;

export const sourceImageFields: INodeProperties[] = [
	{
		displayName: 'Source Image',
		name: 'sourceImage',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A public image URL that Akool downloads' },
			{
				name: 'Binary Data',
				value: 'binaryData',
				description: 'A file of the input item (a form upload, a download, an attachment), served to Akool by this n8n',
			},
		],
		default: 'url',
		description: 'Where the image to transform comes from',
	},
	{
		displayName: 'Source Image URL',
		name: 'sourceImageUrl',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { sourceImage: ['url'] } },
		placeholder: 'https://example.com/photo.jpg',
		description: 'The image to transform, as an http(s) URL',
		hint: 'Akool downloads the image itself, so the URL must be public',
	},
	{
		displayName: 'Source Binary Property',
		name: 'sourceBinaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { sourceImage: ['binaryData'] } },
		description: 'Name of the input item’s binary property that holds the image (PNG or JPEG, up to 20 MB)',
		hint: 'Akool downloads the file from this n8n through a signed link valid for the Timeout option plus 5 minutes: WEBHOOK_URL must be n8n’s public HTTPS address',
	},
];

/** The source URL Akool gets for one item. */
export async function readSourceImageUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: CreateRun,
	model: ImageModel,
): Promise<string> {
	const check = new ParameterChecker(ctx.getNode(), itemIndex);
	const kind = check.oneOf('Source Image', ctx.getNodeParameter('sourceImage', itemIndex, 'url'), SOURCE_KINDS);
	if (kind === 'url') {
		const url = check.httpUrl('Source Image URL', ctx.getNodeParameter('sourceImageUrl', itemIndex), { required: true }) as string;
		checkSourceUrl(check, 'Source Image URL', url, model);
		return url;
	}
	const propertyName = check.text('Source Binary Property', ctx.getNodeParameter('sourceBinaryProperty', itemIndex), {
		required: true,
	});
	// The model's source rules hold there too: the file's type is checked from its bytes, and an
	// IP-address host is refused as unreachable (unless Akool itself is local).
	return await servedSourceUrl(ctx, itemIndex, propertyName, {
		lifetimeSeconds: Math.ceil(run.settings.timeoutMs / 1000) + SOURCE_URL_MARGIN_SECONDS,
		allowLocalUrl: isLocalHost(new URL(run.connection.baseUrl).hostname),
	});
}
