// The import graph of a source tree, read with the TypeScript compiler's own pre-processor (every
// import, `import type`, re-export and dynamic import() counts: a type-only cycle is still a cycle
// for the reader), and the cycles in a graph.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface SourceImports {
  /** Files of the tree this file imports, as paths relative to the tree's parent (src/...). */
  local: string[];
  /** Package and builtin specifiers (zod, node:fs, drizzle-orm/pg-core ...). */
  external: string[];
  /** Relative specifiers that name no file (a typo the compiler would also refuse). */
  unresolved: string[];
}

/** Every .ts/.tsx file under `dir` (relative to `root`), with what it imports. */
export function importGraph(root: string, dir: string): Map<string, SourceImports> {
  const graph = new Map<string, SourceImports>();
  for (const file of filesUnder(path.join(root, dir))) {
    const imports: SourceImports = { local: [], external: [], unresolved: [] };
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) {
        imports.external.push(specifier);
        continue;
      }
      const target = resolveLocal(path.dirname(file), specifier);
      if (target) imports.local.push(relative(root, target));
      else imports.unresolved.push(specifier);
    }
    graph.set(relative(root, file), imports);
  }
  return graph;
}

/** Each cycle once, as the files along it with the first repeated at the end (Tarjan's strongly
 *  connected components, then one concrete loop through each component). */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = component.length === 1 && (edges.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) components.push(component);
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => loopThrough(component, edges));
}

/** A shortest way from the component's first file (by name) back to itself, inside the component. */
function loopThrough(component: string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() ?? '';
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const way = [node];
        while (way[0] !== start) way.unshift(cameFrom.get(way[0] ?? '') ?? start);
        return [...way, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component, component[0] ?? ''];
}

function resolveLocal(dir: string, specifier: string): string | null {
  const base = path.resolve(dir, specifier);
  // ESM sources name the compiled file (./x.js); the source is ./x.ts or ./x.tsx.
  const stem = base.replace(/\.(js|jsx|mjs)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
