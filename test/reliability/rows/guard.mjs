// @ts-check
/**
 * The spending guard (option Max Images per Run, default 100, 0 = no limit): a run that would order
 * more images is refused before any create, with an error naming both numbers and the option.
 */
import { generate, prompts, upscaleOrVary } from '../row-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row */

/** @param {number} ordered @param {number} limit */
const over = (ordered, limit) =>
	new RegExp(`\\b${ordered}\\b[\\s\\S]*Max Images per Run[\\s\\S]*\\b${limit}\\b|\\b${limit}\\b[\\s\\S]*Max Images per Run[\\s\\S]*\\b${ordered}\\b`);

/** @type {Row[]} */
export const rows = [
	{
		id: 'guard: 26 × 4 over the default 100',
		group: 'guard',
		items: prompts(26),
		params: generate({ numberOfImages: 4 }),
		expect: {
			text: 'refused: names 104, 100 and the option; 0 requests',
			requests: 0,
			creates: 0,
			error: { name: 'NodeOperationError', message: over(104, 100), itemIndex: null },
		},
	},
	{
		id: 'guard: 3 × 2 over a limit of 5',
		group: 'guard',
		items: prompts(3),
		params: generate({ numberOfImages: 2, options: { maxImagesPerRun: 5 } }),
		expect: {
			text: 'refused: names 6, 5 and the option; 0 requests',
			requests: 0,
			creates: 0,
			error: { name: 'NodeOperationError', message: over(6, 5), description: /Nothing was created/, itemIndex: null },
		},
	},
	{
		id: 'guard: over the limit (CoF on)',
		group: 'guard',
		items: prompts(3),
		params: generate({ numberOfImages: 2, options: { maxImagesPerRun: 5 } }),
		cof: true,
		expect: {
			text: 'every item: error item naming 6, 5, the option; 0 requests',
			requests: 0,
			creates: 0,
			errorItems: 'all',
			errorItem: { message: over(6, 5) },
		},
	},
	{
		id: 'guard: upscale 101 items over 100',
		group: 'guard',
		items: prompts(101),
		params: upscaleOrVary({ jobId: '6650a1b2c3d4e5f6a7b8c9d0', button: 'V1' }),
		expect: {
			text: 'refused before any read or button; 0 requests',
			requests: 0,
			creates: 0,
			error: { name: 'NodeOperationError', message: over(101, 100), itemIndex: null },
		},
	},
	{
		id: 'guard: exactly at the limit (25 × 4)',
		group: 'guard',
		items: prompts(25),
		params: generate({ numberOfImages: 4 }),
		cof: true,
		expect: { text: '100 images, all whole', creates: 25, errorItems: [] },
	},
	{
		id: 'guard: 0 = no limit (30 × 4)',
		group: 'guard',
		items: prompts(30),
		params: generate({ numberOfImages: 4, options: { maxImagesPerRun: 0 } }),
		expect: { text: '120 images, all whole', creates: 30 },
	},
	{
		id: 'guard: invalid items order nothing',
		group: 'guard',
		items: prompts(3, (i) => ({ n: i === 1 ? 9 : 2 })),
		params: generate({ numberOfImages: '={{ $json.n }}', options: { maxImagesPerRun: 4 } }),
		cof: true,
		expect: { text: '4 valid images fit the limit of 4; item 1 error', creates: 2, perItem: 2, errorItems: [1], errorItem: { message: /Number of Images/ } },
	},
];
