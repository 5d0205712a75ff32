// One tenant's people: every statement filters by the tenant id given to the constructor, and
// every change writes its audit row (secrets masked) in the same transaction. Disabling or
// removing someone revokes their sessions at once.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { NewTeamUser, TeamUserView, TenantTeamStore } from '../../modules/team/teamPorts.js';
import type { TeamRole } from '../../modules/tenants/principal.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { isForeignKeyViolation, uniqueViolation } from './databaseErrors.js';
import { teamSessions, teamUsers } from './schema.js';

type UserRow = typeof teamUsers.$inferSelect;

export class DbTeamStore implements TenantTeamStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(): Promise<TeamUserView[]> {
    const rows = await this.db
      .select()
      .from(teamUsers)
      .where(eq(teamUsers.botTenantId, this.tenantId))
      .orderBy(asc(teamUsers.createdAt), asc(teamUsers.id));
    return rows.map(teamUserView);
  }

  async get(userId: string): Promise<TeamUserView | null> {
    const [row] = await this.db.select().from(teamUsers).where(this.mine(userId));
    return row ? teamUserView(row) : null;
  }

  async create(user: NewTeamUser, actor: string): Promise<TeamUserView | 'taken' | null> {
    return this.db
      .transaction(async (tx) => {
        const [row] = await tx
          .insert(teamUsers)
          .values({
            botTenantId: this.tenantId,
            email: user.email,
            name: user.name,
            role: user.role,
            setupTokenHash: user.setupTokenHash,
            setupExpiresAt: user.setupExpiresAt,
          })
          .returning();
        if (!row) throw new Error('team user insert returned no row');
        const view = teamUserView(row);
        await writeAudit(tx, {
          tenantId: this.tenantId,
          actor,
          action: 'create',
          entity: 'team_user',
          entityId: row.id,
          before: null,
          after: { ...view },
        });
        return view;
      })
      .catch((err: unknown) => {
        if (isForeignKeyViolation(err)) return null;
        if (uniqueViolation(err)) return 'taken' as const;
        throw err;
      });
  }

  async update(
    userId: string,
    change: { name?: string; role?: TeamRole; disabled?: boolean },
    actor: string,
  ): Promise<TeamUserView | null> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(teamUsers).where(this.mine(userId));
      if (!before) return null;
      const disabledAt =
        change.disabled === undefined ? before.disabledAt : change.disabled ? (before.disabledAt ?? new Date()) : null;
      const [after] = await tx
        .update(teamUsers)
        .set({ name: change.name ?? before.name, role: change.role ?? before.role, disabledAt, updatedAt: new Date() })
        .where(this.mine(userId))
        .returning();
      if (!after) return null;
      // A demoted or disabled person keeps no session made with the old rights.
      if (after.disabledAt || after.role !== before.role) await revokeSessionsOf(tx, userId);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'team_user',
        entityId: userId,
        before: { ...teamUserView(before) },
        after: { ...teamUserView(after) },
      });
      return teamUserView(after);
    });
  }

  async reissueSetup(
    userId: string,
    setupTokenHash: string,
    expiresAt: Date,
    actor: string,
  ): Promise<TeamUserView | null> {
    return this.db.transaction(async (tx) => {
      const [after] = await tx
        .update(teamUsers)
        .set({ setupTokenHash, setupExpiresAt: expiresAt, updatedAt: new Date() })
        .where(this.mine(userId))
        .returning();
      if (!after) return null;
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'rotate',
        entity: 'team_user_setup',
        entityId: userId,
        before: null,
        after: { setup_expires_at: expiresAt.toISOString() },
      });
      return teamUserView(after);
    });
  }

  async remove(userId: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Sessions go with the row (cascade); the audit keeps who it was.
      const [gone] = await tx.delete(teamUsers).where(this.mine(userId)).returning();
      if (!gone) return false;
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'delete',
        entity: 'team_user',
        entityId: userId,
        before: { ...teamUserView(gone) },
        after: null,
      });
      return true;
    });
  }

  private mine(userId: string) {
    return and(eq(teamUsers.id, userId), eq(teamUsers.botTenantId, this.tenantId));
  }
}

async function revokeSessionsOf(tx: AppDb, userId: string): Promise<void> {
  await tx
    .update(teamSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(teamSessions.userId, userId), isNull(teamSessions.revokedAt)));
}

export function teamUserView(row: UserRow): TeamUserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role === 'owner' ? 'owner' : 'agent',
    state: row.disabledAt ? 'disabled' : row.passwordHash ? 'active' : 'invited',
    setup_expires_at: row.setupTokenHash && row.setupExpiresAt ? row.setupExpiresAt.toISOString() : null,
    last_login_at: row.lastLoginAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
