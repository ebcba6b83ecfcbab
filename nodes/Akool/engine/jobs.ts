/**
 * The engine's vocabulary, one type per stage of an item: planned (a request, or invalid), started
 * (its jobs), and its result (output items and error). Shared by polling and callbacks.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { AkoolCreatedJob } from '../../shared/akool/types';
import type { AkoolClient } from '../../shared/transport/akoolClient';
import type { NodeError } from './jobErrors';

/** A job of this run: its ID, and what the create call answered when this run created it. */
export interface StartedJob {
	id: string;
	created?: AkoolCreatedJob;
}

/** What one valid input item asks for. */
export interface JobRequest {
	itemIndex: number;
	/** Images this item would pay for (the spending guard counts them); 0 for existing jobs. */
	imagesOrdered: number;
	/** Jobs Akool should answer with; fewer is reported as the item's error. */
	expectedJobs?: number;
	/** Starts the item's jobs, or names existing ones. A paid call happens here, once. */
	start: (client: AkoolClient) => Promise<StartedJob[]>;
}

/** An item whose parameters failed the checks: it makes no request. */
export interface InvalidItem {
	itemIndex: number;
	error: NodeError;
}

export type PlannedItem = JobRequest | InvalidItem;

export function isInvalid(item: PlannedItem): item is InvalidItem {
	return 'error' in item;
}

/** One input item's jobs, once started. */
export interface StartedItem {
	itemIndex: number;
	jobs: StartedJob[];
	/** Jobs Akool should have answered with; fewer is the item's error. */
	expectedJobs?: number;
	/** Why the item's jobs could not be started. */
	error?: NodeError;
}

/** What the engine gives back for one input item: its output items (without pairedItem) and its error. */
export interface ItemResult {
	outputs: INodeExecutionData[];
	error?: NodeError;
}

/**
 * How the router wants failures: with Continue On Fail every item goes on; without it the run is
 * lost at the first failure, so nothing new is paid for after one, and that first error names the
 * run's other charged jobs (the router throws it).
 */
export interface FailurePolicy {
	stopAtFirstError: boolean;
}
