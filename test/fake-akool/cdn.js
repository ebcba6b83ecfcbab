// @ts-check
'use strict';

const { cachedPng, padPng } = require('./png');
const { sendRaw } = require('./http');

/**
 * @typedef {import('./api').Ctx} Ctx
 * @typedef {import('./api').State} State
 * @typedef {import('./recorder').RequestKind} RequestKind
 */

const IMAGE_PATH = /^\/images\/([0-9a-f]{24})\.png$/;

/** @param {string} method @param {string} path @returns {RequestKind} */
const cdnKind = (method, path) =>
	(method === 'GET' || method === 'HEAD') && IMAGE_PATH.test(path) ? 'download' : 'other';

/**
 * Serve an image like a CDN: no auth, and nothing but the path matters.
 * @param {Ctx} ctx @param {State} state
 */
function routeCdn(ctx, state) {
	const { res, rec, fault } = ctx;
	const id = IMAGE_PATH.exec(ctx.url.pathname)?.[1];
	const job = id === undefined || rec.kind !== 'download' ? undefined : state.store.jobs.get(id);
	if (!job || job.status !== 3)
		return sendRaw(res, rec, 404, 'Not Found', 'text/plain; charset=utf-8');
	let png = cachedPng(job.width, job.height, state.options.imageKind, job.imageSeed);
	if (fault?.oversize !== undefined) png = padPng(png, fault.oversize);
	job.downloads += 1;
	rec.status = 200;
	res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
	if (ctx.req.method === 'HEAD') return res.end();
	if (fault?.truncate !== undefined) {
		// Content-Length promises the whole image; the socket dies after part of it.
		const part = png.subarray(0, Math.min(fault.truncate, png.length));
		rec.bytes = part.length;
		res.write(part, () => res.destroy());
		return;
	}
	rec.bytes = png.length;
	res.end(png);
}

module.exports = { routeCdn, cdnKind };
