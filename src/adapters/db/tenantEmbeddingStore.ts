// One tenant's FAQ embeddings and embedding usage: built for one tenant, every statement filters by it.
// A row's vectors count only while its text hash (question and variants, hashed by PostgreSQL) and the
// model are the ones they were made from, so an edit makes them stale at once, before any refresh.
import { sql } from 'drizzle-orm';
import type {
  ClaimedFaqRow,
  EmbeddingUsage,
  FaqRowVectors,
  StoredFaqVectors,
  TenantEmbeddingStore,
} from '../../modules/embeddings/ports.js';
import { queryRows, type AppDb } from './database.js';
import { botEmbeddingUsage } from './schema.js';

/** The hash of a training row's embedded text; the directory uses the same expression. */
export const FAQ_TEXT_HASH = sql.raw(
  `md5(coalesce(t.question, '') || chr(31) || array_to_string(t.variants, chr(31)))`,
);
/** Active FAQ rows with a question: the rows that are embedded. */
export const EMBEDDED_ROW = sql.raw(
  `t.data_type = 'faq' AND t.is_active AND coalesce(btrim(t.question), '') <> '' AND coalesce(btrim(t.answer), '') <> ''`,
);

export class DbTenantEmbeddingStore implements TenantEmbeddingStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async claimStale(model: string, limit: number, leaseMs: number): Promise<ClaimedFaqRow[]> {
    // One statement: rows another transaction is claiming are skipped (SKIP LOCKED), and a claim row
    // another process holds is not taken over until its lease ends (the conflict's WHERE).
    const claimed = await queryRows<{ training_data_id: string }>(
      this.db,
      sql`
      WITH stale AS (
        SELECT t.id
        FROM alphadome.bot_training_data t
          LEFT JOIN alphadome.bot_faq_embeddings e ON e.training_data_id = t.id
        WHERE t.bot_tenant_id = ${this.tenantId} AND ${EMBEDDED_ROW}
          AND (e.training_data_id IS NULL OR e.model <> ${model} OR e.text_hash <> ${FAQ_TEXT_HASH})
          AND (e.claimed_until IS NULL OR e.claimed_until < now())
        ORDER BY t.id
        LIMIT ${limit}
        FOR UPDATE OF t SKIP LOCKED
      )
      INSERT INTO alphadome.bot_faq_embeddings AS e (training_data_id, bot_tenant_id, claimed_until)
      SELECT id, ${this.tenantId}, now() + ${leaseMs} * interval '1 millisecond' FROM stale
      ON CONFLICT (training_data_id) DO UPDATE SET claimed_until = excluded.claimed_until
        WHERE e.bot_tenant_id = ${this.tenantId} AND (e.claimed_until IS NULL OR e.claimed_until < now())
      RETURNING e.training_data_id`,
    );
    if (claimed.length === 0) return [];
    const ids = claimed.map((row) => row.training_data_id);
    const rows = await queryRows<{ id: string; question: string; variants: string[] | null; text_hash: string }>(
      this.db,
      sql`
      SELECT t.id, t.question, t.variants, ${FAQ_TEXT_HASH} AS text_hash
      FROM alphadome.bot_training_data t
      WHERE t.bot_tenant_id = ${this.tenantId} AND t.id = ANY(${sql.raw(uuidArray(ids))}) AND ${EMBEDDED_ROW}`,
    );
    return rows.map((row) => ({
      id: row.id,
      question: row.question,
      variants: row.variants ?? [],
      textHash: row.text_hash,
    }));
  }

  async save(model: string, rows: FaqRowVectors[]): Promise<void> {
    for (const row of rows) {
      await queryRows(
        this.db,
        sql`
        UPDATE alphadome.bot_faq_embeddings
        SET model = ${model}, text_hash = ${row.textHash}, dimensions = ${row.dimensions},
          vectors = ${sql.raw(realArray(row.vectors))}, claimed_until = NULL, updated_at = now()
        WHERE bot_tenant_id = ${this.tenantId} AND training_data_id = ${row.id}`,
      );
    }
  }

  async backOff(ids: string[], ms: number): Promise<void> {
    if (ids.length === 0) return;
    await queryRows(
      this.db,
      sql`
      UPDATE alphadome.bot_faq_embeddings SET claimed_until = now() + ${ms} * interval '1 millisecond'
      WHERE bot_tenant_id = ${this.tenantId} AND training_data_id = ANY(${sql.raw(uuidArray(ids))})`,
    );
  }

  async current(model: string): Promise<StoredFaqVectors[]> {
    const rows = await queryRows<{ training_data_id: string; dimensions: number; vectors: number[] | string }>(
      this.db,
      sql`
      SELECT e.training_data_id, e.dimensions, e.vectors
      FROM alphadome.bot_faq_embeddings e
        JOIN alphadome.bot_training_data t ON t.id = e.training_data_id AND t.bot_tenant_id = ${this.tenantId}
      WHERE e.bot_tenant_id = ${this.tenantId} AND e.model = ${model} AND e.vectors IS NOT NULL
        AND e.dimensions > 0 AND e.text_hash = ${FAQ_TEXT_HASH} AND ${EMBEDDED_ROW}`,
    );
    return rows.map((row) => ({
      trainingDataId: row.training_data_id,
      dimensions: row.dimensions,
      vectors: Float32Array.from(typeof row.vectors === 'string' ? parseRealArray(row.vectors) : row.vectors),
    }));
  }

  async recordUsage(usage: EmbeddingUsage): Promise<void> {
    await this.db.insert(botEmbeddingUsage).values({ botTenantId: this.tenantId, ...usage });
  }
}

/** Ids came from this database's own uuid column; checked anyway before they become SQL text. */
function uuidArray(ids: string[]): string {
  for (const id of ids) if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error('not a uuid');
  return `ARRAY[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`;
}

/** Thousands of floats as one literal: far cheaper than as many bound parameters. Finite by the client's check. */
function realArray(values: number[]): string {
  for (const value of values) if (!Number.isFinite(value)) throw new Error('vectors must be finite numbers');
  return `'{${values.join(',')}}'::real[]`;
}

/** Some drivers hand real[] back as its text form. */
function parseRealArray(text: string): number[] {
  const inner = text.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}
