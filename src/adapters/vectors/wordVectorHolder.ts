// The server's word vectors: loaded (or built) in the background once the server listens, so the start is not
// slowed, and handed to the FAQ matchers built after that. Until then, or when it fails, matching is lexical.
import type { WordVectors } from '../../domain/wordVectors.js';
import { loadWordVectors } from './wordVectorLoader.js';

interface HolderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class WordVectorHolder {
  private table: WordVectors | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    /** config.wordVectorsFile; null turns the vectors off. */
    private readonly file: string | null,
    private readonly logger: HolderLogger,
  ) {}

  /** The loaded table, or null: pass as a function, so matchers built later see it. */
  readonly current = (): WordVectors | null => this.table;

  /** Starts the load once; `onLoaded` runs when the table is ready (to rebuild the cached matchers). */
  load(onLoaded: () => void): Promise<void> {
    if (!this.file) return Promise.resolve();
    this.loading ??= loadWordVectors({ file: this.file }).then(
      ({ table, loadMs, built }) => {
        this.table = table;
        this.logger.info(
          { words: table.size, megabytes: Math.round(table.bytes / 1e5) / 10, loadMs: Math.round(loadMs), built },
          'FAQ word vectors loaded',
        );
        onLoaded();
      },
      (err: unknown) => {
        this.logger.warn(
          { error: err instanceof Error ? err.message : String(err) },
          'FAQ word vectors unavailable; FAQ matching is lexical only',
        );
      },
    );
    return this.loading;
  }
}
