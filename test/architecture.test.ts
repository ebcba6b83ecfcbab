/**
 * The node's imports point one way: operations (actions/) → engine/ → shared/ (transport, Akool's
 * shapes), the Trigger only into shared/, and no cycle between files or between folders.
 */
import { nodeImportGraph } from './harness/importGraph';

const graph = nodeImportGraph();

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
		// a folder or a file (without extension): 'Akool' holds Akool/x.ts, not AkoolTrigger/x.ts
		const inside = (file: string, place: string) => file.startsWith(`${place}/`) || file.startsWith(`${place}.`);
		const offending = [...graph].flatMap(([file, imports]) =>
			inside(file, from) ? imports.filter((imported) => forbidden.some((place) => inside(imported, place))).map((imported) => `${file} → ${imported}`) : [],
		);
		expect(offending).toEqual([]);
	});
});
