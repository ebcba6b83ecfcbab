// @ts-check
/**
 * n8n's binary data for engine tests: the filesystem mode n8n runs in (the engine alone keeps files
 * in memory), and a stand-in for the route n8n serves signed binary URLs on
 * (`GET /rest/binary-data/signed?token=…`, n8n's BinaryDataController.getSigned: the token verified by
 * n8n-core's BinaryDataService, 400 with the error's message when it is bad, the file streamed with
 * its type and length). The real route is proven in the end-to-end suite (test/e2e/callbacks.mjs).
 */
const http = require('node:http');
const { pipeline } = require('node:stream');

/** n8n-core's own dependency injection container (n8n-core has its own copy of @n8n/di). */
function n8nContainer() {
	const di = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	return /** @type {typeof import('@n8n/di')} */ (require(di)).Container;
}

/** n8n-core's BinaryDataService as the engine uses it. */
function binaryDataService() {
	const { BinaryDataService } = require('n8n-core');
	return n8nContainer().get(BinaryDataService);
}

/** Stores binary data on disk under N8N_USER_FOLDER, as n8n's default `filesystem` mode does. */
async function useFilesystemMode() {
	await binaryDataService().init();
}

/**
 * @typedef {object} SignedUrlRequest
 * @property {string} url
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 */

/**
 * Serves `<baseUrl>/rest/binary-data/signed?token=…` like n8n; `baseUrl` is the instance base a
 * workflow run is given (its restApiUrl is `<baseUrl>/rest`).
 * @returns {Promise<{ baseUrl: string, requests: SignedUrlRequest[], close: () => Promise<void> }>}
 */
async function startSignedUrlServer() {
	/** @type {SignedUrlRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		const record = { url: req.url ?? '', status: 0, headers: req.headers };
		requests.push(record);
		// a client that hangs up as the last byte arrives never sees 'finish': record on 'close' too
		res.on('finish', () => (record.status = res.statusCode));
		res.on('close', () => (record.status = res.statusCode));
		void serveSigned(req, res);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
async function serveSigned(req, res) {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	if (req.method !== 'GET' || url.pathname !== '/rest/binary-data/signed') {
		res.writeHead(404).end();
		return;
	}
	const service = binaryDataService();
	let id;
	try {
		id = service.validateSignedToken(url.searchParams.get('token') ?? '');
	} catch (error) {
		res.writeHead(400).end(/** @type {Error} */ (error).message);
		return;
	}
	try {
		const metadata = await service.getMetadata(id);
		res.writeHead(200, {
			'Content-Type': metadata.mimeType ?? 'application/octet-stream',
			'Content-Length': metadata.fileSize,
			'Content-Disposition': `attachment; filename="${metadata.fileName ?? 'file'}"`,
		});
		// pipeline, not pipe: a client that hangs up must not leave the file open.
		pipeline(await service.getAsStream(id), res, () => {});
	} catch {
		res.writeHead(404).end();
	}
}

module.exports = { useFilesystemMode, startSignedUrlServer, binaryDataService };
