/** Transform from binary data when n8n keeps binary data in memory: nothing can be served, say so before any create. */
import { pngFile } from '../../../../harness/sourceFiles';
import { runAkool, useFakeAkool } from '../../../../harness/akool';

const fake = useFakeAkool();

it('refuses before any create and names N8N_DEFAULT_BINARY_DATA_MODE', async () => {
	const { error } = await runAkool(fake(), {
		parameters: {
			resource: 'image',
			operation: 'transform',
			sourceImage: 'binaryData',
			prompt: 'make it a watercolor',
			options: { pollInterval: 1, timeout: 30 },
		},
		files: [{ data: pngFile() }],
	});
	expect(error?.message).toBe('n8n keeps binary data in memory, so it cannot serve the source image to Akool');
	expect((error as { description?: string }).description).toContain('N8N_DEFAULT_BINARY_DATA_MODE');
	expect(fake().count('create')).toBe(0);
});
