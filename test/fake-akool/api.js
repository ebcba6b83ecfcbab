// @ts-check
'use strict';

const { PATHS, BUTTONS } = require('./constants');
const { createView, resultView } = require('./jobs');
const { validateCreate, isObject } = require('./validate');
const { sendJson } = require('./http');

/**
 * @typedef {import('node:http').IncomingMessage} IncomingMessage
 * @typedef {import('node:http').ServerResponse} ServerResponse
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 * @typedef {import('./recorder').RequestKind} RequestKind
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./jobs').Job} Job
 * @typedef {import('./jobs').JobSpec} JobSpec
 * @typedef {import('./constants').Button} Button
 */

/**
 * The mutable state of one fake, shared by the handlers.
 * @typedef {object} State
 * @property {import('./options').ResolvedOptions} options
 * @property {import('./jobs').JobStore} store
 * @property {number} credits the balance
 * @property {RequestWindow} window served API requests, for the rate limit
 * @property {string} cdnBaseUrl
 * @property {(job: Job) => void} onJobCreated
 */

/**
 * One request being handled.
 * @typedef {object} Ctx
 * @property {IncomingMessage} req
 * @property {ServerResponse} res
 * @property {URL} url
 * @property {RecordedRequest} rec
 * @property {Fault | null} fault a fault that modifies the answer (one that replaces it never gets here)
 * @property {unknown} json the body, parsed only when sent as JSON (like an express.json() server)
 */

/** Timestamps of the API requests served, for a rolling-window rate limit. */
class RequestWindow {
	/** @type {number[]} */
	#times = [];

