// @ts-check
'use strict';

// The fake Akool image API: see README.md. Tests import this; other processes run cli.js.
const constants = require('./constants');
const server = require('./server');
const { encodePng, readPngSize } = require('./png');
const { SAMPLE_SOURCES, FAKE_URL, sampleSourceUrl, sampleAt, placeFakeUrl } = require('./samples');
const { imageTypeOf } = require('./source-fetch');

/**
 * @typedef {import('./options').FakeAkoolOptions} FakeAkoolOptions
 * @typedef {import('./options').ResolvedOptions} ResolvedOptions
 * @typedef {import('./recorder').RecordedRequest} RecordedRequest
 * @typedef {import('./recorder').RequestKind} RequestKind
 * @typedef {import('./recorder').FakeAkoolStats} FakeAkoolStats
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./faults').FaultKind} FaultKind
 * @typedef {import('./jobs').Job} Job
 * @typedef {import('./jobs').ImageStatus} ImageStatus
 * @typedef {import('./png').ImageKind} ImageKind
 * @typedef {import('./constants').ModelName} ModelName
 * @typedef {import('./constants').MeituPeopleType} MeituPeopleType
 * @typedef {import('./constants').AspectRatio} AspectRatio
 * @typedef {import('./constants').Scale} Scale
 * @typedef {import('./constants').Resolution} Resolution
 * @typedef {import('./constants').Button} Button
 * @typedef {import('./source-fetcher').SourceFetch} SourceFetch
 * @typedef {import('./samples').SampleKind} SampleKind
 * @typedef {import('./samples').SampleSource} SampleSource
 * @typedef {import('./server').FakeAkool} FakeAkool a running fake (the type of what startFakeAkool resolves to)
 */

/**
 * Start a fake Akool (API + CDN servers on 127.0.0.1 ephemeral ports unless `port`/`cdnPort` are set).
 * Close it with `await fake.close()`.
 * @param {FakeAkoolOptions} [options]
 * @returns {Promise<FakeAkool>}
 */
function startFakeAkool(options = {}) {
	return new server.FakeAkool(options).listen();
}

/**
 * Wait on the real clock (tests of the fake cannot use timers directly: the lint rule of n8n nodes).
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	startFakeAkool,
	sleep,
	encodePng,
	readPngSize,
	imageTypeOf,
	SAMPLE_SOURCES,
	sampleSourceUrl,
	sampleAt,
	FAKE_URL,
	placeFakeUrl,
	imageSize: constants.imageSize,
	API_KEY: constants.API_KEY,
	CALLBACK_API_KEY: constants.CALLBACK_API_KEY,
	MODEL_TEXT_TO_IMAGE: constants.MODEL_TEXT_TO_IMAGE,
	MODEL_IMAGE_TO_IMAGE: constants.MODEL_IMAGE_TO_IMAGE,
	MODEL_MEITU: constants.MODEL_MEITU,
	MEITU_DEFAULT_PEOPLE_TYPE: constants.MEITU_DEFAULT_PEOPLE_TYPE,
	MODELS: constants.MODELS,
	ASPECT_RATIOS: constants.ASPECT_RATIOS,
	SCALES: constants.SCALES,
	RESOLUTIONS: constants.RESOLUTIONS,
	BUTTONS: constants.BUTTONS,
	PATHS: constants.PATHS,
};
