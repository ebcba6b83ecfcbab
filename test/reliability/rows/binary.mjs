// @ts-check
/**
 * Transform from a binary source (issue 12): n8n serves the item's file to Akool through a signed
 * URL, and the fake fetches it from there as Akool would. Every refusal (no such binary, not a PNG or
 * JPEG, too big, memory mode, an n8n address Akool cannot reach) comes before any create: a bad
 * source never costs credits. A source Akool cannot fetch fails the job, and the error names it.
 * The rows run in n8n's filesystem mode, in the matrix's last phase, but the memory-mode row
 * (binary-kit.mjs says why); each also checks that the signed URL's token stays a secret.
 */
import { API_KEY, itemOfPrompt } from '../row-kit.mjs';
import { GIF, SAMPLES, binaryRow, binaryTransform, checkServed, checkUnreachable, closedOrigin, fileOf, n8n, oversizedPng } from '../binary-kit.mjs';

/** @typedef {import('../row-kit.mjs').Row} Row @typedef {import('../row-kit.mjs').Observation} Observation */

const png = (inline = false) => fileOf(SAMPLES.png.bytes, 'image/png', 'photo.png', inline);
const jpeg = (inline = false) => fileOf(SAMPLES.jpeg.bytes, 'image/jpeg', 'photo.jpg', inline);

/** Akool is public (an RFC 2606 name that never resolves: nothing could leave, even past the check). */
const PUBLIC_AKOOL = () => ({ apiKey: API_KEY, baseUrl: 'https://akool.invalid', clientId: '' });
const WEBHOOK_URL = /WEBHOOK_URL/;

/**
 * A file refused before anything is sent: the error names the item and what to do, 0 requests.
 * @param {string} id @param {string} text @param {Row['files']} files @param {RegExp} message @param {RegExp} description
 * @param {Partial<Row>} [more]
 */
function refused(id, text, files, message, description, more = {}) {
	return binaryRow({
		id,
		params: binaryTransform(),
		files,
		expect: { text, requests: 0, creates: 0, error: { name: 'NodeOperationError', message, description, itemIndex: 0 } },
		...more,
	});
}

/**
 * An n8n address Akool cannot reach while Akool is public: refused naming WEBHOOK_URL, 0 creates.
 * @param {string} id @param {() => string} instanceBaseUrl @param {string} reason
 */
