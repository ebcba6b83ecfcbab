/**
 * Settings that apply to the whole run of the node (waiting, pacing, limits): read and checked once,
 * from the first item, since one schedule serves every item.
 */
import type { IDataObject, IExecuteFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

import { ParameterChecker } from '../../validation';

export type WaitMode = 'poll' | 'callback';

export interface RunSettings {
	waitForCompletion: boolean;
	/** How to wait: polling in this worker, or sleeping until Akool calls back (callback). */
	waitMode: WaitMode;
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

/** Reads a node parameter (of the first item), with a fallback. */
type ParameterReader = (name: string, fallback: unknown) => unknown;

export function readRunSettings(ctx: IExecuteFunctions, { creates }: { creates: boolean }): RunSettings {
	return runSettingsFrom(ctx.getNode(), (name, fallback) => ctx.getNodeParameter(name, FIRST_ITEM, fallback), creates);
}

/** The same settings, read in `webhook()` when a callback resumes the node. */
export function readRunSettingsInWebhook(ctx: IWebhookFunctions): RunSettings {
	return runSettingsFrom(ctx.getNode(), (name, fallback) => ctx.getNodeParameter(name, fallback), true);
}

function runSettingsFrom(node: INode, parameter: ParameterReader, creates: boolean): RunSettings {
	const check = new ParameterChecker(node, FIRST_ITEM);
	const options = (parameter('options', {}) ?? {}) as IDataObject;
	const waitForCompletion = parameter('waitForCompletion', true) !== false;
	const option = (name: string, fallback: unknown) => options[name] ?? fallback;
	const binaryPropertyName = check.text('Binary Property', option('binaryPropertyName', 'data'), { required: true });
	return {
		waitForCompletion,
		waitMode: waitForCompletion ? check.oneOf('Wait Mode', parameter('waitMode', 'poll'), ['poll', 'callback']) : 'poll',
		downloadImage: waitForCompletion && parameter('downloadImage', true) !== false,
		binaryPropertyName,
		concurrency: check.integer('Concurrency', option('concurrency', 5), 1, 20),
		pollIntervalMs: check.number('Poll Interval (Seconds)', option('pollInterval', 3), 1, 60) * 1000,
		timeoutMs: check.number('Timeout (Seconds)', option('timeout', 600), 5, 3600) * 1000,
		requestTimeoutMs: check.number('Request Timeout (Seconds)', option('requestTimeout', 60), 5, 300) * 1000,
		maxImageBytes: check.number('Max Image Size (MB)', option('maxImageSizeMb', 64), 1, 512) * 1024 * 1024,
		maxImagesPerRun: creates
			? check.integer(
					'Max Images per Run',
					option('maxImagesPerRun', 100),
					0,
					Number.MAX_SAFE_INTEGER,
					'a whole number from 0 (0 = no limit)',
				)
			: 0,
	};
}
