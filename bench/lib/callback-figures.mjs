// @ts-check
/**
 * A `cb` run (the node waiting by callback, resumed by an `n8n start`): its result read from n8n's
 * database once it has finished, and where the time goes once the last job is final.
 */

/** n8n's database times: ISO strings, or sqlite's 'YYYY-MM-DD HH:MM:SS.SSS' in UTC. @param {unknown} t */
function parseDbTime(t) {
	if (t instanceof Date) return t.getTime();
	const text = String(t ?? '');
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * A `cb` run: `n8n execute` saved the execution as waiting and exited; the server resumes it when
 * the callbacks come. The run's figures come from the database once it has finished.
 * @param {import('../../scripts/e2e/n8n.mjs').N8nDb} db @param {string} workflowId @param {Set<string>} before execution IDs that existed before
 * @param {import('../../scripts/e2e/n8n.mjs').ExecuteResult} waited what `n8n execute` printed
 * @param {number} timeoutMs
 */
export async function resumedResult(db, workflowId, before, waited, timeoutMs) {
	const row = await db.until(async () => (await db.executions(workflowId)).find((x) => !before.has(x.id)), 30_000, 'the waiting execution', 2000);
	// read every 2 s: each read is a Node process, which would weigh on the run being measured
	const done = await db.finished(workflowId, row.id, timeoutMs, { everyMs: 2000 });
	const { data } = await db.execution(row.id);
	return {
		...waited,
		status: done.status,
		startedAt: new Date(parseDbTime(done.startedAt)).toISOString(),
		stoppedAt: new Date(parseDbTime(done.stoppedAt)).toISOString(),
		runData: data?.resultData?.runData ?? {},
		error: data?.resultData?.error,
		lastNodeExecuted: data?.resultData?.lastNodeExecuted,
		statusWhenExecuteExited: waited.status,
	};
}

/**
 * Where the time goes once the last job is final, in a `cb` run, from the fake's callback log:
 * n8n's part (from the resuming callback's arrival to the node's first request; from the node's
 * answer to n8n's stoppedAt) apart from the node's (its reads and downloads inside webhook()).
 * @param {any[]} deliveries the fake's /__callbacks @param {any[]} requests the fake's /__requests @param {number} stoppedAt
 */
export function callbackFigures(deliveries, requests, stoppedAt) {
	const finals = deliveries.filter((d) => d.status === 3 || d.status === 4);
	const attempts = deliveries.flatMap((d) => d.attempts);
	/** @type {Record<string, number>} */
	const answers = {};
	for (const a of attempts) answers[String(a.httpStatus ?? 'none')] = (answers[String(a.httpStatus ?? 'none')] ?? 0) + 1;
	const resuming = finals.flatMap((d) => d.attempts).find((a) => /"resumed"/.test(String(a.response)));
	const figures = { callbacks: deliveries.length, final_callbacks: finals.length, callback_attempts: attempts.length, answers, resumed_by_callback: Boolean(resuming) };
	if (!resuming) return figures;
	const lastFinalAt = Math.max(...finals.map((d) => d.attempts[0]?.at ?? 0));
	const after = requests.filter((q) => q.at >= resuming.at && q.at <= resuming.doneAt).map((q) => q.at);
	const nodeStartedAt = after.length ? Math.min(...after) : resuming.doneAt;
	const resumeIn = nodeStartedAt - resuming.at;
	const resumeOut = stoppedAt - resuming.doneAt;
	return {
		...figures,
		last_final_to_resuming_callback_s: (resuming.at - lastFinalAt) / 1000,
		n8n_resume_in_s: resumeIn / 1000,
		node_resume_work_s: (resuming.doneAt - nodeStartedAt) / 1000,
		n8n_resume_out_s: resumeOut / 1000,
		n8n_resume_latency_s: (resumeIn + resumeOut) / 1000,
		last_final_to_stop_s: (stoppedAt - lastFinalAt) / 1000,
	};
}
