// @ts-check
'use strict';

const crypto = require('node:crypto');
const { BUTTONS, imageSize } = require('./constants');
const { mulberry32, hash32 } = require('./rng');

/**
 * @typedef {import('./constants').ModelName} ModelName
 * @typedef {import('./constants').Scale} Scale
 * @typedef {import('./constants').Resolution} Resolution
 * @typedef {import('./constants').Button} Button
 * @typedef {import('./options').ResolvedOptions} ResolvedOptions
 * @typedef {1 | 2 | 3 | 4} ImageStatus 1 queueing, 2 processing, 3 completed, 4 failed
 * @typedef {'none' | 'waiting' | 'fetching' | 'fetched' | 'failed'} SourceState
 */

/**
 * What a job is made from: a validated create body, or a button pressed on a parent job.
 * @typedef {object} JobSpec
 * @property {string} prompt
 * @property {string} negativePrompt
 * @property {ModelName} model
 * @property {string[]} sourceImages
 * @property {Scale} ratio
 * @property {Resolution} resolution
 * @property {number | null} similar
 * @property {string} webhookUrl
 * @property {Record<string, unknown> | null} [parameter] Meitu's raw `parameter` (null for other models)
 * @property {string | null} [parentId]
 * @property {Button | null} [button]
 */

/**
 * The model's provider: the part of its ID before the first '/' ('wavespeed-ai' as the reference
 * page shows; 'meitu' for Meitu Yunxiu Pro is an assumption, the docs show no Meitu answer).
 * @param {ModelName} model
 */
const providerOf = (model) => model.split('/')[0];

// The reference page's sample values: the fake has one account.
const UID = 378337;
const TEAM_ID = 'team_fake_akool';

/** One image job. Its status is not stored but computed from the clock, so no timers run. */
class Job {
	#clock;

	/**
	 * @param {string} id
	 * @param {JobSpec} spec
	 * @param {{ createdAt: number, durationMs: number, urlDelayMs: number, willFail: boolean, offersButtons: boolean }} timing
	 * @param {() => number} clock
	 */
	constructor(id, spec, timing, clock) {
		this.#clock = clock;
		this.id = id;
		this.prompt = spec.prompt;
		this.negativePrompt = spec.negativePrompt;
		this.model = spec.model;
		this.sourceImages = spec.sourceImages;
		this.subType = spec.sourceImages.length > 0 ? 40002 : 40001;
		this.ratio = spec.ratio;
		this.resolution = spec.resolution;
		const { width, height } = imageSize(spec.ratio, spec.resolution);
		this.width = width;
		this.height = height;
		this.similar = spec.similar;
		this.webhookUrl = spec.webhookUrl;
		/** Meitu's `parameter` as sent (null for other models) */
		this.parameter = spec.parameter ?? null;
		this.parentId = spec.parentId ?? null;
		this.button = spec.button ?? null;
		this.createdAt = timing.createdAt;
		this.durationMs = timing.durationMs;
		// Akool shows "queueing" first; the fake spends the first 10% of the job there.
		this.processingAt = timing.createdAt + timing.durationMs * 0.1;
		this.readyAt = timing.createdAt + timing.durationMs;
		/** when a completed job starts reporting its URL (see the urlDelayMs option) */
		this.urlAt = this.readyAt + timing.urlDelayMs;
		this.willFail = timing.willFail;
		this.offersButtons = timing.offersButtons;
		/**
		 * The download of `source_images[0]` (source-fetcher.js): 'none' for jobs that do not fetch
		 * (text-to-image, and button jobs, which work on their parent's result), else 'waiting' until
		 * the job starts processing, 'fetching', then 'fetched' or 'failed'.
		 * @type {SourceState}
		 */
		this.sourceState = spec.sourceImages.length > 0 && !spec.button ? 'waiting' : 'none';
		/** @type {number | null} when the download ended (the fake's clock) */
		this.sourceDoneAt = null;
		/** @type {string | null} why the download failed */
		this.sourceError = null;
		this.deductionCredit = 1;
		/** @type {Button[]} */
		this.usedButtons = [];
		this.imageSeed = hash32(id);
		this.fileName = `ImageGenerator_${timing.createdAt}.png`;
		/** result calls that asked for this job */
		this.reads = 0;
		/** CDN downloads of its image */
		this.downloads = 0;
	}

	/**
	 * @returns {ImageStatus} the status right now: a source that could not be fetched fails the job at
	 * once; a job whose source is still on its way stays processing past `readyAt`
	 */
	get status() {
		const t = this.#clock();
		if (t < this.processingAt) return 1;
		if (this.sourceState === 'failed') return 4;
		if (t < this.readyAt || this.awaitsSource) return 2;
		return this.willFail ? 4 : 3;
	}

	/** its source is not downloaded yet (nor failed) */
	get awaitsSource() {
		return this.sourceState === 'waiting' || this.sourceState === 'fetching';
	}

	/**
	 * The final status and when (the fake's clock) it shows, with the URL for a 3; null while the
	 * source download, which decides it, has not ended.
	 * @returns {{ status: 3 | 4, at: number } | null}
	 */
	get finalState() {
		if (this.awaitsSource) return null;
		if (this.sourceState === 'failed') return { status: 4, at: /** @type {number} */ (this.sourceDoneAt) };
		const fetchedAt = this.sourceDoneAt ?? -Infinity;
		if (this.willFail) return { status: 4, at: Math.max(this.readyAt, fetchedAt) };
		return { status: 3, at: Math.max(this.urlAt, fetchedAt) };
	}

