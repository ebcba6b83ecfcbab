// @ts-check
/**
 * The fake's logs of one run: where the reads and the wall time go.
 */

/**
 * @param {any[]} requests the fake's /__requests
 * @param {any[]} jobs the fake's /__jobs
 * @param {number} startedAt @param {number} stoppedAt n8n's own execution start and stop (ms)
 */
export function analyse(requests, jobs, startedAt, stoppedAt) {
	const creates = requests.filter((r) => r.kind === 'create');
	const reads = requests.filter((r) => r.kind === 'result');
	const downloads = requests.filter((r) => r.kind === 'download' && r.status === 200);
	if (jobs.length === 0 || creates.length === 0) return null;
	const firstCreate = Math.min(...creates.map((r) => r.at));
	const lastCreateAnswered = Math.max(...creates.map((r) => r.doneAt ?? r.at));
	const firstReady = Math.min(...jobs.map((j) => j.urlAt));
	const lastJob = jobs.reduce((a, b) => (b.urlAt > a.urlAt ? b : a));
	/** @type {Map<string, any[]>} */
	const readsByJob = new Map();
	for (const r of reads) {
		const id = r.query?.image_model_id;
		if (!readsByJob.has(id)) readsByJob.set(id, []);
		readsByJob.get(id)?.push(r);
	}
	/** first read that saw the job completed with its URL */
	const seenAt = (/** @type {any} */ job) => (readsByJob.get(job.id) ?? []).find((r) => r.code === 1000 && r.at >= job.urlAt)?.at;
	const delays = [];
	let readsEarly = 0; // reads of a job before its image was ready
	let readsAfterSeen = 0; // reads of a job after a read had already seen it finished
	for (const job of jobs) {
		const seen = seenAt(job);
		if (seen !== undefined) delays.push(seen - job.urlAt);
		for (const r of readsByJob.get(job.id) ?? []) {
			if (r.at < job.urlAt) readsEarly++;
			else if (seen !== undefined && r.at > seen) readsAfterSeen++;
		}
	}
	const lastSeen = seenAt(lastJob);
	const lastDownload = downloads.length ? Math.max(...downloads.map((r) => r.doneAt ?? r.at)) : undefined;
	const lastJobDownload = downloads.find((r) => r.path.includes(lastJob.id));
	/** reads per 1-second bucket of the run (peak), to show bursts */
	const buckets = new Map();
	for (const r of requests.filter((x) => x.host === 'api')) buckets.set(Math.floor(r.at / 1000), (buckets.get(Math.floor(r.at / 1000)) ?? 0) + 1);
	return {
		reads_before_first_ready: reads.filter((r) => r.at < firstReady).length,
		reads_after_first_ready: reads.filter((r) => r.at >= firstReady).length,
		reads_of_unready_jobs: readsEarly,
		reads_after_seen_finished: readsAfterSeen,
		reads_answered_1005: reads.filter((r) => r.code === 1005).length,
		detect_delay_mean_s: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length / 1000 : null,
		detect_delay_max_s: delays.length ? Math.max(...delays) / 1000 : null,
		last_job_detect_delay_s: lastSeen !== undefined ? (lastSeen - lastJob.urlAt) / 1000 : null,
		last_job_reads: (readsByJob.get(lastJob.id) ?? []).length,
		// wall = start_to_first_create + first_create_to_last_ready + last_job_detect_delay + last_seen_to_stop
		start_to_first_create_s: (firstCreate - startedAt) / 1000,
		creates_span_s: (lastCreateAnswered - firstCreate) / 1000,
		first_create_to_last_ready_s: (lastJob.urlAt - firstCreate) / 1000,
		last_seen_to_stop_s: lastSeen !== undefined ? (stoppedAt - lastSeen) / 1000 : null,
		last_seen_to_its_download_s: lastSeen !== undefined && lastJobDownload ? (lastJobDownload.at - lastSeen) / 1000 : null,
		last_download_duration_s: lastJobDownload ? ((lastJobDownload.doneAt ?? lastJobDownload.at) - lastJobDownload.at) / 1000 : null,
		last_download_to_stop_s: lastDownload !== undefined ? (stoppedAt - lastDownload) / 1000 : null,
		peak_api_requests_per_s: Math.max(0, ...buckets.values()),
	};
}
