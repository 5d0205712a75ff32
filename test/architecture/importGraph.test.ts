// The layering ARCHITECTURE.md describes, checked on every file of src/: no import cycles (type-only
// ones included), domain code free of I/O and of the layers above it, modules speaking to their
// ports and never to the adapters, which only the composition root wires in.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../support/importGraph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const graph = importGraph(ROOT, 'src');
const isTest = (file: string) => file.endsWith('.test.ts');
const production = [...graph.entries()].filter(([file]) => !isTest(file));

// Builtins and packages that reach the disk, the network, other processes or a database.
const IO_BUILTINS =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster|readline)$/;
const IO_PACKAGES =
  /^(pg|@electric-sql\/pglite|drizzle-orm|openai|nodemailer|fastify|@fastify\/.*|pino|prom-client|pdf-parse)(\/.*)?$/;

describe('the import graph of src/', () => {
  it('finds a cycle when there is one (the checker itself)', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCycles(edges)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads the tree and resolves every relative import', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/app.ts')?.local).toContain('src/config.ts');
    const unresolved = [...graph.entries()]
      .filter(([, imports]) => imports.unresolved.length > 0)
      .map(([file, imports]) => `${file}: ${imports.unresolved.join(', ')}`);
    expect(unresolved).toEqual([]);
  });

  it('has no import cycles, type-only imports included', () => {
    const edges = new Map([...graph.entries()].map(([file, imports]) => [file, imports.local]));
    const cycles = findCycles(edges).map((cycle) => cycle.join(' → '));
    expect(cycles, 'move the shared types to a file both sides import (a ports.ts, or one of their own)').toEqual([]);
  });

  it('keeps src/domain pure: it imports only domain code, and nothing that does I/O', () => {
    const offending = production
      .filter(([file]) => file.startsWith('src/domain/'))
      .flatMap(([file, imports]) => [
        ...imports.local.filter((target) => !target.startsWith('src/domain/')).map((target) => `${file} → ${target}`),
        ...imports.external
          .filter((name) => IO_BUILTINS.test(name) || IO_PACKAGES.test(name))
          .map((name) => `${file} → ${name}`),
      ]);
    expect(offending).toEqual([]);
  });

  it('keeps src/modules off the adapters and the composition root: they speak to ports', () => {
    const offending = production
      .filter(([file]) => file.startsWith('src/modules/'))
      .flatMap(([file, imports]) =>
        imports.local
          .filter((target) => /^src\/(adapters\/|composition\/|app\.ts$|main\.ts$)/.test(target))
          .map((target) => `${file} → ${target}`),
      );
    expect(offending).toEqual([]);
  });

  it('lets only the composition root (app.ts and its wiring in composition/) and the entry points import the adapters', () => {
    const offending = production
      .filter(([file]) => !/^src\/(adapters\/|composition\/|app\.ts$|main\.ts$)/.test(file))
      .flatMap(([file, imports]) =>
        imports.local.filter((target) => target.startsWith('src/adapters/')).map((target) => `${file} → ${target}`),
      );
    expect(offending).toEqual([]);
  });
});
