// @ts-check
// Runs before every test file. n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config with an
// encryption key the first time it is touched: keep that out of the user's home, in a throwaway folder.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'akool-n8n-test-'));
}
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key';
// n8n's logger would print every node error of the failure tests.
process.env.N8N_LOG_LEVEL ??= 'silent';
