// webhook_verify_token in bot_tenants: clear values (inserted by SQL, as the spec's examples do)
// are replaced by their keyed hash (VerifyTokenHasher), each with a compare-and-set UPDATE so a
// concurrent change wins. Log lines name tenants, never a token.
import { and, eq, isNotNull, not, sql } from 'drizzle-orm';
import type { VerifyTokenHasher } from '../crypto/verifyTokenHasher.js';
import type { AppDb } from './database.js';
import { uniqueViolation } from './databaseErrors.js';
import { botTenants } from './schema.js';

interface Logger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class StoredVerifyTokens {
  constructor(
    private readonly db: AppDb,
    private readonly hasher: VerifyTokenHasher,
    private readonly logger: Logger,
  ) {}

  /** Warns of verify tokens a rotation cannot re-hash (only the token itself can): they must be presented, or set again, before their key goes. */
  async noteUnderOtherKeys(): Promise<void> {
    const rows = await this.db
      .select({ id: botTenants.id, token: botTenants.webhookVerifyToken })
      .from(botTenants)
      .where(sql`starts_with(${botTenants.webhookVerifyToken}, 'hmac:')`);
    const tenants = rows.filter((r) => r.token && this.hasher.isUnderOtherKey(r.token)).map((r) => r.id);
    if (tenants.length === 0) return;
    this.logger.warn(
      { tenants },
      'webhook verify tokens hashed under an older key: they are re-hashed when Meta next presents them; set them again if that key is to be removed first',
    );
  }

  /** Replaces clear webhook_verify_token values by their hash; a concurrent change wins (compare-and-set). */
  async hashClear(tenantId?: string): Promise<number> {
    const clear = await this.db
      .select({ id: botTenants.id, token: botTenants.webhookVerifyToken })
      .from(botTenants)
      .where(
        and(
          isNotNull(botTenants.webhookVerifyToken),
          not(sql`starts_with(${botTenants.webhookVerifyToken}, 'hmac:')`),
          tenantId === undefined ? undefined : eq(botTenants.id, tenantId),
        ),
      );
    let hashed = 0;
    for (const { id, token } of clear) {
      if (!token) continue;
      try {
        const rows = await this.db
          .update(botTenants)
          .set({ webhookVerifyToken: this.hasher.hash(token) })
          .where(and(eq(botTenants.id, id), eq(botTenants.webhookVerifyToken, token)))
          .returning({ id: botTenants.id });
        hashed += rows.length;
      } catch (err) {
        // Another tenant already holds this token's hash: two tenants cannot share a verify token.
        if (!uniqueViolation(err)) throw err;
        this.logger.error(
          { tenantId: id },
          "webhook_verify_token is also another tenant's token; left in clear until it is changed",
        );
      }
    }
    if (clear.length > 0)
      this.logger.warn(
        { tenants: clear.map((c) => c.id) },
        'clear webhook verify tokens found in the database; hashed in place',
      );
    return hashed;
  }
}
