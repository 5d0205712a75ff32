// The database schema's namespace and the column shapes its tables share.
import { sql } from 'drizzle-orm';
import { jsonb, pgSchema, timestamp } from 'drizzle-orm/pg-core';

export const alphadome = pgSchema('alphadome');

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const jsonObject = (name: string) =>
  jsonb(name).$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`);
