/**
 * What a source file is, from its first bytes: Akool takes PNG and JPEG sources (its docs name JPG,
 * JPEG and PNG), and a MIME type alone can be wrong (a renamed file, an upload form's guess).
 */

/** The largest source file the node hands to Akool (see README → Binary input). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

/** How many leading bytes tell the formats below apart. */
export const SIGNATURE_BYTES = 12;

export type AcceptedImageType = 'png' | 'jpeg';

const ACCEPTED: Array<{ type: AcceptedImageType; matches: (head: Buffer) => boolean }> = [
	{ type: 'png', matches: (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	{ type: 'jpeg', matches: (head) => startsWith(head, [0xff, 0xd8, 0xff]) },
];

/** Formats users often have that Akool does not take, named in the error so they know what they sent. */
const REFUSED: Array<{ named: string; matches: (head: Buffer) => boolean }> = [
	{ named: 'a GIF file', matches: (head) => ascii(head, 0, 4) === 'GIF8' },
	{ named: 'a WebP file', matches: (head) => ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP' },
	{ named: 'a HEIC/AVIF file', matches: (head) => ascii(head, 4, 8) === 'ftyp' },
	{ named: 'a BMP file', matches: (head) => ascii(head, 0, 2) === 'BM' },
	{ named: 'a TIFF file', matches: (head) => ['II*\u0000', 'MM\u0000*'].includes(ascii(head, 0, 4)) },
	{ named: 'a PDF file', matches: (head) => ascii(head, 0, 5) === '%PDF-' },
	{ named: 'an SVG or other text file', matches: (head) => /^[\s\w<?!="'-]*$/.test(ascii(head, 0, head.length)) },
];

function startsWith(head: Buffer, signature: number[]): boolean {
	return head.length >= signature.length && signature.every((byte, index) => head[index] === byte);
}

function ascii(head: Buffer, start: number, end: number): string {
	return head.subarray(start, end).toString('latin1');
}

/** The accepted type of a file from its first bytes, or undefined. */
export function acceptedImageType(head: Buffer): AcceptedImageType | undefined {
	return ACCEPTED.find((format) => format.matches(head))?.type;
}

/** A name for a file Akool would not take, for the error message ("a GIF", "an empty file"...). */
export function describeRefusedFile(head: Buffer): string {
	if (head.length === 0) return 'an empty file';
	return REFUSED.find((format) => format.matches(head))?.named ?? 'not a PNG or JPEG image';
}