	/** completed and past the URL delay */
	get urlReady() {
		return this.status === 3 && this.#clock() >= this.urlAt;
	}

	/** @returns {Button[]} the buttons the job lists now (only once completed) */
	get buttons() {
		return this.offersButtons && this.status === 3 ? [...BUTTONS] : [];
	}

	toJSON() {
		return { ...this, status: this.status, urlReady: this.urlReady, buttons: this.buttons };
	}
}

/** The jobs of one fake, with the seeded RNG that draws their durations. */
class JobStore {
	/** @type {Map<string, Job>} */
	jobs = new Map();
	#clock;
	#rng = mulberry32(1);
	#created = 0;
	// Like a MongoDB ObjectId: seconds, 5 random bytes per store, a counter. Never reset, so an id
	// from before `reset()` stays unknown (1008) instead of naming a new job.
	#idPrefix = crypto.randomBytes(5).toString('hex');
	#idCounter = crypto.randomBytes(3).readUIntBE(0, 3);

	/** @param {() => number} clock @param {number} seed */
	constructor(clock, seed) {
		this.#clock = clock;
		this.reseed(seed);
	}

	/** Forget every job and restart the duration sequence. @param {number} seed */
	reseed(seed) {
		this.jobs.clear();
		this.#rng = mulberry32(seed);
		this.#created = 0;
	}

	#newId() {
		this.#idCounter = (this.#idCounter + 1) % 0x1000000;
		const seconds = Math.floor(this.#clock() / 1000) % 0x100000000;
		return (
			seconds.toString(16).padStart(8, '0') +
			this.#idPrefix +
			this.#idCounter.toString(16).padStart(6, '0')
		);
	}

	/**
	 * Create a job with the options in force now.
	 * @param {JobSpec} spec
	 * @param {ResolvedOptions} options
	 */
	create(spec, options) {
		this.#created += 1;
		const [min, max] = Array.isArray(options.durationMs)
			? options.durationMs
			: [options.durationMs, options.durationMs];
		// Whole ms keep create_time arithmetic and the stats readable.
		const durationMs = Math.round((min + (max - min) * this.#rng()) * options.timeScale);
		const failByPrompt = options.failPrompt && spec.prompt.includes('[fail]');
		const failByCount = options.failEvery > 0 && this.#created % options.failEvery === 0;
		const job = new Job(
			this.#newId(),
			spec,
			{
				createdAt: this.#clock(),
				durationMs,
				urlDelayMs: Math.round(options.urlDelayMs * options.timeScale),
				willFail: failByPrompt || failByCount,
				// An upscale (U) is a final image; a variation (V) is a new grid with buttons again.
				offersButtons: options.buttons && !(spec.button ?? '').startsWith('U'),
			},
			this.#clock,
		);
		this.jobs.set(job.id, job);
		return job;
	}
}

/**
 * The job as the create call (and createbybutton) answers it: the fields of Akool's reference page.
 * @param {Job} job
 */
function createView(job) {
	return {
		_id: job.id,
		uid: UID,
		team_id: TEAM_ID,
		create_time: job.createdAt,
		prompt: job.prompt,
		origin_prompt: job.prompt,
		source_image: job.sourceImages[0] ?? '',
		image_status: 1,
		image_sub_status: 1,
		deduction_credit: job.deductionCredit,
		model_name: job.model,
		provider: providerOf(job.model),
		type: 4,
		from: 4,
		sub_type: job.subType,
		file_name: job.fileName,
	};
}

/**
 * Overrides a 'result' fault can put on the answer.
 * @typedef {object} ResultOverride
 * @property {number} [jobStatus] report this image_status (with the URL only if it is 3)
 * @property {boolean} [noUrl] report status 3 with no URL anywhere
 */

/**
 * The job as the result call answers it.
 * @param {Job} job
 * @param {{ imageUrl: string, urlInUpscaledOnly: boolean }} where
 * @param {ResultOverride} [override]
 */
function resultView(job, where, override = {}) {
	let status = /** @type {number} */ (job.status);
	let url = job.urlReady ? where.imageUrl : '';
	if (override.jobStatus !== undefined) {
		status = override.jobStatus;
		url = status === 3 ? where.imageUrl : '';
	}
	if (override.noUrl) {
		status = 3;
		url = '';
	}
	return {
		_id: job.id,
		uid: UID,
		team_id: TEAM_ID,
		create_time: job.createdAt,
		type: 4,
		from: 4,
		sub_type: job.subType,
		model_name: job.model,
		provider: providerOf(job.model),
		prompt: job.prompt,
		origin_prompt: job.prompt,
		source_image: job.sourceImages[0] ?? '',
		image_status: status,
		image_sub_status: status,
		image: where.urlInUpscaledOnly ? '' : url,
		upscaled_urls: where.urlInUpscaledOnly && url ? [url] : [],
		deduction_credit: job.deductionCredit,
		buttons: status === 3 ? job.buttons : [],
		used_buttons: [...job.usedButtons],
		file_name: job.fileName,
	};
}

module.exports = { Job, JobStore, createView, resultView };
