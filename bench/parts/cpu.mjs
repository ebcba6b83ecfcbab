// @ts-check
/**
 * Part `cpu`: the node's own CPU per image in n8n-core's engine with an instant fake, measured by
 * bench/engine-cpu.mjs in a child process (its own N8N_USER_FOLDER); its JSON line is the result.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { projectRoot } from '../../scripts/e2e/n8n.mjs';
import { W1 } from '../lib/settings.mjs';
import { log } from '../lib/util.mjs';

/** @param {string} userFolder */
function engineCpu(userFolder) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(projectRoot, 'bench', 'engine-cpu.mjs'), '--items', String(W1.items), '--images', String(W1.images), '--runs', '3'], {
			cwd: projectRoot,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'silent' },
		});
		let out = '';
		child.stdout.on('data', (b) => (out += b.toString('utf8')));
		child.stderr.on('data', (b) => process.stderr.write(b));
		const timer = setTimeout(() => {
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 180_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				/* gone */
			}
			if (code !== 0) return reject(new Error(`bench/engine-cpu.mjs exited ${code}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
			} catch (error) {
				reject(error);
			}
		});
	});
}

/** @param {{ tmpDir: string }} ctx @returns {Promise<any>} the engine CPU figures */
export async function cpu(ctx) {
	log('engine CPU: the node in n8n-core with an instant fake (20 items x 4 images, 1 warm-up + 3 runs)');
	return await engineCpu(path.join(ctx.tmpDir, 'engine-user'));
}
