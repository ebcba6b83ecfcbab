/**
 * Settings that apply to the whole run of the node (waiting, pacing, limits): read and checked once,
 * from the first item, since one schedule serves every item.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ParameterChecker } from '../../validation';

export interface RunSettings {
	waitForCompletion: boolean;
	downloadImage: boolean;
	binaryPropertyName: string;
	concurrency: number;
	pollIntervalMs: number;
	timeoutMs: number;
	requestTimeoutMs: number;
	maxImageBytes: number;
	/** 0 = no limit. */
	maxImagesPerRun: number;
}

const FIRST_ITEM = 0;

export function readRunSettings(ctx: IExecuteFunctions, { creates }: { creates: boolean }): RunSettings {
	const check = new ParameterChecker(ctx.getNode(), FIRST_ITEM);
	const options = ctx.getNodeParameter('options', FIRST_ITEM, {}) as IDataObject;
	const waitForCompletion = ctx.getNodeParameter('waitForCompletion', FIRST_ITEM, true) !== false;
	const option = (name: string, fallback: unknown) => options[name] ?? fallback;
	const binaryPropertyName = check.text('Binary Property', option('binaryPropertyName', 'data'), { required: true });
	return {
		waitForCompletion,
		downloadImage: waitForCompletion && ctx.getNodeParameter('downloadImage', FIRST_ITEM, true) !== false,
		binaryPropertyName,
		concurrency: check.integer('Concurrency', option('concurrency', 5), 1, 20),
		pollIntervalMs: check.number('Poll Interval (Seconds)', option('pollInterval', 3), 1, 60) * 1000,
		timeoutMs: check.number('Timeout (Seconds)', option('timeout', 600), 5, 3600) * 1000,
		requestTimeoutMs: check.number('Request Timeout (Seconds)', option('requestTimeout', 60), 5, 300) * 1000,
		maxImageBytes: check.number('Max Image Size (MB)', option('maxImageSizeMb', 64), 1, 512) * 1024 * 1024,
		maxImagesPerRun: creates
			? check.integer('Max Images per Run', option('maxImagesPerRun', 100), 0, Number.MAX_SAFE_INTEGER)
			: 0,
	};
}
