/**
 * What the fake Akool's own test files share: fakes and loopback peers closed after each test, calls
 * to its API and CDN, a clock moved by hand, and a job's status and source download.
 */
import { API_KEY, PATHS, startFakeAkool } from '../fake-akool';
import type { FakeAkool, FakeAkoolOptions, SourceFetch } from '../fake-akool';
import { startReceiver, startSourceServer, until } from './fakeAkoolPeers';

/** The create call's answer. */
export interface CreateAnswer {
	code: number;
	msg: string;
	// A job, an array of jobs, or null: each test checks the shape it expects.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data: any;
}

/** Akool's JSON envelope, as any API route answers it. */
export interface Envelope {
	code: number;
	msg: string;
	// Tests read many shapes of `data` (job, array of jobs, credit, null); each assertion checks its shape.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data: any;
}

/** An API answer: its HTTP status and headers, the body as text, and parsed (code NaN when not JSON). */
export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: Envelope;
}

/** The headers of a call with the fakes' default key. */
export const KEY = { 'x-api-key': API_KEY };

/**
 * Registers an afterEach that stops, newest first, what `start`, `sourceServer`, `receiver` and
 * `onStop` started in the test. `defaults` are options of every fake started.
 */
export function closedAfterEach(defaults: FakeAkoolOptions = {}) {
	const stops: Array<() => Promise<unknown>> = [];
	afterEach(async () => {
		for (const stop of stops.splice(0).reverse()) await stop();
	});
	return {
		async start(options: FakeAkoolOptions = {}): Promise<FakeAkool> {
			const fake = await startFakeAkool({ ...defaults, ...options });
			stops.push(async () => await fake.close());
			return fake;
		},
		async sourceServer() {
			const server = await startSourceServer();
			stops.push(server.close);
			return server;
		},
		/** A callback receiver; `answer` picks the HTTP status of each POST (200 by default). */
		async receiver(answer?: (nth: number, body: Record<string, unknown>) => number) {
			const receiver = await startReceiver(answer);
			stops.push(receiver.close);
			return receiver;
		},
		onStop(stop: () => Promise<unknown>) {
			stops.push(stop);
		},
	};
}

/** A clock the test moves by hand, so the state machine and the rate limit are deterministic. */
export function manualClock(t = 1_750_000_000_000) {
	const clock = { t, now: () => clock.t, advance: (ms: number) => (clock.t += ms) };
	return clock;
}

/** Call a fake's API route; a body is sent as JSON. */
export async function call(
	fake: FakeAkool,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = KEY,
): Promise<Answer> {
	const res = await fetch(fake.baseUrl + path, {
		method,
		headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Envelope;
	try {
		json = JSON.parse(text) as Envelope;
	} catch {
		json = { code: NaN, msg: 'not JSON', data: null };
	}
	return { status: res.status, headers: res.headers, text, json };
}

export const create = async (fake: FakeAkool, body: unknown, headers?: Record<string, string>) =>
	await call(fake, 'POST', PATHS.create, body, headers);
export const result = async (fake: FakeAkool, id: string) =>
	await call(fake, 'GET', `${PATHS.result}?image_model_id=${id}`);
export const press = async (fake: FakeAkool, body: unknown) =>
	await call(fake, 'POST', PATHS.button, body);
export const quota = async (fake: FakeAkool) => await call(fake, 'GET', PATHS.credits);

/** GET a CDN (or any) URL: the answer and its bytes. */
export async function download(url: string, init?: RequestInit) {
	const res = await fetch(url, init);
	return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Create one job and move the clock past its end. */
export async function completedJob(
	fake: FakeAkool,
	clock: ReturnType<typeof manualClock>,
	body: object = {},
) {
	const made = await create(fake, { prompt: 'a red fox', ...body });
	expect(made.json.code).toBe(1000);
	clock.advance(10_000);
	return made.json.data._id as string;
}

/** POST a create body (as JSON, with the fake's key) to `baseUrl`, a fake's API. */
export async function postCreate(baseUrl: string, body: unknown, apiKey = 'test-api-key'): Promise<CreateAnswer> {
	const res = await fetch(baseUrl + PATHS.create, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
		body: JSON.stringify(body),
	});
	return (await res.json()) as CreateAnswer;
}

/** POST a create body to `fake`, with its key. */
export const createOn = async (fake: FakeAkool, body: unknown) => await postCreate(fake.baseUrl, body, fake.options.apiKey);

/** POST a create body to `fake`, with its key; it must succeed. Resolves the IDs of the jobs made. */
export async function createJobs(fake: FakeAkool, body: Record<string, unknown>): Promise<string[]> {
	const { code, data } = await createOn(fake, body);
	expect(code).toBe(1000);
	return (Array.isArray(data) ? data : [data]).map((job: { _id: string }) => job._id);
}

export const statusOf = (fake: FakeAkool, id: string) => fake.jobs.get(id)?.status;
/** For `until`: the job has ended (3 or 4). */
export const ended = (fake: FakeAkool, id: string) => () => [3, 4].includes(statusOf(fake, id) ?? 0);

/** Creates jobs from one source (and more fields); resolves their ids. */
export const createFromSource = async (fake: FakeAkool, source: string, body: Record<string, unknown> = {}) =>
	await createJobs(fake, { prompt: 'p', source_images: [source], ...body });

/** The download of a job's source. */
export const fetchOf = (fake: FakeAkool, id: string): SourceFetch | undefined => fake.sourceFetches.find((f) => f.jobId === id);

/** Creates one job from `source` and waits until it ended; returns its status and its download. */
export async function jobFrom(fake: FakeAkool, source: string) {
	const [id] = await createFromSource(fake, source);
	await until(ended(fake, id));
	return { id, status: statusOf(fake, id), record: fetchOf(fake, id) };
}
