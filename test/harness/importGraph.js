// @ts-check
// Plain JS: the lint rules for TypeScript files forbid node:fs, node:path and __dirname.
/**
 * The relative imports of the node's TypeScript sources, as a graph of paths relative to nodes/
 * (`Akool/engine/runJobs.ts` → [`shared/timing.ts`, ...]); a folder import resolves to its index.ts.
 */
const fs = require('node:fs');
const path = require('node:path');
const { packageRoot } = require('./paths');

const nodesDir = path.join(packageRoot, 'nodes');

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
	);
}

/** @returns {Map<string, string[]>} */
function nodeImportGraph() {
	/** @type {Map<string, string[]>} */
	const graph = new Map();
	for (const file of sourceFiles(nodesDir)) {
		const imports = [...fs.readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) =>
			path.relative(nodesDir, path.resolve(path.dirname(file), match[1])),
		);
		graph.set(path.relative(nodesDir, file), imports);
	}
	for (const [file, imports] of graph) {
		graph.set(file, imports.map((imported) => (graph.has(`${imported}.ts`) ? `${imported}.ts` : `${imported}/index.ts`)));
	}
	return graph;
}

module.exports = { nodeImportGraph };
