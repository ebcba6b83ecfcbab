/**
 * The Akool Trigger's webhook(), in-process the way n8n 2.41.1 runs a production webhook
 * (webhook.service.js `runWebhook`: n8n-core's WebhookContext with the HTTP request and response in
 * the additional data, no run data). Callbacks are signed and encrypted by
 * test/fake-akool/callbacks.js; images come from the fake's CDN.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeType } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { AkoolApi } from '../../../credentials/AkoolApi.credentials';
import { AkoolTrigger } from '../../../nodes/AkoolTrigger/AkoolTrigger.node';
import { CALLBACK_API_KEY as KEY, imageSize, readPngSize, sleep } from '../../fake-akool';
import { callbackBody } from '../../fake-akool/callbacks';
import { useFakeAkool } from '../../harness/akool';
import { callWebhook } from '../../harness/webhook';

const CLIENT_ID = 'client-trigger-1';
const SECRETS = { apiKey: KEY, clientId: CLIENT_ID };
const TRIGGER_TYPE = 'n8n-nodes-akool.akoolTrigger';

const fake = useFakeAkool({ apiKey: KEY, durationMs: 50 });

interface Answer {
	status: number;
	body: unknown;
	started?: Array<{ json: IDataObject; binary?: IDataObject }>;
}

async function post(
	body: unknown,
	{ parameters = {}, cred = {} }: { parameters?: IDataObject; cred?: ICredentialDataDecryptedObject } = {},
): Promise<Answer> {
	const trigger = new AkoolTrigger();
	const types: Record<string, INodeType> = { [TRIGGER_TYPE]: trigger };
	const node = {
		id: 'trigger-1',
		name: 'Akool Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { akoolApi: { id: 'cred-1', name: 'Akool account' } },
	} as INode;
	const workflow = new Workflow({
		id: 'wf-trigger',
		name: 'trigger',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: {
			getByName: (type: string) => types[type],
			getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(types[type], version),
			getKnownTypes: () => ({}),
		},
		settings: { executionOrder: 'v1' },
	});
	const answer = await callWebhook({
		workflow,
		nodeName: node.name,
		nodeType: trigger,
		credentialType: new AkoolApi(),
		credential: { apiKey: KEY, baseUrl: fake().baseUrl, clientId: CLIENT_ID, ...cred },
		body,
		path: 'akool',
		mode: 'webhook',
	});
	return { status: answer.status, body: answer.body, started: answer.workflowData as Answer['started'] };
}

async function completedJob(): Promise<string> {
	const res = await fetch(`${fake().baseUrl}/api/open/v4/content/image/createBySourcePrompt`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': KEY },
		body: JSON.stringify({ prompt: 'p', scale: '16:9', resolution: '1080p' }),
	});
	const id = ((await res.json()) as { data: { _id: string } }).data._id;
	while (fake().jobs.get(id)?.status !== 3) await sleep(20);
	return id;
}

describe('Akool Trigger', () => {
	it('starts the workflow with one item and the downloaded image for a verified completed callback', async () => {
		const id = await completedJob();
		const answer = await post(callbackBody({ _id: id, status: 3, type: 'image', url: fake().imageUrl(id) }, SECRETS));
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ message: 'ok' });
		expect(answer.started).toHaveLength(1);
		const [item] = answer.started ?? [];
		expect(item.json).toEqual({ jobId: id, status: 'completed', statusCode: 3, type: 'image', imageUrl: fake().imageUrl(id) });
		const binary = item.binary?.data as IDataObject;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: `akool-${id}.png` });
		expect(readPngSize(Buffer.from(String(binary.data), 'base64'))).toEqual(imageSize('16:9', '1080p'));
		// The CDN got no credentials.
		const cdn = fake().requests.filter((request) => request.host === 'cdn');
		expect(cdn).toHaveLength(1);
		expect(cdn[0].headers['x-api-key']).toBeUndefined();
		expect(cdn[0].headers.authorization).toBeUndefined();
		expect(fake().count('result')).toBe(0);
	});

	it('starts with a failed job (no image, nothing downloaded)', async () => {
		const answer = await post(callbackBody({ _id: 'job-4', status: 4, type: 'image' }, SECRETS));
		expect(answer.started?.map((item) => [item.json, item.binary])).toEqual([
			[{ jobId: 'job-4', status: 'failed', statusCode: 4, type: 'image', imageUrl: null }, undefined],
		]);
		expect(fake().count()).toBe(0);
	});

	it('acknowledges and ignores statuses not selected (processing by default); starts on them when selected', async () => {
		const processing = () => callbackBody({ _id: 'job-2', status: 2, type: 'image' }, SECRETS);
		expect(await post(processing())).toEqual({ status: 200, body: { message: 'ignored: status not selected' }, started: undefined });
		const onlyFailed = await post(
			callbackBody({ _id: 'job-3', status: 3, type: 'image', url: 'http://127.0.0.1:9/x.png' }, SECRETS),
			{ parameters: { statuses: ['4'] } },
		);
		expect(onlyFailed.started).toBeUndefined();
		const selected = await post(processing(), { parameters: { statuses: ['2'] } });
		expect(selected.started?.[0].json).toEqual({ jobId: 'job-2', status: 'processing', statusCode: 2, type: 'image', imageUrl: null });
	});

	it('does not download when Download Image is off', async () => {
		const id = await completedJob();
		const answer = await post(callbackBody({ _id: id, status: 3, type: 'image', url: fake().imageUrl(id) }, SECRETS), {
			parameters: { downloadImage: false },
		});
		expect(answer.started?.[0].binary).toBeUndefined();
		expect(answer.started?.[0].json.imageUrl).toBe(fake().imageUrl(id));
		expect(fake().count('download')).toBe(0);
	});

	it('rejects forged, garbled, stale and unsigned callbacks with 4xx and starts nothing, leaking nothing', async () => {
		const good = callbackBody({ _id: 'j', status: 3, type: 'image', url: 'http://127.0.0.1:9/x.png' }, SECRETS);
		const cases: Array<[unknown, number, string]> = [
			[{ ...good, signature: '0'.repeat(40) }, 401, 'rejected: bad signature'],
			[{ ...good, nonce: `${good.nonce}x` }, 401, 'rejected: bad signature'],
			[callbackBody({ _id: 'j', status: 3 }, SECRETS, { timestamp: Date.now() - 11 * 60_000 }), 401, 'rejected: stale'],
			[callbackBody({ _id: 'j', status: 3 }, SECRETS, { timestamp: Date.now() + 11 * 60_000 }), 401, 'rejected: stale'],
			[callbackBody('PLAINTEXT not json', SECRETS), 400, 'rejected: undecryptable'],
			[{ dataEncrypt: good.dataEncrypt }, 400, 'rejected: malformed'],
			['signature=x', 400, 'rejected: malformed'],
			[{}, 400, 'rejected: malformed'],
		];
		for (const [body, status, message] of cases) {
			const answer = await post(body);
			expect(answer).toEqual({ status, body: { message } });
			for (const secret of [KEY, CLIENT_ID, 'PLAINTEXT']) expect(JSON.stringify(answer)).not.toContain(secret);
		}
		expect(fake().count()).toBe(0);
	});

	it('answers 401 saying what is missing when the credential cannot verify callbacks, never throwing (n8n would save a failed execution)', async () => {
		const body = callbackBody({ _id: 'j', status: 4 }, SECRETS);
		expect(await post(body, { cred: { clientId: '' } })).toEqual({
			status: 401,
			body: { message: 'rejected: The Akool credential has no Client ID, needed to verify callbacks' },
		});
		expect(await post(body, { cred: { apiKey: 'short-key' } })).toEqual({
			status: 401,
			body: { message: 'rejected: The Akool API key cannot decrypt callbacks' },
		});
	});

	it('declares responseData \'\' so that n8n answers its {"message":"ok"} (n8n 2.41.1 answers the text "firstEntryJson" otherwise)', () => {
		// n8n's extractWebhookOnReceivedResponse returns responseData when it is truthy, and its default is 'firstEntryJson'.
		expect(new AkoolTrigger().description.webhooks?.[0]).toMatchObject({ responseMode: 'onReceived', responseData: '' });
	});

	it('fails the callback (n8n answers 500, Akool retries) when the image cannot be downloaded', async () => {
		fake().plan('download', [{ status: 404, always: true }]);
		const id = await completedJob();
		await expect(
			post(callbackBody({ _id: id, status: 3, type: 'image', url: fake().imageUrl(id) }, SECRETS)),
		).rejects.toThrow();
	});
});
