/**
 * The one fixture for running the Akool node: a workflow Start → Items → Akool in n8n's real engine,
 * against a fake Akool the test started. Tests say what they vary (parameters, items, credential).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INodeType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
} from 'n8n-workflow';

import { AkoolApi } from '../../credentials/AkoolApi.credentials';
import { Akool } from '../../nodes/Akool/Akool.node';
import { API_KEY, startFakeAkool, type FakeAkool, type FakeAkoolOptions } from '../fake-akool';
import { ItemsSource, outputOf, startWorkflow, TRIGGER_TYPE, type TestFile } from './engine';

export const AKOOL_TYPE = 'n8n-nodes-akool.akool';
export const ITEMS_TYPE = 'test.items';

export interface AkoolRun {
	run: IRun;
	/** The Akool node's output items. */
	output: INodeExecutionData[];
	/** The execution's error, when it failed. */
	error: IRun['data']['resultData']['error'];
	/** How many times the run had the credential decrypted. */
	credentialReads: number;
}

export interface AkoolRunOptions {
	/** The Akool node's parameters. */
	parameters: IDataObject;
	/** Input items of the Akool node (json); one empty item when absent. */
	items?: IDataObject[];
	/** The items' binary data: one `{ property: file }` per item (or undefined for none). */
	files?: Array<Record<string, TestFile> | undefined>;
	/** n8n's address as the node sees it, e.g. a signed-URL server's (test/harness/binaryData.js). */
	instanceBaseUrl?: string;
	continueOnFail?: boolean;
	/** The Akool node's version (1 by default: the version existing workflows have). */
	typeVersion?: number;
	/** Credential data; by default the fake's key and base URL. */
	credential?: ICredentialDataDecryptedObject;
	/** Called right after the workflow starts, e.g. to cancel it. */
	onStart?: (cancel: () => void) => void;
	/** The node and credential to run; by default the TypeScript sources (the package test passes dist's). */
	types?: { node: INodeType; credential: ICredentialType };
}

function node(name: string, type: string, parameters: IDataObject, position: number, extra: Partial<INode> = {}): INode {
	return { id: name, name, type, typeVersion: 1, position: [position * 200, 0], parameters, ...extra } as INode;
}

function chain(names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * The nodes and connections of Start → Items → Akool: `items` (and their `files`) out of Items, the
 * Akool node with `parameters` and the credential `akoolApi` (and `akool`, more of its settings).
 */
export function akoolWorkflow(
	parameters: IDataObject,
	items: IDataObject[],
	files: AkoolRunOptions['files'] = [],
	akool: Partial<INode> = {},
): { nodes: INode[]; connections: IConnections } {
	return {
		nodes: [
			node('Start', TRIGGER_TYPE, {}, 0),
			node('Items', ITEMS_TYPE, { items: JSON.stringify(items), files: JSON.stringify(files) }, 1),
			node('Akool', AKOOL_TYPE, parameters, 2, { credentials: { akoolApi: { id: 'cred-1', name: 'Akool account' } }, ...akool }),
		],
		connections: chain(['Start', 'Items', 'Akool']),
	};
}

/** Runs Start → Items → Akool once and returns the Akool node's output. */
export async function runAkool(fake: FakeAkool, options: AkoolRunOptions): Promise<AkoolRun> {
	const { promise, cancel, credentialsHelper } = startWorkflow({
		nodeTypes: { [AKOOL_TYPE]: options.types?.node ?? new Akool(), [ITEMS_TYPE]: new ItemsSource() },
		...akoolWorkflow(options.parameters, options.items ?? [{}], options.files, {
			...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			...(options.typeVersion ? { typeVersion: options.typeVersion } : {}),
		}),
		credentialTypes: { akoolApi: options.types?.credential ?? new AkoolApi() },
		credentials: { akoolApi: options.credential ?? { apiKey: API_KEY, baseUrl: fake.baseUrl, clientId: '' } },
		instanceBaseUrl: options.instanceBaseUrl,
	});
	options.onStart?.(cancel);
	const run = await promise;
	return { run, output: outputOf(run, 'Akool'), error: run.data.resultData.error, credentialReads: credentialsHelper.decryptions };
}

/** Parameters of a fast Generate: 1080p, short polls; override what the test is about. */
export function generateParameters(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'image',
		operation: 'generate',
		prompt: 'a lighthouse at dusk',
		aspectRatio: '1:1',
		resolution: '1080p',
		numberOfImages: 1,
		...overrides,
		options: { pollInterval: 1, timeout: 30, ...((overrides.options as IDataObject) ?? {}) },
	};
}

/** A fake Akool for one test file: started before its tests, closed after, records cleared between tests. */
export function useFakeAkool(options: FakeAkoolOptions = {}): () => FakeAkool {
	let fake: FakeAkool | undefined;
	beforeAll(async () => {
		fake = await startFakeAkool({ durationMs: [200, 400], ...options });
	});
	afterEach(() => fake?.reset());
	afterAll(async () => {
		await fake?.close();
	});
	return () => {
		if (!fake) throw new Error('the fake Akool is not started');
		return fake;
	};
}
