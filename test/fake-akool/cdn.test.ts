/**
 * The fake CDN (cdn.js) and the images it serves (png.js, imageSize in constants.js).
 */
import { ASPECT_RATIOS, RESOLUTIONS, encodePng, imageSize, readPngSize } from '../fake-akool';
import { closedAfterEach, create, download, manualClock, result } from '../harness/fakeAkool';

const { start } = closedAfterEach();

describe('CDN images', () => {
	it('gives the documented size for every ratio and resolution', () => {
		expect(imageSize('1:1', '1080p')).toEqual({ width: 1080, height: 1080 });
		expect(imageSize('16:9', '1080p')).toEqual({ width: 1920, height: 1080 });
		expect(imageSize('9:16', '1080p')).toEqual({ width: 1080, height: 1920 });
		expect(imageSize('4:3', '1080p')).toEqual({ width: 1440, height: 1080 });
		expect(imageSize('3:4', '1080p')).toEqual({ width: 1080, height: 1440 });
		expect(imageSize('3:2', '1080p')).toEqual({ width: 1620, height: 1080 });
		expect(imageSize('2:3', '1080p')).toEqual({ width: 1080, height: 1620 });
		expect(imageSize('16:9', '4k')).toEqual({ width: 3840, height: 2160 });
		expect(imageSize('Original', '4k')).toEqual(imageSize('4:3', '4k'));
	});

	it('serves a real PNG of that size for every ratio × resolution', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 10, now: clock.now });
		for (const resolution of RESOLUTIONS) {
			for (const scale of ASPECT_RATIOS) {
				const id = (await create(fake, { prompt: 'p', scale, resolution })).json.data._id as string;
				clock.advance(10);
				const url = (await result(fake, id)).json.data.image as string;
				const { res, bytes } = await download(url);
				expect(res.status).toBe(200);
				expect(res.headers.get('content-type')).toBe('image/png');
				expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
				expect(readPngSize(bytes)).toEqual(imageSize(scale, resolution));
			}
		}
	}, 30000);

	it('is another host, answers 404 before completion and for unknown ids', async () => {
		const clock = manualClock();
		const fake = await start({ durationMs: 1000, now: clock.now });
		expect(new URL(fake.cdnBaseUrl).hostname).toBe('localhost');
		expect(new URL(fake.baseUrl).hostname).toBe('127.0.0.1');
		const id = (await create(fake, { prompt: 'p' })).json.data._id as string;
		expect((await download(fake.imageUrl(id))).res.status).toBe(404);
		expect((await download(fake.imageUrl('0123456789abcdef01234567'))).res.status).toBe(404);
		expect((await download(`${fake.cdnBaseUrl}/elsewhere`)).res.status).toBe(404);
	});

	it('encodes gradient and noise PNGs and rejects broken ones', () => {
		const gradient = encodePng(64, 48, { seed: 3 });
		const noise = encodePng(64, 48, { seed: 3, kind: 'noise' });
		expect(readPngSize(gradient)).toEqual({ width: 64, height: 48 });
		expect(readPngSize(noise)).toEqual({ width: 64, height: 48 });
		expect(noise.length).toBeGreaterThan(64 * 48 * 3);
		expect(gradient.length).toBeLessThan(noise.length / 4);
		expect(() => readPngSize(new TextEncoder().encode('<html>not an image</html>'))).toThrow(
			/signature|bytes/,
		);
		const badCrc = Uint8Array.from(gradient);
		badCrc[20] ^= 1;
		expect(() => readPngSize(badCrc)).toThrow(/CRC/);
	});
});
