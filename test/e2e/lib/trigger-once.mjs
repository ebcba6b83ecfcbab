// @ts-check
/**
 * What the real-n8n checks of "the Akool Trigger starts once per job and status" share (the e2e
 * suite test/e2e/trigger-once.mjs with `n8n start`, test/queue/trigger-once.mjs with two webhook
 * processes): the workflow (Akool Trigger → Received), jobs made at the fake Akool with the trigger
 * as webhook, copies of a callback POSTed at once, and what each execution of the workflow passed on.
 */
import { AKOOL_CREDENTIAL_TYPE, AKOOL_TRIGGER_TYPE, until } from '../../../scripts/e2e/n8n.mjs';
import { PATHS } from './fake-akool.mjs';
import { http, post } from './http.mjs';

export const DUPLICATE = 'ignored: already started the workflow';

/**
 * The workflow: Akool Trigger (default statuses: completed and failed) → Received (n8n's No Op).
 * @param {{ id: string, webhookId: string, credential: { id: string, name: string } }} o
 */
export function triggerWorkflow({ id, webhookId, credential }) {
	return {
		id,
		name: `trigger once ${id}`,
		active: false,
		nodes: [
			{
				id: `${webhookId}-node`,
				name: 'Akool Trigger',
				type: AKOOL_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: {},
				credentials: { [AKOOL_CREDENTIAL_TYPE]: { ...credential } },
			},
			{ id: `${webhookId}-received`, name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'Akool Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The trigger's production URL under an n8n base URL (with or without its final slash). @param {string} base @param {string} webhookId */
export const triggerUrl = (base, webhookId) => `${base.replace(/\/$/, '')}/webhook/${webhookId}/akool`;

/**
 * Creates one job a prompt at the fake Akool, each with `webhookUrl` as its webhook.
 * @param {import('../../../scripts/e2e/n8n.mjs').FakeAkool} fake @param {string} apiKey @param {string} webhookUrl @param {string[]} prompts
 * @returns {Promise<string[]>} the job IDs
 */
export async function createJobs(fake, apiKey, webhookUrl, prompts) {
	return await Promise.all(
		prompts.map(async (prompt) => {
			const body = { prompt, scale: '1:1', resolution: '1080p', webhookurl: webhookUrl };
			const answer = await http(fake.baseUrl + PATHS.create, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify(body) });
			return String(answer.json.data._id);
		}),
	);
}

/**
 * The final callbacks of `jobIds` once the fake has delivered them all (answered 200).
 * @param {import('../../../scripts/e2e/n8n.mjs').FakeAkool} fake @param {string[]} jobIds
 * @returns {Promise<any[]>}
 */
export async function deliveredFinals(fake, jobIds) {
	return await until(
		async () => {
			const finals = (await fake.callbacks()).filter((d) => jobIds.includes(d.jobId) && d.status !== 2);
			return finals.length === jobIds.length && finals.every((d) => d.state === 'delivered') ? finals : undefined;
		},
		90_000,
		`the final callbacks of ${jobIds.length} jobs to be delivered`,
		500,
	);
}

/**
 * POSTs `copies` copies of a body at once: each answer's status and `message`.
 * @param {string} url @param {unknown} body @param {number} copies
 * @returns {Promise<Array<{ status: number, message: string }>>}
 */
export async function postCopies(url, body, copies) {
	const one = async () => {
		const answer = await post(url, body);
		return { status: answer.status, message: answer.json?.message ?? answer.text };
	};
	return await Promise.all(Array.from({ length: copies }, one));
}

/**
 * @typedef {{ id: string, status: string, passedOn: string[], received: boolean }} TriggerRun
 *   an execution of the workflow: the job IDs the trigger passed on, and whether Received ran
 */

/**
 * The workflow's executions once none is running: what each passed on.
 * @param {import('../../../scripts/e2e/n8n.mjs').N8nDb} db @param {string} workflowId
 * @returns {Promise<TriggerRun[]>}
 */
export async function triggerRuns(db, workflowId) {
	const rows = await until(
		async () => {
			const all = await db.find({ workflowIds: [workflowId], withData: true });
			return all.every((row) => !['new', 'running'].includes(row.status)) ? all : undefined;
		},
		60_000,
		'the trigger’s executions to end',
		500,
	);
	return rows.map((row) => ({
		id: row.id,
		status: row.status,
		passedOn: (row.nodes?.['Akool Trigger']?.[0]?.items ?? []).map((item) => String(item.json.jobId)),
		received: Boolean(row.nodes?.Received),
	}));
}

/** How many executions passed each job on to Received. @param {TriggerRun[]} runs */
export function receivedPerJob(runs) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const run of runs.filter((r) => r.received)) for (const jobId of run.passedOn) counts[jobId] = (counts[jobId] ?? 0) + 1;
	return counts;
}
