/**
 * Source files for Transform from binary data: what users' items carry (PNG, JPEG, files Akool does
 * not take), as the Items node of the engine harness takes them.
 */
import { createHash } from 'node:crypto';

import { encodePng } from '../fake-akool/png';
import type { TestFile } from './engine';

export function pngBytes(width = 64, height = 48, seed = 1): Buffer {
	return encodePng(width, height, { seed });
}

/** A PNG file of an item; `inline` keeps it in the item as base64, as a Code node makes it. */
export function pngFile(options: { seed?: number; inline?: boolean; fileName?: string } = {}): TestFile {
	return fileOf(pngBytes(64, 48, options.seed ?? 1), 'image/png', options.fileName ?? 'photo.png', options.inline);
}

export function fileOf(bytes: Buffer, mimeType: string, fileName: string, inline = false): TestFile {
	return { base64: bytes.toString('base64'), mimeType, fileName, inline };
}

export const GIF_BYTES = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The claims of a JWT (n8n's signed URL token), unverified. */
export function jwtClaims(token: string): { id: string; iat: number; exp: number } {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