function privateN8n(id, instanceBaseUrl, reason) {
	return refused(id, 'refused: names the origin and WEBHOOK_URL; 0 creates', [{ data: png() }], /^Akool cannot download the source image from this n8n \(/, WEBHOOK_URL, {
		instanceBaseUrl,
		credential: PUBLIC_AKOOL,
		check: (o) => {
			const want = `Akool cannot download the source image from this n8n (${new URL(instanceBaseUrl()).origin}): ${reason}`;
			return o.error?.message === want ? [] : [`message "${o.error?.message}", expected "${want}"`];
		},
	});
}

/** @param {boolean} cof @returns {Row} */
function unreachable(cof) {
	const named = /This n8n served it at http:\/\/127\.0\.0\.\d+:\d+/;
	return binaryRow({
		id: `binary: n8n unreachable at fetch (CoF ${cof ? 'on' : 'off'})`,
		items: cof ? [{ prompt: 'item 0' }, { prompt: 'item 1' }] : undefined,
		files: cof ? [{ data: png() }, { data: jpeg() }] : [{ data: png() }],
		params: binaryTransform(),
		setup: async () => ({ origin: await closedOrigin() }),
		instanceBaseUrl: ({ state }) => state.origin,
		cof,
		expect: cof
			? {
					text: 'created; each job fails (4): error item with jobIds, n8n named',
					creates: 2,
					errorItems: 'all',
					errorItem: { message: /^Akool job\(s\) [0-9a-f]{24} failed \(status 4\)$/, description: named },
				}
			: {
					text: '1 create; job fails (4): error names the job and n8n',
					creates: 1,
					error: { name: 'NodeApiError', message: /^Akool job\(s\) [0-9a-f]{24} failed \(status 4\)$/, description: named, itemIndex: 0 },
				},
		check: (o) => {
			const failures = checkUnreachable(o, o.state.origin);
			for (const item of o.output.filter((entry) => typeof entry.json?.error === 'string')) {
				const mine = o.jobs.filter((job) => itemOfPrompt(job.prompt) === item.pairedItem?.item).map((job) => job.id);
				if (JSON.stringify(item.json.jobIds) !== JSON.stringify(mine)) failures.push(`item ${item.pairedItem?.item}: jobIds ${JSON.stringify(item.json.jobIds)}, expected ${JSON.stringify(mine)}`);
			}
			return failures;
		},
	});
}

/** @type {Row[]} */
export const rows = [
	// It works: n8n serves the file, the fake fetches exactly its bytes, with no API key.
	binaryRow({
		id: 'binary: PNG served by n8n',
		params: binaryTransform(),
		files: [{ data: png() }],
		expect: { text: 'image out; fake fetched the file (sha256) from n8n', creates: 1 },
		check: checkServed,
	}),
	binaryRow({
		id: 'binary: item 1 no "data", 2 inline (CoF)',
		items: [{ prompt: 'item 0' }, { prompt: 'item 1' }, { prompt: 'item 2' }],
		files: [{ data: png() }, { photo: jpeg() }, { data: jpeg(true) }],
		params: binaryTransform(),
		cof: true,
		expect: {
			text: 'item 1: error item naming "photo"; 0, 2 served',
			creates: 2,
			errorItems: [1],
			errorItem: { message: /^Item 1 has no binary property "data"$/, description: /one of the item's binary properties: "photo"\./ },
		},
		check: checkServed,
	}),
	// Missing binary
	refused('binary: no binary at all', 'error: no binary, how to get one; 0 requests', [], /^Item 0 has no binary property "data"$/, /no binary data at all/),
	refused(
		'binary: other property names',
		'error lists "attachment_0", "attachment_1"; 0 req.',
		[{ attachment_0: png(), attachment_1: jpeg() }],
		/^Item 0 has no binary property "data"$/,
		/^"Source Binary Property" must name one of the item's binary properties: "attachment_0", "attachment_1"\.$/,
	),
	// Not an image Akool takes: judged by the bytes
	refused(
		'binary: a GIF',
		'error: a GIF file, PNG and JPEG only; 0 requests',
		[{ data: fileOf(GIF, 'image/gif', 'anim.gif') }],
		/^The binary "data" of item 0 \(anim\.gif\) is a GIF file; its MIME type says image\/gif$/,
		/PNG and JPEG/,
	),
	refused(
		'binary: text labelled image/png',
		'error: a text file, whatever its MIME type; 0 req.',
		[{ data: fileOf(SAMPLES.mislabelled.bytes, 'image/png', 'photo.png') }],
		/^The binary "data" of item 0 \(photo\.png\) is an SVG or other text file; its MIME type says image\/png$/,
		/PNG and JPEG/,
	),
	// Too big (built when the row runs: 20 MB)
	refused(
		'binary: PNG over 20 MB',
		'error: 20.1 MB, more than 20 MB; 0 requests',
		() => [{ data: fileOf(oversizedPng(), 'image/png', 'huge.png') }],
		/^The binary "data" of item 0 \(huge\.png\) is 20\.1 MB, more than the 20 MB the node sends to Akool$/,
		/Resize or compress/,
	),
	// n8n keeps binaries in memory: nothing can be served
	refused(
		'binary: n8n in memory mode',
		'error names N8N_DEFAULT_BINARY_DATA_MODE; 0 req.',
		[{ data: png() }],
		/^n8n keeps binary data in memory, so it cannot serve the source image to Akool$/,
		/N8N_DEFAULT_BINARY_DATA_MODE/,
		{ binaryMode: 'memory' },
	),
	// n8n's address is private while Akool is public
	privateN8n('binary: n8n on 192.168.1.20, Akool public', () => 'http://192.168.1.20:5678', 'it is on this machine or a local network (192.168.1.20)'),
	privateN8n('binary: n8n on 127.0.0.1, Akool public', () => n8n().baseUrl, 'it is on this machine or a local network (127.0.0.1)'),
	// Akool cannot fetch it (n8n gone between the create and the fetch): the job fails, and says why
	unreachable(false),
	unreachable(true),
];
