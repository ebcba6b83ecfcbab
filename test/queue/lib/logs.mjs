// @ts-check
/**
 * Which process ran what, from each n8n process's JSON log (N8N_LOG_FORMAT=json).
 */

/**
 * @typedef {{ kind: 'started' | 'finished' | 'enqueued', executionId: string, jobId: string, line: any }} ExecutionEvent
 * @typedef {{ logs: () => Promise<string> }} Logged
 */

/**
 * Lines "Worker started execution N (job J)", "Worker finished execution N (job J)", "Enqueued
 * execution N (job J)" of an n8n log, in order.
 * @param {string} text
 * @returns {ExecutionEvent[]}
 */
export function executionEvents(text) {
	const out = [];
	for (const raw of text.split('\n')) {
		if (!raw.startsWith('{')) continue;
		let line;
		try {
			line = JSON.parse(raw);
		} catch {
			continue;
		}
		const m = /^(?:Worker (started|finished) execution|(Enqueued) execution) (\d+) \(job (\d+)\)/.exec(String(line.message ?? ''));
		if (m) out.push({ kind: /** @type {any} */ ((m[1] ?? m[2]).toLowerCase()), executionId: m[3], jobId: m[4], line });
	}
	return out;
}

/** The execution events of a process's log so far. @param {Logged} proc */
export async function eventsOf(proc) {
	return executionEvents(await proc.logs());
}

/** Whether the process's log shows it started execution `id`. @param {Logged} proc @param {string} id */
export async function startedExecution(proc, id) {
	return (await eventsOf(proc)).some((x) => x.kind === 'started' && x.executionId === id);
}

/**
 * Executions a worker's log shows started and not finished.
 * @param {string} text
 */
export function openExecutions(text) {
	const ev = executionEvents(text);
	const started = new Set(ev.filter((x) => x.kind === 'started').map((x) => x.executionId));
	for (const x of ev) if (x.kind === 'finished') started.delete(x.executionId);
	return [...started];
}
