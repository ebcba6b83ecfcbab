/**
 * What the fake's own test files share: fakes and loopback peers closed after each test, a create
 * call, and a job's status.
 */
import { MEITU_DEFAULT_PEOPLE_TYPE, MODEL_MEITU, PATHS, startFakeAkool } from '../fake-akool';
import type { FakeAkool, FakeAkoolOptions } from '../fake-akool';
import { startSourceServer } from './test-peers';

/** The create call's answer. */
export interface CreateAnswer {
	code: number;
	msg: string;
	// A job, an array of jobs, or null: each test checks the shape it expects.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data: any;
}

/**
 * Registers an afterEach that stops, newest first, what `start`, `sourceServer` and `onStop`
 * started in the test. `defaults` are options of every fake started.
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
		onStop(stop: () => Promise<unknown>) {
			stops.push(stop);
		},
	};
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

export const statusOf = (fake: FakeAkool, id: string) => fake.jobs.get(id)?.status;
/** For `until`: the job has ended (3 or 4). */
export const ended = (fake: FakeAkool, id: string) => () => [3, 4].includes(statusOf(fake, id) ?? 0);

export type Json = Record<string, unknown>;
/** A fresh, editable copy of the five documented people_type entries. */
export const people = (): Json[] => structuredClone(MEITU_DEFAULT_PEOPLE_TYPE) as unknown as Json[];
export const SOURCE = 'https://photos.example.com/portrait.jpg';

/** A valid Meitu body (the docs' example), with `parameter` and top-level fields overridden. */
export function meituBody(over: Json = {}, parameter: Json = {}): Json {
	return {
		model_name: MODEL_MEITU,
		source_images: [SOURCE],
		parameter: {
			people_type: people(),
			all_params: { exposure: 20, saturability: 10, remove_pouch: [30, 30, 30, 30, 30] },
			...parameter,
		},
		batch_quantity: 1,
		...over,
	};
}
