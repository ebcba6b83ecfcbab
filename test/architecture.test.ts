/**
 * The node's imports point one way: operations (actions/) → engine/ → shared/ (transport, Akool's
 * shapes), the Trigger only into shared/, and no cycle between files or between folders.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const nodesDir = join(root, 'nodes');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

/** File → the files it imports (relative imports only), as paths relative to nodes/. */
const graph = new Map(
	sourceFiles(nodesDir).map((file) => {
		const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) =>
			relative(nodesDir, resolve(dirname(file), match[1])),
		);
		return [relative(nodesDir, file), imports];
	}),
);
// An import names a file without its extension, or a folder with an index.ts.
for (const [file, imports] of graph) {
	graph.set(file, imports.map((imported) => (graph.has(`${imported}.ts`) ? `${imported}.ts` : `${imported}/index.ts`)));
}

/** The folder a file belongs to for the layering rules: nodes/Akool/engine/polling/x.ts → Akool/engine. */
function layer(file: string): string {
	return file.split('/').slice(0, 2).join('/').replace(/\.ts$/, '');
}

function findCycle(edges: Map<string, string[]>): string[] | undefined {
	const state = new Map<string, 'visiting' | 'done'>();
	const path: string[] = [];
	const visit = (node: string): string[] | undefined => {
		if (state.get(node) === 'done') return undefined;
		if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
		state.set(node, 'visiting');
		path.push(node);
		for (const next of edges.get(node) ?? []) {
			const cycle = visit(next);
			if (cycle) return cycle;
		}
		path.pop();
		state.set(node, 'done');
		return undefined;
	};
	for (const node of edges.keys()) {
		const cycle = visit(node);
		if (cycle) return cycle;
	}
	return undefined;
}

describe('the node’s imports', () => {
	it('resolve to files that exist', () => {
		for (const [file, imports] of graph) {
			for (const imported of imports) expect({ file, imported, exists: graph.has(imported) }).toEqual({ file, imported, exists: true });
		}
	});

	it('have no cycle between files', () => {
		expect(findCycle(graph)).toBeUndefined();
	});

	it('have no cycle between folders', () => {
		const folders = new Map<string, string[]>();
		for (const [file, imports] of graph) {
			const from = layer(file);
			const to = imports.map(layer).filter((folder) => folder !== from);
			folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
		}
		expect(findCycle(folders)).toBeUndefined();
	});

	it.each([
		['Akool/engine', ['Akool/actions', 'Akool/Akool.node']],
		['shared', ['Akool', 'AkoolTrigger']],
		['AkoolTrigger', ['Akool']],
	])('never lead from %s into %s', (from, forbidden) => {
		const offending = [...graph].flatMap(([file, imports]) =>
			file.startsWith(from) ? imports.filter((imported) => forbidden.some((prefix) => imported.startsWith(prefix))).map((imported) => `${file} → ${imported}`) : [],
		);
		expect(offending).toEqual([]);
	});
});
