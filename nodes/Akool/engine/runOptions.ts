/**
 * The one table of the run options' names, defaults and bounds: the Options fields are described
 * from it (actions/fields/descriptions.ts) and readRunSettings checks against it.
 */
export interface NumberOption {
	displayName: string;
	default: number;
	min: number;
	max: number;
	/** Whole numbers only. */
	integer?: boolean;
}

export const RUN_OPTIONS = {
	concurrency: { displayName: 'Concurrency', default: 5, min: 1, max: 20, integer: true },
	pollInterval: { displayName: 'Poll Interval (Seconds)', default: 3, min: 1, max: 60 },
	timeout: { displayName: 'Timeout (Seconds)', default: 600, min: 5, max: 3600 },
	requestTimeout: { displayName: 'Request Timeout (Seconds)', default: 60, min: 5, max: 300 },
	maxImageSizeMb: { displayName: 'Max Image Size (MB)', default: 64, min: 1, max: 512 },
	maxImagesPerRun: { displayName: 'Max Images per Run', default: 100, min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
} satisfies Record<string, NumberOption>;

export type RunOptionName = keyof typeof RUN_OPTIONS;

/** The output binary property: n8n's convention. */
export const BINARY_PROPERTY_OPTION = { displayName: 'Binary Property', default: 'data' };
