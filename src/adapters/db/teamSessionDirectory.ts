// Sign-in and sessions, found by email or by the hash of a token before any tenant is known:
// the one place that reads team accounts across tenants, and it returns the tenant id with each.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { SessionDirectory, SessionPrincipal, SignInAccount } from '../../modules/team/teamPorts.js';
import type { AppDb } from './database.js';
import { botTenants, teamSessions, teamUsers } from './schema.js';

export class DbSessionDirectory implements SessionDirectory {
  constructor(private readonly db: AppDb) {}

  async accountByEmail(email: string): Promise<SignInAccount | null> {
    const [row] = await this.db
      .select({
        id: teamUsers.id,
        tenantId: teamUsers.botTenantId,
        hash: teamUsers.passwordHash,
        disabledAt: teamUsers.disabledAt,
        active: botTenants.isActive,
      })
      .from(teamUsers)
      .innerJoin(botTenants, eq(botTenants.id, teamUsers.botTenantId))
      .where(eq(teamUsers.email, email));
    return row
      ? { userId: row.id, tenantId: row.tenantId, passwordHash: row.hash, usable: !row.disabledAt && row.active }
      : null;
  }

  async completeSetup(
    setupTokenHash: string,
    passwordHash: string,
  ): Promise<{ userId: string; tenantId: string; email: string } | null> {
    return this.db.transaction(async (tx) => {
      // One statement uses the token up: two requests with the same link cannot both set a password.
      const [row] = await tx
        .update(teamUsers)
        .set({ passwordHash, setupTokenHash: null, setupExpiresAt: null, updatedAt: new Date() })
        .where(
          and(
            eq(teamUsers.setupTokenHash, setupTokenHash),
            gt(teamUsers.setupExpiresAt, sql`now()`),
            isNull(teamUsers.disabledAt),
          ),
        )
        .returning({ id: teamUsers.id, tenantId: teamUsers.botTenantId, email: teamUsers.email });
      if (!row) return null;
      // A new password ends every session made with the old one.
      await tx
        .update(teamSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(teamSessions.userId, row.id), isNull(teamSessions.revokedAt)));
      await tx.execute(sql`INSERT INTO alphadome.audit_log (bot_tenant_id, actor, action, entity, entity_id, before, after)
        VALUES (${row.tenantId}, ${`user:${row.id}`}, 'update', 'team_user_password', ${row.id}, NULL, '{"password":"[secret]"}'::jsonb)`);
      return { userId: row.id, tenantId: row.tenantId, email: row.email };
    });
  }

  async openSession(userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(teamSessions)
        .values({ userId, tokenHash, expiresAt })
        .returning({ id: teamSessions.id });
      if (!row) throw new Error('session insert returned no row');
      await tx.update(teamUsers).set({ lastLoginAt: new Date() }).where(eq(teamUsers.id, userId));
      return row.id;
    });
  }

  async session(tokenHash: string): Promise<SessionPrincipal | null> {
    const [row] = await this.db
      .select({
        sessionId: teamSessions.id,
        userId: teamUsers.id,
        tenantId: teamUsers.botTenantId,
        role: teamUsers.role,
        tenantActive: botTenants.isActive,
      })
      .from(teamSessions)
      .innerJoin(teamUsers, eq(teamUsers.id, teamSessions.userId))
      .innerJoin(botTenants, eq(botTenants.id, teamUsers.botTenantId))
      .where(
        and(
          eq(teamSessions.tokenHash, tokenHash),
          isNull(teamSessions.revokedAt),
          gt(teamSessions.expiresAt, sql`now()`),
          isNull(teamUsers.disabledAt),
        ),
      );
    return row ? { ...row, role: row.role === 'owner' ? 'owner' : 'agent' } : null;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.db.update(teamSessions).set({ revokedAt: new Date() }).where(eq(teamSessions.id, sessionId));
  }
}
