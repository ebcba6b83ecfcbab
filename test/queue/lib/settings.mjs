// @ts-check
/**
 * The queue suite's fixed settings: the credential, the load's shape, the queue settings the suite
 * recommends, and the workflows' IDs and webhook paths.
 */

// The credential: a 24-character API key (AES-192 for the callbacks) and a Client ID.
export const API_KEY = 'queueE2eKey-24chars-abcd';
export const CLIENT_ID = 'queue-e2e-client-01';
export const CRED = { id: 'akoolQueueCred01', name: 'Akool (queue e2e fake)' };
export const WORKER_CONCURRENCY = 5;
export const EXECUTIONS = 10;
export const PROMPTS = 5;
export const IMAGES_PER_PROMPT = 2;
export const DB_KIND = process.env.AKOOL_QUEUE_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The fake's job duration between cases (ms); a case that changes it puts this back. */
export const USUAL_JOB_DURATION = [2000, 5000];

/** The settings this suite recommends for the Akool node on a queue-mode n8n (see the crash cases). */
export const CRASH_SETTINGS = {
	// removed in n8n 2.0 and ignored (Bull's maxStalledCount is hard-wired to 0): set on purpose, to
	// prove a configuration carried over from n8n 1.x does not bring the re-run (and the double pay) back
	QUEUE_WORKER_MAX_STALLED_COUNT: '3',
	// a dead worker's jobs are found stalled within lock duration + stalled interval (defaults 60 s + 30 s)
	QUEUE_WORKER_LOCK_DURATION: '20000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	// a worker told to stop (SIGTERM: deploys, scale-in) finishes its running executions for up to this
	// long, then exits as if it crashed (default 30 s, shorter than an Akool wait): the graceful-stop case
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '90',
};

/** CRASH_SETTINGS as `K=V K=V ...`, as the output names them. */
export const CRASH_SETTINGS_TEXT = Object.entries(CRASH_SETTINGS).map(([k, v]) => `${k}=${v}`).join(' ');

export const WF = {
	load: 'akoolQueueLoad01',
	getResult: 'akoolQueueGetRes1',
	callback: 'akoolQueueCallbk1',
	binary: 'akoolQueueBinary1',
	callbackSize: 'akoolQueueCbSize1',
};
export const PATHS = {
	load: 'akool-queue-load',
	getResult: 'akool-queue-get-result',
	callback: 'akool-queue-callback',
	binary: 'akool-queue-binary',
	callbackSize: 'akool-queue-callback-size',
};

/** The callbacks-at-size case: more jobs than the execution's custom data could keep (about 90). */
export const SIZE_ITEMS = 50;
export const SIZE_IMAGES_PER_ITEM = 4;
