// The refresh job's one cross-tenant question: which tenants have active FAQ rows whose embeddings are
// missing or stale. It returns tenant ids only; the rows themselves are claimed through a store built
// for that tenant (tenantEmbeddingStore.ts).
import { sql } from 'drizzle-orm';
import type { EmbeddingDirectory } from '../../modules/embeddings/ports.js';
import { queryRows, type AppDb } from './database.js';
import { EMBEDDED_ROW, FAQ_TEXT_HASH } from './tenantEmbeddingStore.js';

export class DbFaqEmbeddingDirectory implements EmbeddingDirectory {
  constructor(private readonly db: AppDb) {}

  async tenantsWithStaleFaqs(model: string, limit: number, exclude: readonly string[]): Promise<string[]> {
    const excluded = exclude.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows = await queryRows<{ bot_tenant_id: string }>(
      this.db,
      sql`
      SELECT DISTINCT t.bot_tenant_id
      FROM alphadome.bot_training_data t
        JOIN alphadome.bot_tenants n ON n.id = t.bot_tenant_id AND n.is_active
        LEFT JOIN alphadome.bot_faq_embeddings e ON e.training_data_id = t.id
      WHERE ${EMBEDDED_ROW}
        AND (e.training_data_id IS NULL OR e.model <> ${model} OR e.text_hash <> ${FAQ_TEXT_HASH})
        AND (e.claimed_until IS NULL OR e.claimed_until < now())
        ${excluded.length > 0 ? sql.raw(`AND t.bot_tenant_id <> ALL(ARRAY[${excluded.map((id) => `'${id}'`).join(',')}]::uuid[])`) : sql``}
      LIMIT ${limit}`,
    );
    return rows.map((row) => row.bot_tenant_id);
  }
}
