/**
 * A binary input item served to Akool by n8n itself. Akool has no upload call; it downloads source
 * images from a URL. n8n can serve one stored file without a login through a signed, expiring URL
 * (`createBinarySignedUrl`, `<WEBHOOK_URL>rest/binary-data/signed?token=…`): that URL is what Akool gets.
 * Every check happens here, before anything is created: a refused source costs no credits.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { acceptedImageType, describeRefusedFile, MAX_SOURCE_BYTES, SIGNATURE_BYTES } from './imageType';
import { unreachableHostReason } from './publicHost';

export interface BinarySourcePolicy {
	/** How long the URL works: Akool fetches while the job runs, so the run's Timeout plus a margin. */
	lifetimeSeconds: number;
	/** Akool itself is on this machine or a local network (a test server, a proxy): local URLs are fine. */
	allowLocalUrl: boolean;
}

/** The field as the user sees it, named in every error. */
export const BINARY_FIELD = 'Source Binary Property';

/** The signed URL at which n8n serves the item's binary `propertyName` to Akool. */
export async function servedSourceUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	policy: BinarySourcePolicy,
): Promise<string> {
	const binary = binaryOf(ctx, itemIndex, propertyName);
	// A binary kept in the item (no ID) is decoded once: for the checks and, if they pass, for the copy.
	const inlineBytes = binary.id ? undefined : Buffer.from(binary.data, 'base64');
	const { size, head } = inlineBytes
		? { size: inlineBytes.length, head: inlineBytes.subarray(0, SIGNATURE_BYTES) }
		: await storedSizeAndHead(ctx, binary.id as string);
	checkIsImage(ctx, itemIndex, propertyName, binary, size, head);
	const stored = needsOwnCopy(binary) ? await storeForServing(ctx, itemIndex, binary, inlineBytes) : binary;
	const url = ctx.helpers.createBinarySignedUrl(stored, `${policy.lifetimeSeconds}s`);
	if (!policy.allowLocalUrl) checkReachable(ctx, itemIndex, url);
	return url;
}

function binaryOf(ctx: IExecuteFunctions, itemIndex: number, propertyName: string): IBinaryData {
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	const binary = binaries[propertyName];
	if (binary) return binary;
	const names = Object.keys(binaries);
	throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} has no binary property "${propertyName}"`, {
		itemIndex,
		description: names.length
			? `"${BINARY_FIELD}" must name one of the item's binary properties: ${names.map((name) => `"${name}"`).join(', ')}.`
			: `The item has no binary data at all. Connect a node that outputs a file (Form Trigger, Read Files, HTTP Request with Response Format "File"...) or set "Source Image" to "URL".`,
	});
}

/** A stored file's size and first bytes, without loading it whole. */
async function storedSizeAndHead(ctx: IExecuteFunctions, id: string): Promise<{ size: number; head: Buffer }> {
	const { fileSize } = await ctx.helpers.getBinaryMetadata(id);
	const stream = await ctx.helpers.getBinaryStream(id, SIGNATURE_BYTES);
	try {
		for await (const chunk of stream) return { size: fileSize, head: Buffer.from(chunk as Buffer).subarray(0, SIGNATURE_BYTES) };
		return { size: fileSize, head: Buffer.alloc(0) };
	} finally {
		stream.destroy();
	}
}

function checkIsImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	binary: IBinaryData,
	size: number,
	head: Buffer,
): void {
	const file = `The binary "${propertyName}" of item ${itemIndex}${binary.fileName ? ` (${binary.fileName})` : ''}`;
	if (!acceptedImageType(head)) {
		const declared = binary.mimeType ? `; its MIME type says ${binary.mimeType}` : '';
		throw new NodeOperationError(ctx.getNode(), `${file} is ${describeRefusedFile(head)}${declared}`, {
			itemIndex,
			description: `Akool takes PNG and JPEG source images. Convert the file first (e.g. with the Edit Image node) or point "${BINARY_FIELD}" at the image.`,
		});
	}
	if (size > MAX_SOURCE_BYTES) {
		throw new NodeOperationError(ctx.getNode(), `${file} is ${megabytes(size)} MB, more than the ${megabytes(MAX_SOURCE_BYTES)} MB the node sends to Akool`, {
			itemIndex,
			description: 'Resize or compress the image first (e.g. with the Edit Image node): Akool works at 4K at most.',
		});
	}
}

/**
 * Whether n8n could not serve the binary as it is, for as long as Akool needs it: a binary made in
 * memory (a Code node, an HTTP response kept inline) has no ID to sign, and a trigger's upload
 * (Form Trigger, Webhook) is kept under `executions/temp/` until the execution is saved, when n8n
 * moves it (its signed URL then answers 404: measured with Wait Mode Callback in filesystem mode).
 */
function needsOwnCopy(binary: IBinaryData): boolean {
	return !binary.id || binary.id.includes('/executions/temp/');
}

/** A copy stored through n8n's binary data service, under this execution. In n8n's memory mode nothing gets an ID. */
async function storeForServing(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binary: IBinaryData,
	inlineBytes: Buffer | undefined,
): Promise<IBinaryData> {
	const bytes = inlineBytes ?? (await ctx.helpers.binaryToBuffer(await ctx.helpers.getBinaryStream(binary.id as string)));
	const stored = await ctx.helpers.prepareBinaryData(bytes, binary.fileName, binary.mimeType);
	if (stored.id) return stored;
	throw new NodeOperationError(ctx.getNode(), 'n8n keeps binary data in memory, so it cannot serve the source image to Akool', {
		itemIndex,
		description:
			'Set N8N_DEFAULT_BINARY_DATA_MODE to "filesystem" (or "database", n8n’s default in queue mode) and restart n8n, or set "Source Image" to "URL".',
	});
}

/** Refuses a URL Akool could not fetch; the error shows n8n's origin, never the token. */
function checkReachable(ctx: IExecuteFunctions, itemIndex: number, url: string): void {
	const { origin, hostname } = new URL(url);
	const reason = unreachableHostReason(hostname);
	if (!reason) return;
	throw new NodeOperationError(ctx.getNode(), `Akool cannot download the source image from this n8n (${origin}): ${reason}`, {
		itemIndex,
		description:
			'n8n serves the file at its WEBHOOK_URL. Set WEBHOOK_URL to n8n’s public HTTPS address (e.g. https://n8n.example.com/) and restart n8n, or set "Source Image" to "URL" with a public image URL.',
	});
}

/** MiB to one decimal, rounded up: a file just over the bound never reads as equal to it. */
function megabytes(bytes: number): string {
	return String(Math.ceil((bytes / 1024 / 1024) * 10) / 10);
}
