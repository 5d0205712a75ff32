// The single-tenant setup of the environment (WHATSAPP_PHONE_NUMBER_ID + WHATSAPP_ACCESS_TOKEN)
// becomes a tenant row, so its messages are logged like any other tenant's. Its token stays in
// the environment and is never written to the database.
import { eq, sql } from 'drizzle-orm';
import type { AppDb } from './database.js';
import { botTenants } from './schema.js';

export async function ensureEnvironmentTenant(db: AppDb, phoneNumberId: string): Promise<void> {
  const existing = await db
    .select({ id: botTenants.id })
    .from(botTenants)
    .where(eq(botTenants.whatsappPhoneNumberId, phoneNumberId));
  if (existing.length > 0) return;
  await db
    .insert(botTenants)
    .values({
      clientName: 'Default tenant (environment)',
      clientPhone: `env-${phoneNumberId}`.slice(0, 32),
      whatsappPhoneNumberId: phoneNumberId,
      isActive: true,
      // The server's own tenant pays with the server's keys.
      serverAiAllowed: true,
      metadata: sql`'{"source":"environment"}'::jsonb`,
    })
    .onConflictDoNothing();
}
