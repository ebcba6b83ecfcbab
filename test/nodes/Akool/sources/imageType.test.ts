import { acceptedImageType, describeRefusedFile } from '../../../../nodes/Akool/sources/imageType';
import { GIF_BYTES, pngBytes } from '../../../harness/sourceFiles';

const head = (text: string) => Buffer.from(text, 'latin1');

describe('acceptedImageType: PNG and JPEG, from the bytes', () => {
	it('knows a PNG and a JPEG by their signatures', () => {
		expect(acceptedImageType(pngBytes())).toBe('png');
		expect(acceptedImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
	});

	it.each([
		['a GIF', GIF_BYTES, 'a GIF file'],
		['a WebP', head('RIFF\x24\x00\x00\x00WEBPVP8 '), 'a WebP file'],
		['a HEIC photo', head('\x00\x00\x00\x18ftypheic'), 'a HEIC/AVIF file'],
		['a PDF', head('%PDF-1.7\n%'), 'a PDF file'],
		['an SVG', head('<svg xmlns="'), 'an SVG or other text file'],
		['an empty file', Buffer.alloc(0), 'an empty file'],
		['random bytes', Buffer.from([0x00, 0x9c, 0xf1, 0x02]), 'not a PNG or JPEG image'],
		['a truncated PNG signature', pngBytes().subarray(0, 4), 'not a PNG or JPEG image'],
	])('refuses %s and names it', (_, bytes, named) => {
		expect(acceptedImageType(bytes)).toBeUndefined();
		expect(describeRefusedFile(bytes)).toBe(named);
	});
});
