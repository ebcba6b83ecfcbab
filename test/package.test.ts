/**
 * The BUILT package, loaded the way n8n loads an installed community package (n8n-core's
 * PackageDirectoryLoader reads package.json's "n8n" block and dist/), then run in the engine.
 * `npm test` builds first.
 */
import type { INodeType } from 'n8n-workflow';

import { imageSize, readPngSize, startFakeAkool } from './fake-akool';
import { generateParameters, runAkool } from './harness/akool';
import { loadBuiltPackage } from './harness/engine';
import { packageRoot } from './harness/paths';

describe('the built package', () => {
	it('is found by n8n’s loader: the node with its codex and icons, and the credential', async () => {
		const loader = await loadBuiltPackage(packageRoot);
		expect(loader.packageName).toBe('n8n-nodes-akool');
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['akool', 'akoolTrigger']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['akoolApi']);
		const description = (loader.getNode('akool').type as INodeType).description;
		expect(description.usableAsTool).toBe(true);
		expect(description.webhooks?.map((webhook) => webhook.restartWebhook)).toEqual([true]);
		const trigger = (loader.getNode('akoolTrigger').type as INodeType).description;
		expect(trigger.group).toEqual(['trigger']);
		expect(trigger.credentials?.map((credential) => credential.name)).toEqual(['akoolApi']);
		expect(description.codex?.categories).toEqual(['AI', 'Marketing']);
		expect(description.iconUrl).toEqual({
			light: 'icons/n8n-nodes-akool/dist/nodes/Akool/akool.svg',
			dark: 'icons/n8n-nodes-akool/dist/nodes/Akool/akool.dark.svg',
		});
	});

	it('generates an image from dist/ in the engine', async () => {
		const loader = await loadBuiltPackage(packageRoot);
		const fake = await startFakeAkool({ durationMs: 200 });
		try {
			const { output, error } = await runAkool(fake, {
				parameters: generateParameters({ aspectRatio: '3:2' }),
				types: { node: loader.getNode('akool').type as INodeType, credential: loader.getCredential('akoolApi').type },
			});
			expect(error).toBeUndefined();
			expect(readPngSize(Buffer.from(output[0].binary?.data.data ?? '', 'base64'))).toEqual(imageSize('3:2', '1080p'));
		} finally {
			await fake.close();
		}
	});
});
