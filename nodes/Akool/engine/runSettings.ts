/**
 * Settings that apply to the whole run of the node (waiting, pacing, limits): read and checked once,
 * from the first item, since one schedule serves every item.
 */
import type { IDataObject, IExecuteFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

import { ParameterChecker } from '../../shared/validation';
import { BINARY_PROPERTY_OPTION, RUN_OPTIONS, type NumberOption, type RunOptionName } from './runOptions';

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
	const numberOption = (name: RunOptionName, allowed?: string) => {
		const { displayName, default: fallback, min, max, integer } = RUN_OPTIONS[name] as NumberOption;
		const value = options[name] ?? fallback;
		return integer ? check.integer(displayName, value, min, max, allowed) : check.number(displayName, value, min, max);
	};
	return {
		waitForCompletion,
		waitMode: waitForCompletion ? check.oneOf('Wait Mode', parameter('waitMode', 'poll'), ['poll', 'callback']) : 'poll',
		downloadImage: waitForCompletion && parameter('downloadImage', true) !== false,
		binaryPropertyName: check.text(
			BINARY_PROPERTY_OPTION.displayName,
			options.binaryPropertyName ?? BINARY_PROPERTY_OPTION.default,
			{ required: true },
		),
		concurrency: numberOption('concurrency'),
		pollIntervalMs: numberOption('pollInterval') * 1000,
		timeoutMs: numberOption('timeout') * 1000,
		requestTimeoutMs: numberOption('requestTimeout') * 1000,
		maxImageBytes: numberOption('maxImageSizeMb') * 1024 * 1024,
		maxImagesPerRun: creates ? numberOption('maxImagesPerRun', 'a whole number from 0 (0 = no limit)') : 0,
	};
}
