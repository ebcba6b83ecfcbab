/**
 * The fake's `meitu` option (and its CLI flags), and Meitu's source rules once the fake fetched the
 * source: JPG, JPEG or PNG whose header says at most 15000 × 15000, else the job fails (status 4).
 */
import { MODEL_IMAGE_TO_IMAGE, MODEL_MEITU, SAMPLE_SOURCES } from '../fake-akool';
import { imageSizeOf } from './image-size';
import { closedAfterEach, createOn as create, ended, postCreate, statusOf } from '../harness/fakeAkool';
import { runCli, until } from '../harness/fakeAkoolPeers';
import { meituBody, people } from '../harness/meituBody';

const { start, sourceServer, onStop } = closedAfterEach({ durationMs: 100 });

describe('option meitu', () => {
	it('allowLoopbackIp false: a 127.0.0.1 source is refused, the same file on localhost is not', async () => {
		const fake = await start({ meitu: { allowLoopbackIp: false } });
		const ipUrl = fake.sampleSourceUrl('png');
		const refused = await create(fake, meituBody({ source_images: [ipUrl] }));
		expect(refused.code).toBe(1003);
		expect(refused.msg).toContain('has an IP-address host (127.0.0.1)');
		expect(fake.jobs.size).toBe(0);
		const byName = ipUrl.replace('127.0.0.1', 'localhost');
		const answer = await create(fake, meituBody({ source_images: [byName] }));
		expect(answer.code).toBe(1000);
		await until(ended(fake, answer.data._id as string));
		expect(statusOf(fake, answer.data._id as string)).toBe(3);
		expect(fake.options.meitu).toEqual({ allowLoopbackIp: false, exactPeopleType: true, allowUnknownParams: false });
	});

	it('exactPeopleType false and allowUnknownParams true loosen the checks; setOptions merges key by key', async () => {
		const fake = await start();
		const body = meituBody({}, {
			people_type: people().map((entry, i) => (i === 0 ? { ...entry, age: [18, 49], name: 'adult men' } : entry)),
			all_params: { brightness: 10 },
		});
		expect((await create(fake, body)).msg).toContain('parameter.people_type[0] (man) must be exactly');
		fake.setOptions({ meitu: { exactPeopleType: false } });
		expect((await create(fake, body)).msg).toContain('all_params.brightness is not a Meitu Yunxiu parameter');
		fake.setOptions({ meitu: { allowUnknownParams: true } });
		expect(fake.options.meitu).toEqual({ allowLoopbackIp: true, exactPeopleType: false, allowUnknownParams: true });
		expect((await create(fake, body)).code).toBe(1000);
		// the order and the shape stay checked
		const swapped = meituBody({}, { people_type: [...people()].reverse() });
		expect((await create(fake, swapped)).msg).toContain('wrong order');
		expect(() => fake.setOptions({ meitu: { allowLoopbackIP: false } as never })).toThrow('unknown option meitu.allowLoopbackIP');
		expect(() => fake.setOptions({ meitu: { allowLoopbackIp: 'no' } as never })).toThrow('must be true or false');
	});

	it('has CLI flags', async () => {
		const cli = runCli(['--meitu-refuse-loopback-ip', '--meitu-any-people-type']);
		onStop(cli.stop);
		const { baseUrl } = JSON.parse(await cli.firstLine) as { baseUrl: string };
		const res = await fetch(`${baseUrl}/__stats`);
		expect(res.status).toBe(200);
		const post = async (body: unknown) => await postCreate(baseUrl, body);
		const answer = await post(meituBody({ source_images: [`${baseUrl}/samples/photo.png`] }));
		expect(answer.msg).toContain('IP-address host (127.0.0.1)');
		const relaxed = people().map((entry) => ({ ...entry, name: 'x' }));
		expect((await post(meituBody({}, { people_type: relaxed }))).code).toBe(1000);
	});
});

describe('Meitu sources, as fetched', () => {
	async function jobFrom(path: string, model = MODEL_MEITU) {
		const fake = await start();
		const server = await sourceServer();
		const body = meituBody({ model_name: model, source_images: [`${server.url}${path}`], prompt: 'p' });
		const answer = await create(fake, body);
		expect(answer.code).toBe(1000);
		const id = answer.data._id as string;
		await until(ended(fake, id));
		return { status: statusOf(fake, id), record: fake.sourceFetches[0], job: fake.jobs.get(id) };
	}

	it('completes with a PNG of 15000 px on a side', async () => {
		const { status, record } = await jobFrom('/png/15000x2');
		expect(status).toBe(3);
		expect(record).toMatchObject({ state: 'ok', width: 15000, height: 2 });
	});

	it('fails the job (status 4) on a PNG wider than 15000 px, by its header', async () => {
		const { status, record, job } = await jobFrom('/png/15001x2');
		expect(status).toBe(4);
		expect(record.error).toBe(
			'unsupported source: 15001×2 is over 15000×15000 (meitu/yunxiu-pro/image-to-image)',
		);
		expect(job?.sourceError).toBe(record.error);
	});

	it('fails the job on a JPEG whose frame header says 100×16000', async () => {
		const { status, record } = await jobFrom('/jpeg/100x16000');
		expect(status).toBe(4);
		expect(record).toMatchObject({ imageType: 'jpeg', width: 100, height: 16000 });
		expect(record.error).toContain('100×16000 is over 15000×15000');
	});

	it('fails the job on a WebP (JPG, JPEG and PNG only)', async () => {
		const { status, record } = await jobFrom('/webp');
		expect(status).toBe(4);
		expect(record.error).toContain('unsupported source: meitu/yunxiu-pro/image-to-image takes JPG, JPEG or PNG; this is webp');
	});

	it('keeps the limit to Meitu: Flux Kontext takes the 15001 px PNG', async () => {
		const { status, job } = await jobFrom('/png/15001x2', MODEL_IMAGE_TO_IMAGE);
		expect(job?.model).toBe(MODEL_IMAGE_TO_IMAGE);
		expect(status).toBe(3);
	});

	it('reads sizes from headers only', () => {
		expect(imageSizeOf(SAMPLE_SOURCES.png.bytes, 'png')).toEqual({ width: 640, height: 480 });
		expect(imageSizeOf(SAMPLE_SOURCES.jpeg.bytes, 'jpeg')).toEqual({ width: 64, height: 48 });
		expect(imageSizeOf(SAMPLE_SOURCES.jpeg.bytes.subarray(0, 20), 'jpeg')).toBeNull();
		expect(imageSizeOf(Buffer.from('RIFF0000WEBP'), 'webp')).toBeNull();
	});
});
