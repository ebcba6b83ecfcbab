/**
 * Downloads a finished image from Akool's CDN into n8n's binary data, streamed: in n8n's filesystem
 * binary mode the file goes straight to disk, and in the default mode it is held once.
 * The request carries NO Akool credentials (it is a plain request, not an authenticated one).
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { pause } from '../timing';
import { akoolApiError } from './errors';

export const DEFAULT_MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const DOWNLOAD_ATTEMPTS = 3;
const FIRST_RETRY_MS = 1_000;

type BinaryStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** What a download needs of n8n: the node runs it from `execute()` and from `webhook()` alike. */
export interface DownloadContext {
	getNode: IExecuteFunctions['getNode'];
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
}

interface StreamResponse {
	statusCode: number;
	headers: IDataObject;
	body: BinaryStream & {
		on(event: 'data', listener: (chunk: Buffer) => void): unknown;
		listenerCount(event: 'data'): number;
		pause(): unknown;
		resume(): unknown;
		destroy(error?: Error): unknown;
	};
}

export interface DownloadSettings {
	maxBytes: number;
	timeoutMs: number;
	signal?: AbortSignal;
}

export interface DownloadRequest {
	url: string;
	jobId: string;
	itemIndex: number;
}

/** Why one download attempt failed; returned, not thrown, so the retry loop decides. */
interface DownloadFailure {
	failed: string;
	retryable: boolean;
	httpStatus?: number;
}

function failure(failed: string, retryable: boolean, httpStatus?: number): DownloadFailure {
	return { failed, retryable, httpStatus };
}

function isFailure(value: IBinaryData | DownloadFailure): value is DownloadFailure {
	return 'failed' in value;
}

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
};

export async function downloadImage(
	ctx: DownloadContext,
	request: DownloadRequest,
	settings: DownloadSettings,
): Promise<IBinaryData> {
	for (let attempt = 1; ; attempt++) {
		const result = await downloadOnce(ctx, request, settings).catch(() =>
			failure('the connection failed during the download', true),
		);
		if (!isFailure(result)) return result;
		if (result.retryable && attempt < DOWNLOAD_ATTEMPTS) {
			await pause(FIRST_RETRY_MS * 2 ** (attempt - 1), settings.signal);
			continue;
		}
		throw akoolApiError(
			ctx.getNode(),
			{
				message: `could not download the image of job ${request.jobId}: ${result.failed}`,
				httpStatus: result.httpStatus,
				details: [
					`Image URL: ${request.url}`,
					'The job itself is finished and charged: run Get Result with this job ID to get its URL again, or switch Download Image off',
				],
			},
			request.itemIndex,
		);
	}
}

async function downloadOnce(
	ctx: DownloadContext,
	{ url, jobId }: DownloadRequest,
	{ maxBytes, timeoutMs, signal }: DownloadSettings,
): Promise<IBinaryData | DownloadFailure> {
	// A variable, not a literal: n8n-workflow types `maxRedirects` only from 2.28 on; older n8n ignores it.
	const request = {
		method: 'GET' as const,
		url,
		encoding: 'stream' as const,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		maxRedirects: 3,
		abortSignal: signal,
	};
	const response = (await ctx.helpers.httpRequest(request)) as StreamResponse;
	const { statusCode, headers, body } = response;
	if (statusCode !== 200) {
		body.destroy();
		return failure(describeStatus(statusCode), statusCode >= 500 || statusCode === 429, statusCode);
	}
	const mimeType = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (!mimeType.startsWith('image/')) {
		body.destroy();
		return failure(`the URL answered ${mimeType || 'an unknown type'} instead of an image`, false);
	}
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		body.destroy();
		return failure(tooLarge(declared, maxBytes), false);
	}
	let received = 0;
	let oversize = false;
	const countBytes = (chunk: Buffer) => {
		received += chunk.length;
		if (received > maxBytes && !oversize) {
			oversize = true;
			body.destroy(new Error('over the size cap'));
		}
	};
	// Counting bytes must not steal chunks from n8n's binary store, which consumes the stream in one
	// of two ways: a 'data' listener attached at once (default mode) or, after an await, an async
	// iterator (filesystem mode). So: count on 'data', hold the stream paused, and resume it only when
	// the store's own 'data' listener is already attached; an iterator reads a paused stream itself.
	body.on('data', countBytes);
	body.pause();
	const extension = EXTENSIONS[mimeType] ?? mimeType.slice('image/'.length);
	const storing = ctx.helpers.prepareBinaryData(body, `akool-${jobId}.${extension}`, mimeType);
	if (body.listenerCount('data') > 1) body.resume();
	const binary = await storing.catch(() => failure('the connection broke during the download', true));
	if (oversize) return failure(tooLarge(received, maxBytes), false);
	if (!isFailure(binary) && Number.isFinite(declared) && received !== declared) {
		return failure(`the download was cut short (${received} of ${declared} bytes)`, true);
	}
	return binary;
}

function describeStatus(statusCode: number): string {
	if (statusCode === 404 || statusCode === 410) {
		return `HTTP ${statusCode}: the image is gone (Akool deletes results 7 days after creation)`;
	}
	return `HTTP ${statusCode} from the image host`;
}

function tooLarge(bytes: number, maxBytes: number): string {
	return `the image is larger than the size cap (${bytes} bytes > ${maxBytes} bytes; see the option "Max Image Size")`;
}
