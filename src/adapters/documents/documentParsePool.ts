// Document text is read off the event loop every tenant shares: a crafted PDF keeps pdf.js busy
// for minutes and can grow its heap by gigabytes, so each parse runs in a worker thread with a
// heap limit and a wall-clock limit, and the thread is terminated when either is reached.
//
// A fresh thread per document rather than a reused one: a thread stopped for time or memory is
// gone anyway, a new one starts with the whole memory budget and no pdf.js caches of the last
// customer's file, and its start (~100 ms with pdf.js loaded) is small next to a reply that asks
// an AI model about the document. One parse at a time (the server has few cores, and a parse
// uses one fully); a few more wait their turn, and beyond those the message is retried later.
import { Worker } from 'node:worker_threads';
import { DocumentReadError } from '../../domain/documentReadError.js';
import { errorText } from '../../domain/errorText.js';
import type { DocumentParseMessage, DocumentParseRequest } from './documentTextWorker.js';

export interface DocumentParseLimits {
  /** Wall-clock time a parse may take, its thread's start included. */
  timeoutMs: number;
  /** The parse thread's JavaScript heap, young and old generations together. */
  maxMemoryMb: number;
  /** Parses that may wait for the running one; more are refused as busy (the message is retried). */
  maxWaiting: number;
}

const CONCURRENT_PARSES = 1;

export class DocumentParsePool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: DocumentParseLimits) {}

  /** The document's text; rejects with DocumentReadError when a limit was reached or the thread died. */
  async parse(request: DocumentParseRequest): Promise<string> {
    await this.turn();
    try {
      return await this.inWorker(request);
    } finally {
      this.next();
    }
  }

  private turn(): Promise<void> {
    if (this.running < CONCURRENT_PARSES) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxWaiting) {
      return Promise.reject(
        new DocumentReadError(`${this.waiting.length} documents are already waiting to be read`, 'busy'),
      );
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private next(): void {
    const waiter = this.waiting.shift();
    // The running slot passes straight to the next in line.
    if (waiter) waiter();
    else this.running -= 1;
  }

  private async inWorker(request: DocumentParseRequest): Promise<string> {
    const { timeoutMs, maxMemoryMb } = this.limits;
    const youngMb = Math.max(4, Math.round(maxMemoryMb / 8));
    const worker = new Worker(WORKER_SCRIPT.code, {
      eval: WORKER_SCRIPT.eval,
      workerData: request,
      // No flags of the server's own (a --max-old-space-size would be refused in a thread).
      execArgv: [],
      resourceLimits: {
        maxOldGenerationSizeMb: Math.max(8, maxMemoryMb - youngMb),
        maxYoungGenerationSizeMb: youngMb,
        stackSizeMb: 4,
      },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string>((resolve, reject) => {
        const limit = (ms: number, message: string) => {
          clearTimeout(timer);
          timer = setTimeout(() => reject(new DocumentReadError(message, 'timeout')), ms);
        };
        // The document's clock starts once the thread has loaded its code: that part is ours, not
        // the customer's, and takes seconds from the TypeScript sources on a busy machine.
        limit(STARTUP_LIMIT_MS, `the document reader did not start within ${STARTUP_LIMIT_MS} ms`);
        worker.on('message', (message: DocumentParseMessage) => {
          if ('ready' in message) limit(timeoutMs, `reading the document took longer than ${timeoutMs} ms`);
          else resolve(message.text);
        });
        worker.once('error', (err: Error & { code?: string }) =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new DocumentReadError(`reading the document needed more than ${maxMemoryMb} MB of memory`, 'memory')
              : new DocumentReadError(`the document reader failed: ${errorText(err)}`, 'crashed'),
          ),
        );
        worker.once('exit', (code) =>
          reject(new DocumentReadError(`the document reader stopped before answering (exit code ${code})`, 'crashed')),
        );
      });
    } finally {
      clearTimeout(timer);
      // Awaited, so the next parse starts only once this thread and its heap are gone.
      await worker.terminate();
    }
  }
}

const STARTUP_LIMIT_MS = 30_000;

/**
 * The worker's code. Built (dist/), it is the compiled .js beside this file. From the TypeScript
 * sources (tsx, vitest) a small bootstrap loads pdf-parse natively first (through tsx's loader its
 * 3 MB take seconds), then registers tsx in the thread and imports the .ts entry.
 */
const WORKER_SCRIPT = ((): { code: string | URL; eval: boolean } => {
  if (!import.meta.url.endsWith('.ts'))
    return { code: new URL('./documentTextWorker.js', import.meta.url), eval: false };
  const load = (specifier: string) => `import(${JSON.stringify(specifier)})`;
  const entry = new URL('./documentTextWorker.ts', import.meta.url).href;
  return {
    code: `${load(import.meta.resolve('pdf-parse'))}.then(() => ${load(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return ${load(entry)}; });`,
    eval: true,
  };
})();
