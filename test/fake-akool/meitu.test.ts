/**
 * The fake Akool's Meitu Yunxiu Pro model (`meitu/yunxiu-pro/image-to-image`), as Akool's docs
 * source describes it (jinjuezhou/mintlify-docs at 420efb75): its own create rules (one public
 * source URL, no prompt, a `parameter` with the five fixed people_type entries and documented
 * all_params), 1003 naming the problem before any job exists, then a job that fetches its source
 * like any image-to-image job. Options and sources: meitu-options.test.ts.
 */
import {
	MEITU_DEFAULT_PEOPLE_TYPE,
	MODELS,
	MODEL_IMAGE_TO_IMAGE,
	MODEL_MEITU,
	SAMPLE_SOURCES,
} from '../fake-akool';
import { MEITU_PARAMS } from './meitu-params';
import { closedAfterEach, createOn as create, ended, statusOf } from '../harness/fakeAkool';
import { until } from '../harness/fakeAkoolPeers';
import { SOURCE, meituBody, people } from '../harness/meituBody';
import type { Json } from '../harness/meituBody';
import { validateCreate } from './validate';

const { start } = closedAfterEach({ durationMs: 100 });

describe('constants', () => {
	it('exports the model ID and the five documented people_type entries, in the fixed order', () => {
		expect(MODEL_MEITU).toBe('meitu/yunxiu-pro/image-to-image');
		expect(MODELS).toContain(MODEL_MEITU);
		expect(MEITU_DEFAULT_PEOPLE_TYPE).toEqual([
			{ age: [15, 49], gender: 1, key: 'man', name: '' },
			{ age: [15, 49], gender: 0, key: 'woman', name: '' },
			{ age: [0, 14], gender: 0, key: 'child', name: '' },
			{ age: [50, 100], gender: 0, key: 'oldwoman', name: '' },
			{ age: [50, 100], gender: 1, key: 'oldman', name: '' },
		]);
		expect(Object.isFrozen(MEITU_DEFAULT_PEOPLE_TYPE[0].age)).toBe(true);
	});

	it('knows the 276 all_params fields of the reference page', () => {
		expect(MEITU_PARAMS.size).toBe(276);
		expect(MEITU_PARAMS.get('exposure')).toMatchObject({ type: 'int', min: -500, max: 500 });
		expect(MEITU_PARAMS.get('constrast')).toMatchObject({ type: 'int', min: -100, max: 100 });
		expect(MEITU_PARAMS.get('remove_pouch')).toMatchObject({ type: 'list', min: 0, max: 100 });
		expect(MEITU_PARAMS.get('aicolormatch_type')?.oneOf).toEqual([1, 2, 3, 4, 6, 7, 8]);
	});
});

describe("the docs' own examples", () => {
	const ok = (parameter: Json) => validateCreate(meituBody({}, parameter));
	const msgOf = (parameter: Json) => {
		const check = ok(parameter);
		return check.ok ? 'accepted' : check.msg;
	};
	const five = (item: Json) => [item, item, item, item, item];

	it('accepts every valid example of the parameter reference', () => {
		for (const allParams of [
			{ exposure: 20, remove_pouch: [30, 30, 30, 30, 30] },
			{ remove_pouch: [20, 60, 0, 30, 30] },
			{ eyebrow: five({ id: 'biaozhunmei', color: '0;0;0;255', alpha: 30 }) },
			{ filter: { filter_id: 'Fa0000qhjvzrB6bk', filters_lut_alpha: 50 } },
			{
				sky_background: {
					logic_id: '2130',
					params: { sky_wap_flag: 1, sky_edge_blur_coef: -10, sky_alpha_coef: 100 },
				},
			},
			{
				exposure: 15,
				saturability: 10,
				remove_pouch: [20, 40, 0, 20, 20],
				bright_eye: [20, 30, 0, 20, 20],
				filter: { filter_id: 'Fa0000qhjvzrB6bk', filters_lut_alpha: 30 },
			},
			{ color_grading_global_enable: true, gray_point: [0, 0, 128, 140, 255, 255] },
			{ skin_color_lut_path: ['', 'skin1.png', 'skin2.png', 'skin3.png', 'skin5.png'] },
			{ id_photo_bg_mode: 1, id_photo_bg_color: [255, 255, 255, 255], aicolormatch_type: 8 },
			{},
		]) {
			expect([allParams, msgOf({ all_params: allParams })]).toEqual([allParams, 'accepted']);
		}
	});

	it("refuses the page's 'common validation mistakes'", () => {
		expect(msgOf({ all_params: { remove_pouch: [30, 30, 30] } })).toContain(
			'parameter.all_params.remove_pouch must be 5 values',
		);
		expect(msgOf({ all_params: { eyebrow: [30, 30, 30, 30, 30] } })).toContain(
			'parameter.all_params.eyebrow must be 5 values, one per people_type entry (man, woman, child, oldwoman, oldman), each an object',
		);
		expect(
			msgOf({ all_params: { filter: { filter_id: 'Fa0000qhjvzrB6bk', filters_lut_alpha: 120 } } }),
		).toContain('filters_lut_alpha must be a whole number from 0 to 100');
	});
});

