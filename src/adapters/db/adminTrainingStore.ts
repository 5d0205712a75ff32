// One tenant's training rows (FAQs, examples, rules) as the admin API changes them. Every
// statement is filtered by the tenant id given to the constructor; every change writes its
// audit row in the same transaction. Imports are validated in full before anything is written.
import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { badRequest, notFound } from '../../modules/tenants/adminErrors.js';
import type {
  ImportOptions,
  ImportResult,
  NewTrainingRow,
  Page,
  TrainingFields,
  TrainingListQuery,
  TrainingRowView,
  TrainingStore,
} from '../../modules/tenants/ports.js';
import { MAX_VARIANTS, mergedVariants, validateTrainingRows } from '../../modules/tenants/trainingRowSchema.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { isForeignKeyViolation } from './databaseErrors.js';
import { botTrainingData } from './schema.js';
import { selectPage } from './selectPage.js';
import { lockTenantRow, tenantExists } from './tenantLock.js';

type TrainingRow = typeof botTrainingData.$inferSelect;

const INSERT_CHUNK = 1_000;
/** A replace import keeps this many of the replaced rows in its audit row (the rest are counted). */
const AUDITED_REPLACED_ROWS = 500;

export class DbAdminTrainingStore implements TrainingStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(query: TrainingListQuery): Promise<Page<TrainingRowView> | null> {
    const filter = and(this.mine(), ...listFilters(query));
    const order = [asc(botTrainingData.createdAt), asc(botTrainingData.id)];
    const page = await selectPage(this.db, botTrainingData, filter, order, query, trainingView);
    if (page.data.length === 0 && !(await tenantExists(this.db, this.tenantId))) return null;
    return page;
  }

  async get(rowId: string): Promise<TrainingRowView | null> {
    const [row] = await this.db.select().from(botTrainingData).where(this.mine(rowId));
    return row ? trainingView(row) : null;
  }

  async create(input: NewTrainingRow, actor: string): Promise<TrainingRowView> {
    return this.db
      .transaction(async (tx) => {
        const [row] = await tx
          .insert(botTrainingData)
          .values({ ...trainingColumns(input), botTenantId: this.tenantId })
          .returning();
        if (!row) throw new Error('training row insert returned no row');
        const view = trainingView(row);
        await writeAudit(tx, {
          tenantId: this.tenantId,
          actor,
          action: 'create',
          entity: 'training_data',
          entityId: row.id,
          before: null,
          after: { ...view },
        });
        return view;
      })
      .catch((err: unknown) => {
        // The tenant was deleted between the route's check and the insert.
        if (isForeignKeyViolation(err)) throw notFound(`Tenant ${this.tenantId}`);
        throw err;
      });
  }

  async update(rowId: string, fields: TrainingFields, actor: string): Promise<TrainingRowView | null> {
    return this.updateLocked(rowId, actor, () => trainingColumns(fields));
  }

  async delete(rowId: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.delete(botTrainingData).where(this.mine(rowId)).returning();
      if (!before) return false;
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'delete',
        entity: 'training_data',
        entityId: rowId,
        before: { ...trainingView(before) },
        after: null,
      });
      return true;
    });
  }

  async addVariants(rowId: string, variants: readonly string[], actor: string): Promise<TrainingRowView | null> {
    return this.updateLocked(rowId, actor, (before) => {
      const merged = mergedVariants(before.question, before.variants, variants);
      if (merged.length > MAX_VARIANTS) {
        throw badRequest(
          `body.variants: the row has ${before.variants.length} variants; with these it would have ${merged.length}, more than ${MAX_VARIANTS}`,
        );
      }
      return { variants: merged };
    });
  }

  /** Locks the row, writes what `changes` derives from it, and audits before and after, in one transaction. */
  private async updateLocked(
    rowId: string,
    actor: string,
    changes: (before: typeof botTrainingData.$inferSelect) => Partial<typeof botTrainingData.$inferInsert>,
  ): Promise<TrainingRowView | null> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(botTrainingData).where(this.mine(rowId)).for('update');
      if (!before) return null;
      const [after] = await tx.update(botTrainingData).set(changes(before)).where(this.mine(rowId)).returning();
      if (!after) return null;
      const view = trainingView(after);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'training_data',
        entityId: rowId,
        before: { ...trainingView(before) },
        after: { ...view },
      });
      return view;
    });
  }

  async importRows(rows: readonly unknown[], options: ImportOptions, actor: string): Promise<ImportResult> {
    const { valid, errors } = validateTrainingRows(rows);
    // Nothing is written when a row is bad (unless partial), nor when no row is good.
    if (valid.length === 0 || (errors.length > 0 && !options.partial)) return { imported: 0, replaced: 0, errors };
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) throw notFound(`Tenant ${this.tenantId}`);
      const replaced =
        options.mode === 'replace' ? await tx.delete(botTrainingData).where(this.mine()).returning() : [];
      const kept = options.mode === 'replace' ? 0 : await this.count(tx);
      for (let start = 0; start < valid.length; start += INSERT_CHUNK) {
        const chunk = valid.slice(start, start + INSERT_CHUNK);
        await tx.insert(botTrainingData).values(
          chunk.map((row, i) => ({
            ...trainingColumns(row),
            botTenantId: this.tenantId,
            // Rows of one import share a transaction time; a microsecond apart, they keep the file's order.
            createdAt: sql`now() + ${start + i} * interval '1 microsecond'`,
          })),
        );
      }
      const replacedViews = replaced.map(trainingView);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'import',
        entity: 'training_data',
        entityId: null,
        before: {
          row_count: options.mode === 'replace' ? replaced.length : kept,
          ...(options.mode === 'replace'
            ? {
                replaced_rows: replacedViews.slice(0, AUDITED_REPLACED_ROWS),
                replaced_rows_omitted: Math.max(0, replaced.length - AUDITED_REPLACED_ROWS),
              }
            : {}),
        },
        after: {
          mode: options.mode,
          partial: options.partial,
          imported: valid.length,
          rejected_rows: new Set(errors.map((e) => e.row)).size,
          row_count: kept + valid.length,
        },
      });
      return { imported: valid.length, replaced: replaced.length, errors };
    });
  }

  async exportAll(): Promise<TrainingRowView[] | null> {
    const rows = await this.db
      .select()
      .from(botTrainingData)
      .where(this.mine())
      .orderBy(asc(botTrainingData.createdAt), asc(botTrainingData.id));
    if (rows.length === 0 && !(await tenantExists(this.db, this.tenantId))) return null;
    return rows.map(trainingView);
  }

  private mine(rowId?: string): SQL {
    const tenant = eq(botTrainingData.botTenantId, this.tenantId);
    return rowId === undefined ? tenant : (and(tenant, eq(botTrainingData.id, rowId)) as SQL);
  }

  private async count(tx: AppDb): Promise<number> {
    const [row] = await tx.select({ n: count() }).from(botTrainingData).where(this.mine());
    return Number(row?.n ?? 0);
  }
}

function listFilters(query: TrainingListQuery): (SQL | undefined)[] {
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return [
    query.data_type ? eq(botTrainingData.dataType, query.data_type) : undefined,
    query.category ? eq(botTrainingData.category, query.category) : undefined,
    query.is_active === null ? undefined : eq(botTrainingData.isActive, query.is_active),
    pattern ? or(ilike(botTrainingData.question, pattern), ilike(botTrainingData.answer, pattern)) : undefined,
  ];
}

function trainingColumns(fields: TrainingFields): Partial<typeof botTrainingData.$inferInsert> {
  return {
    dataType: fields.data_type,
    question: fields.question,
    answer: fields.answer,
    category: fields.category,
    priority: fields.priority,
    confidenceScore: fields.confidence_score === undefined ? undefined : fields.confidence_score.toFixed(2),
    isActive: fields.is_active,
    variants: fields.variants,
  };
}

export function trainingView(row: TrainingRow): TrainingRowView {
  return {
    id: row.id,
    data_type: row.dataType,
    question: row.question,
    answer: row.answer,
    category: row.category,
    priority: row.priority,
    confidence_score: Number(row.confidenceScore),
    is_active: row.isActive,
    variants: row.variants,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
