// Who may act on a tenant: API keys, team accounts and their sessions, and the audit log of what they did.
import { index, jsonb, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { alphadome, createdAt, updatedAt } from './columns.js';
import { botTenants } from './tenants.js';

// system: tenant API keys. Only a hash is kept; the prefix lets people tell keys apart.
export const apiKeys = alphadome.table(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 255 }).notNull(),
    prefix: varchar('prefix', { length: 32 }).notNull().unique(),
    keyHash: varchar('key_hash', { length: 128 }).notNull().unique(),
    createdBy: varchar('created_by', { length: 128 }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_tenant_idx').on(t.botTenantId)],
);

// system: who changed what, when, with before and after (secrets masked).
export const auditLog = alphadome.table(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key: the audit of a deleted tenant outlives it.
    botTenantId: uuid('bot_tenant_id'),
    actor: varchar('actor', { length: 128 }).notNull(),
    action: varchar('action', { length: 64 }).notNull(),
    entity: varchar('entity', { length: 64 }).notNull(),
    entityId: varchar('entity_id', { length: 64 }),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_tenant_time_idx').on(t.botTenantId, t.createdAt)],
);

// system: a tenant's people, who sign in to the dashboard with email and password. The email is
// unique across tenants: signing in names no tenant, so the email alone must find the one account.
export const teamUsers = alphadome.table(
  'team_users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    botTenantId: uuid('bot_tenant_id')
      .notNull()
      .references(() => botTenants.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 320 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    // scrypt$N$r$p$salt$hash; null until the one-time setup link is used.
    passwordHash: varchar('password_hash', { length: 255 }),
    setupTokenHash: varchar('setup_token_hash', { length: 128 }).unique(),
    setupExpiresAt: timestamp('setup_expires_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('team_users_tenant_idx').on(t.botTenantId)],
);

// system: dashboard sign-ins. Only a hash of the cookie's token is kept.
export const teamSessions = alphadome.table(
  'team_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => teamUsers.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 128 }).notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('team_sessions_user_idx').on(t.userId)],
);