describe('a valid Meitu create', () => {
	it('creates a job that fetches its source and completes', async () => {
		const fake = await start();
		const source = fake.sampleSourceUrl('png'); // http://127.0.0.1:<port>/…: a loopback IP
		const body = meituBody({ source_images: [source], webhookurl: 'https://hooks.example.com/m' });
		const answer = await create(fake, body);
		expect(answer.code).toBe(1000);
		expect(Array.isArray(answer.data)).toBe(false);
		expect(answer.data).toMatchObject({
			model_name: MODEL_MEITU,
			provider: 'meitu',
			sub_type: 40002,
			source_image: source,
			prompt: '',
			image_status: 1,
			deduction_credit: 1,
		});
		const id = answer.data._id as string;
		expect(fake.jobs.get(id)?.parameter).toEqual(body.parameter);
		await until(ended(fake, id));
		expect(statusOf(fake, id)).toBe(3);
		expect(fake.sourceFetches).toHaveLength(1);
		expect(fake.sourceFetches[0]).toMatchObject({
			jobId: id,
			url: source,
			state: 'ok',
			imageType: 'png',
			width: 640,
			height: 480,
			sha256: SAMPLE_SOURCES.png.sha256,
		});
		expect(fake.credits).toBe(999);
	});

	it('takes a JPEG, a batch (each job fetches) and the shared fields; ignores a prompt', async () => {
		const fake = await start();
		const answer = await create(
			fake,
			meituBody({
				source_images: [fake.sampleSourceUrl('jpeg')],
				prompt: 'not used by this model',
				batch_quantity: 2,
				scale: 'Original',
				resolution: '1080p',
			}),
		);
		expect(answer.code).toBe(1000);
		expect(answer.data).toHaveLength(2);
		const ids = (answer.data as Array<{ _id: string; prompt: string }>).map((job) => job._id);
		expect((answer.data as Array<{ prompt: string }>).map((job) => job.prompt)).toEqual(['', '']);
		for (const id of ids) await until(ended(fake, id));
		expect(ids.map((id) => statusOf(fake, id))).toEqual([3, 3]);
		expect(fake.sourceFetches.map((f) => [f.imageType, f.width, f.height])).toEqual([
			['jpeg', 64, 48],
			['jpeg', 64, 48],
		]);
	});
});

