/**
 * The sample sources the fake serves beside its API (samples.js): real images to give as a job's
 * source, and texts to see a source fail.
 */
import { SAMPLE_SOURCES, imageTypeOf, readPngSize } from '../fake-akool';
import { closedAfterEach } from '../harness/fakeAkool';

const { start } = closedAfterEach({ durationMs: 100 });

describe('sample sources', () => {
	it('serves a 640×480 PNG and a 64×48 JPEG without auth, not recorded as API requests', async () => {
		const fake = await start();
		const png = await fetch(fake.sampleSourceUrl('png'));
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		const pngBytes = Buffer.from(await png.arrayBuffer());
		expect(readPngSize(pngBytes)).toEqual({ width: 640, height: 480 });
		expect(pngBytes.equals(fake.sampleSource('png').bytes)).toBe(true);
		const jpeg = await fetch(fake.sampleSourceUrl('jpeg'));
		expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
		const jpegBytes = Buffer.from(await jpeg.arrayBuffer());
		expect(imageTypeOf(jpegBytes)).toBe('jpeg');
		// SOF0 holds height then width
		const sof = jpegBytes.indexOf(Buffer.from([0xff, 0xc0]));
		expect([jpegBytes.readUInt16BE(sof + 5), jpegBytes.readUInt16BE(sof + 7)]).toEqual([48, 64]);
		expect(jpegBytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
		const head = await fetch(fake.sampleSourceUrl('png'), { method: 'HEAD' });
		expect(head.headers.get('content-length')).toBe(String(SAMPLE_SOURCES.png.bytes.length));
		expect((await fetch(`${fake.baseUrl}/samples/none.png`)).status).toBe(404);
		expect(fake.requests).toEqual([]);
		expect(fake.sampleSourceUrl('text')).toBe(`${fake.baseUrl}/samples/not-an-image.txt`);
	});
});
