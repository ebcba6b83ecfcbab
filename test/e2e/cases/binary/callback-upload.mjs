// @ts-check
/**
 * (d) Wait Mode Callback with a Webhook upload as the source (stored by n8n before the execution has
 * an id, under executions/temp/ in filesystem mode): n8n moves a trigger's upload when the execution
 * starts waiting, so the node signs its own copy, and Akool downloads it while the execution waits.
 */
import assert from 'node:assert/strict';

import { outputOf } from '../../lib/expect.mjs';
import { encodePng } from '../../lib/fake-akool.mjs';
import { http, multipart } from '../../lib/http.mjs';
import { createsFor, fetchesOf, jobsFor, sha256, WF } from './setup.mjs';

const CALLBACK_PATH = 'akool-binary-callback';
/** Fake job time in the callback cases: the fake downloads the source at its tenth (0.8 s), once n8n has saved the waiting execution. */
const CALLBACK_JOB_MS = 8000;

const NAMES = {
	filesystem: '(d) Wait Mode Callback with a Webhook upload as the source (filesystem mode): Akool downloads it while the execution waits',
	database: '(d) again in the database mode: Wait Mode Callback with a Webhook upload as the source; Akool downloads it while the execution waits',
};

/**
 * The upload, the waiting execution, the fake's download of the source while it waits. Returns what
 * the fake fetched. @param {import('./setup.mjs').BinaryEnv} env @param {string} label
 */
async function callbackRun(env, label) {
	const { db, fake } = env;
	const png = encodePng(200, 150, { seed: 40 + label.length });
	const prompt = `binary e2e: callback, ${label}`;
	await fake.setOptions({ durationMs: CALLBACK_JOB_MS });
	try {
		const before = new Set((await db.executions(WF.callback)).map((r) => r.id));
		const answer = await http(`${env.server?.url}/webhook/${CALLBACK_PATH}`, {
			method: 'POST',
			body: multipart({ upload: { bytes: png, name: 'upload.png', type: 'image/png' }, label }),
		});
		assert.equal(answer.status, 200, `webhook answer ${answer.status} ${answer.text.slice(0, 300)}`);
		// the execution saved as waiting (or already over, if it was missed between two reads)
		const started = await db.until(async () => {
			const found = (await db.executions(WF.callback)).find((r) => !before.has(r.id));
			return found && found.status !== 'new' && found.status !== 'running' ? found : undefined;
		}, 30_000, 'the execution to wait');
		// the URL Akool got must still work while the execution waits: that is when Akool downloads
		const [create] = await createsFor(env, new RegExp(`^${prompt}$`));
		const signedUrl = String(create?.body?.source_images?.[0]);
		if (started.status === 'waiting') {
			const whileWaiting = await http(signedUrl);
			assert.equal(whileWaiting.status, 200, `the signed URL while the execution waits: HTTP ${whileWaiting.status} (${signedUrl.replace(/token=.*/, 'token=…')})`);
			assert.equal(sha256(whileWaiting.body), sha256(png));
		}
		const row = await db.finished(WF.callback, started.id, CALLBACK_JOB_MS + 30_000);
		const { data } = await db.execution(row.id);
		const [job] = await jobsFor(env, new RegExp(`^${prompt}$`));
		assert.ok(job, 'a job');
		const [fetched] = await fetchesOf(env, [job]);
		const what = `the fake's download of the source from ${String(fetched?.url).replace(/token=.*/, 'token=…')}: ${fetched?.error ?? `HTTP ${fetched?.httpStatus}`}; execution ${row.status}; Akool output ${JSON.stringify(outputOf(data, 'Akool').map((i) => i.json.status ?? i.json.error))}`;
		assert.equal(fetched?.httpStatus, 200, what);
		assert.equal(fetched?.sha256, sha256(png), 'the uploaded bytes');
		assert.equal(row.status, 'success', what);
		const [item] = outputOf(data, 'Akool');
		assert.equal(item?.json?.status, 'completed', what);
		assert.equal(item.binary?.data?.mimeType, 'image/png');
		return what;
	} finally {
		await fake.setOptions({ durationMs: [600, 1200] });
	}
}

/** @param {import('./setup.mjs').BinaryEnv} env @param {'filesystem' | 'database'} mode the binary data mode n8n runs in */
export async function callbackUploadCase(env, mode) {
	await env.suite.case(NAMES[mode], async () => {
		env.suite.measured(`Wait Mode Callback, Webhook upload, ${mode} mode: ${await callbackRun(env, mode)}`);
	});
}