	/**
	 * Count a request at `now` unless `max` were already served in the last `windowMs`.
	 * @param {number} now @param {number} max @param {number} windowMs
	 */
	admit(now, max, windowMs) {
		while (this.#times.length > 0 && this.#times[0] <= now - windowMs) this.#times.shift();
		if (this.#times.length >= max) return false;
		this.#times.push(now);
		return true;
	}

	clear() {
		this.#times = [];
	}
}

/** @type {Record<string, RequestKind>} "METHOD path" → kind */
const API_ROUTES = {
	[`POST ${PATHS.create}`]: 'create',
	[`GET ${PATHS.result}`]: 'result',
	[`POST ${PATHS.button}`]: 'button',
	[`GET ${PATHS.credits}`]: 'credits',
};

/** @param {string} method @param {string} path @returns {RequestKind} */
const apiKind = (method, path) => API_ROUTES[`${method} ${path}`] ?? 'other';

/** @param {Ctx} ctx @param {number} code @param {string} msg @param {unknown} [data] */
const reply = (ctx, code, msg, data = null) => sendJson(ctx.res, ctx.rec, 200, { code, msg, data });

/**
 * Akool's auth: Authorization (Bearer) wins over x-api-key when both are sent.
 * @param {Record<string, string>} headers @param {string} apiKey
 * @returns {{ code: number, msg: string } | null} the error, or null when authorized
 */
function authError(headers, apiKey) {
	const invalid = { code: 1101, msg: 'Invalid authorization or the request token has expired' };
	const bearer = headers.authorization;
	if (bearer) return /^Bearer\s+(.+)$/i.exec(bearer)?.[1] === apiKey ? null : invalid;
	const key = headers['x-api-key'];
	if (key) return key === apiKey ? null : invalid;
	return { code: 1102, msg: 'Authorization cannot be empty' };
}

/** @param {State} state @param {JobSpec} spec */
function createJob(state, spec) {
	const job = state.store.create(spec, state.options);
	state.credits -= job.deductionCredit;
	state.onJobCreated(job);
	return job;
}

/** @param {Ctx} ctx @param {State} state */
function handleCreate(ctx, state) {
	const check = validateCreate(ctx.json, state.options.meitu);
	if (!check.ok) return reply(ctx, 1003, check.msg);
	const short = ctx.fault?.shortArray;
	const count = !short
		? check.quantity
		: short === true
			? check.quantity - 1
			: Math.min(short, check.quantity);
	if (state.credits < count) return reply(ctx, 1006, 'Your quota is not enough');
	const views = Array.from({ length: count }, () => createView(createJob(state, check.spec)));
	// Akool answers one object for one image and an array for a batch.
	return reply(ctx, 1000, 'OK', !short && check.quantity === 1 ? views[0] : views);
}

/** @param {Ctx} ctx @param {State} state */
function handleResult(ctx, state) {
	const id = ctx.url.searchParams.get('image_model_id') ?? '';
	const job = state.store.jobs.get(id);
	if (!job) return reply(ctx, 1008, 'Content does not exist');
	job.reads += 1;
	const where = {
		imageUrl: `${state.cdnBaseUrl}/images/${job.id}.png`,
		urlInUpscaledOnly: state.options.urlInUpscaledOnly,
	};
	const override = { jobStatus: ctx.fault?.jobStatus, noUrl: ctx.fault?.noUrl };
	return reply(ctx, 1000, 'OK', resultView(job, where, override));
}

/** @param {Ctx} ctx @param {State} state */
function handleButton(ctx, state) {
	const body = isObject(ctx.json) ? ctx.json : {};
	const { _id: id, button, webhookUrl } = body;
	if (typeof id !== 'string' || id === '')
		return reply(ctx, 1003, '_id is required: the _id of a completed job');
	if (typeof button !== 'string' || button === '')
		return reply(ctx, 1003, `button is required: one of ${BUTTONS.join(', ')}`);
	if (webhookUrl !== undefined && typeof webhookUrl !== 'string')
		return reply(ctx, 1003, 'webhookUrl must be a string');
	const parent = state.store.jobs.get(id);
	if (!parent) return reply(ctx, 1008, 'Content does not exist');
	if (parent.status !== 3)
		return reply(ctx, 1010, 'The image is not completed, you cannot operate it yet');
	const offered = parent.buttons;
	if (!offered.includes(/** @type {Button} */ (button))) {
		const allowed =
			offered.length > 0 ? `one of ${offered.join(', ')}` : 'none: this job lists no buttons';
		return reply(ctx, 1003, `button ${button} is not available; allowed: ${allowed}`);
	}
	const pressed = /** @type {Button} */ (button);
	if (parent.usedButtons.includes(pressed))
		return reply(ctx, 1011, `Button ${pressed} has already been operated on this image`);
	if (state.credits < 1) return reply(ctx, 1006, 'Your quota is not enough');
	parent.usedButtons.push(pressed);
	const job = createJob(state, {
		prompt: parent.prompt,
		negativePrompt: parent.negativePrompt,
		model: parent.model,
		sourceImages: parent.sourceImages,
		ratio: parent.ratio,
		// U = upscale to 4K of the same ratio; V = a variation at the parent's resolution.
		resolution: pressed.startsWith('U') ? '4k' : parent.resolution,
		similar: parent.similar,
		webhookUrl: webhookUrl ?? '',
		parameter: parent.parameter,
		parentId: parent.id,
		button: pressed,
	});
	return reply(ctx, 1000, 'OK', createView(job));
}

/** @param {Ctx} ctx @param {State} state */
const handleCredits = (ctx, state) => reply(ctx, 1000, 'OK', { credit: state.credits });

const HANDLERS = {
	create: handleCreate,
	result: handleResult,
	button: handleButton,
	credits: handleCredits,
};

/**
 * Serve one API request: route, then auth, then rate limit, then the handler.
 * @param {Ctx} ctx @param {State} state
 */
function routeApi(ctx, state) {
	const kind = ctx.rec.kind;
	if (kind === 'other' || kind === 'download')
		return sendJson(ctx.res, ctx.rec, 404, { code: 1008, msg: 'Not found', data: null });
	const denied = authError(ctx.rec.headers, state.options.apiKey);
	if (denied) return reply(ctx, denied.code, denied.msg);
	const limit = state.options.rateLimit;
	// Only requests that get past the limit count in the window: a client hammering at 1005 is not
	// kept locked out forever.
	if (
		limit &&
		!state.window.admit(ctx.rec.at, limit.max, limit.windowMs * state.options.timeScale)
	) {
		return reply(ctx, 1005, 'Too frequent');
	}
	return HANDLERS[kind](ctx, state);
}

module.exports = { routeApi, apiKind, RequestWindow };
