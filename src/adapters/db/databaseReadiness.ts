// Readiness of the database: it answers SELECT 1 within a bounded time, and every migration of
// the bundled journal is recorded in drizzle's migrations table (the one openDatabase applies).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { errorText } from '../../domain/errorText.js';
import type { ReadinessProbe, ReadinessReport } from '../../modules/operations/ports.js';
import { queryRows, type AppDb } from './database.js';

// Same depth from src/adapters/db and dist/adapters/db: the repository root holds drizzle/.
const JOURNAL_FILE = fileURLToPath(new URL('../../../drizzle/meta/_journal.json', import.meta.url));
const DEFAULT_TIMEOUT_MS = 2_000;

const journalSchema = z.object({
  entries: z.array(z.looseObject({ tag: z.string(), when: z.number() })),
});

type Migration = z.infer<typeof journalSchema>['entries'][number];

export class DbReadiness implements ReadinessProbe {
  private journal: Promise<Migration[]> | null = null;

  constructor(
    private readonly db: AppDb,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async check(): Promise<ReadinessReport> {
    try {
      await this.withinTimeout(queryRows(this.db, sql`SELECT 1`));
    } catch (err) {
      return { ready: false, details: 'the database did not answer', cause: errorText(err).split('\n')[0] };
    }
    let expected: Migration[];
    try {
      // Read once: the journal ships with the code and does not change while the process runs.
      this.journal ??= readFile(JOURNAL_FILE, 'utf8').then((text) => journalSchema.parse(JSON.parse(text)).entries);
      expected = await this.journal;
    } catch (err) {
      this.journal = null;
      return { ready: false, details: 'the migration journal could not be read', cause: errorText(err).split('\n')[0] };
    }
    let applied: Set<number>;
    try {
      // drizzle records each migration by its journal timestamp (created_at = the entry's "when").
      const rows = await this.withinTimeout(
        queryRows<{ created_at: string | number }>(this.db, sql`SELECT created_at FROM drizzle.__drizzle_migrations`),
      );
      applied = new Set(rows.map((r) => Number(r.created_at)));
    } catch (err) {
      return { ready: false, details: 'the migrations table could not be read', cause: errorText(err).split('\n')[0] };
    }
    const missing = expected.filter((m) => !applied.has(m.when)).map((m) => m.tag);
    if (missing.length > 0) return { ready: false, details: `migrations not applied: ${missing.join(', ')}` };
    return { ready: true };
  }

  private async withinTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