describe('Meitu refusals (1003 naming the problem, no job)', () => {
	const each = '5 values, one per people_type entry (man, woman, child, oldwoman, oldman), each';
	const paramCases: Array<[string, Json, string]> = [
		['exposure out of range', { exposure: 600 }, 'parameter.all_params.exposure must be a whole number from -500 to 500'],
		['a fractional int', { saturability: 1.5 }, 'parameter.all_params.saturability must be a whole number'],
		['an enum value not listed', { aicolormatch_type: 5 }, 'aicolormatch_type must be one of 1, 2, 3, 4, 6, 7, 8'],
		['a bool as a number', { color_grading_global_enable: 1 }, 'color_grading_global_enable must be true or false'],
		['a list value out of range', { makeup_protect: [0, 1, 2, 0, 0] }, `makeup_protect must be ${each} a whole number from 0 to 1`],
		['a skin tone not listed', { skin_color_lut_path: ['skin6.png', '', '', '', ''] }, 'skin_color_lut_path must be 5 values'],
		['an odd curve', { red_point: [0, 0, 300] }, 'red_point must be flattened curve points'],
		['an rgba of 3', { id_photo_bg_color: [0, 0, 0] }, 'id_photo_bg_color must be [r, g, b, a]'],
		['a sky without logic_id', { sky_background: { params: {} } }, 'sky_background must be an object { logic_id'],
		['a filter without filter_id', { filter: { filters_lut_alpha: 50 } }, 'filter must be an object { filter_id'],
		['an undocumented all_params key', { brightness: 10 }, "parameter.all_params.brightness is not a Meitu Yunxiu parameter listed in Akool's parameter reference"],
	];
	const withPeople = (edit: (list: Json[]) => unknown) => {
		const list = people();
		return { people_type: edit(list) ?? list };
	};
	const cases: Array<[string, Json, string]> = [
		['no parameter', meituBody({ parameter: undefined }), 'parameter is required for meitu/yunxiu-pro/image-to-image'],
		['parameter not an object', meituBody({ parameter: 'exposure=20' }), 'parameter must be an object'],
		['no people_type', meituBody({}, { people_type: undefined }), 'parameter.people_type is required'],
		[
			'people_type with 4 entries',
			meituBody({}, withPeople((list) => list.slice(0, 4))),
			'parameter.people_type must be an array of exactly 5 entries in the fixed order man, woman, child, oldwoman, oldman; got 4 entries',
		],
		['people_type not an array', meituBody({}, { people_type: {} }), 'parameter.people_type must be an array of exactly 5'],
		[
			'people_type in the wrong order',
			meituBody({}, withPeople((list) => [list[1], list[0], ...list.slice(2)])),
			'parameter.people_type is in the wrong order (woman, man, child, oldwoman, oldman)',
		],
		[
			'a wrong key',
			meituBody({}, withPeople((list) => void (list[1].key = 'girl'))),
			"parameter.people_type[1].key must be 'woman'",
		],
		[
			'an entry with an extra key',
			meituBody({}, withPeople((list) => void (list[2].note = 'x'))),
			'parameter.people_type[2] must have exactly the keys age, gender, key, name (unknown key note)',
		],
		[
			'an entry without name',
			meituBody({}, withPeople((list) => void delete list[4].name)),
			'parameter.people_type[4] must have exactly the keys age, gender, key, name (missing name)',
		],
		[
			'a wrong age shape',
			meituBody({}, withPeople((list) => void (list[0].age = '15-49'))),
			'parameter.people_type[0].age must be [min, max]',
		],
		[
			'an age of one number',
			meituBody({}, withPeople((list) => void (list[3].age = [50]))),
			'parameter.people_type[3].age must be [min, max]',
		],
		[
			'a gender of 2',
			meituBody({}, withPeople((list) => void (list[0].gender = 2))),
			'parameter.people_type[0].gender must be 0 or 1',
		],
		[
			'changed ages (the content is fixed)',
			meituBody({}, withPeople((list) => void (list[0].age = [18, 49]))),
			'parameter.people_type[0] (man) must be exactly {"age":[15,49],"gender":1,"key":"man","name":""}',
		],
		['no all_params', meituBody({}, { all_params: undefined }), 'parameter.all_params is required'],
		['all_params not an object', meituBody({}, { all_params: [20] }), 'parameter.all_params must be an object'],
		...paramCases.map(([name, allParams, msg]): [string, Json, string] => [name, meituBody({}, { all_params: allParams }), msg]),
		[
			'an undocumented parameter key',
			meituBody({}, { endpoint: 'chain' }),
			'parameter.endpoint is not documented',
		],
		['no source', meituBody({ source_images: undefined }), 'source_images is required: meitu/yunxiu-pro/image-to-image needs'],
		['two sources', meituBody({ source_images: [SOURCE, SOURCE] }), 'source_images must be an array of exactly one URL'],
		[
			'a data: URL (base64) source',
			meituBody({ source_images: [`data:image/png;base64,${SAMPLE_SOURCES.png.bytes.toString('base64')}`] }),
			'does not support base64',
		],
		[
			'a bare base64 source',
			meituBody({ source_images: [SAMPLE_SOURCES.jpeg.bytes.toString('base64')] }),
			'looks like base64 image data',
		],
		['an ftp source', meituBody({ source_images: ['ftp://photos.example.com/a.jpg'] }), 'must be an http(s) URL'],
		[
			'a public IPv4 source',
			meituBody({ source_images: ['http://93.184.216.34/a.jpg'] }),
			'has an IP-address host (93.184.216.34): meitu/yunxiu-pro/image-to-image does not support IP-address URLs',
		],
		['an IPv6 source', meituBody({ source_images: ['https://[2001:db8::1]/a.png'] }), 'has an IP-address host ([2001:db8::1])'],
		['a number as prompt', meituBody({ prompt: 5 }), 'prompt must be a string when present'],
		['batch_quantity 5', meituBody({ batch_quantity: 5 }), 'batch_quantity must be an integer from 1 to 4'],
		['a bad scale', meituBody({ scale: '5:4' }), 'scale must be one of'],
	];

	it.each(cases)('%s', async (_name, body, msg) => {
		const fake = await start();
		const answer = await create(fake, body);
		expect(answer.code).toBe(1003);
		expect(answer.msg).toContain(msg);
		expect(answer.data).toBeNull();
		expect(fake.jobs.size).toBe(0);
		expect(fake.credits).toBe(1000);
	});

	it('is chosen only by name: a Meitu body without model_name is a Flux Kontext body, which needs a prompt', async () => {
		const fake = await start();
		const answer = await create(fake, meituBody({ model_name: undefined }));
		expect(answer).toMatchObject({ code: 1003, msg: 'prompt is required: a non-empty string' });
		const kontext = await create(fake, { ...meituBody({ model_name: MODEL_IMAGE_TO_IMAGE }), prompt: 'p' });
		expect(kontext.code).toBe(1000);
		expect(fake.jobs.get(kontext.data._id as string)?.parameter).toBeNull();
	});
});
