// The spec's five tables, column for column, plus the columns processing needs (marked "system"),
// and the tables the product added, one file per area under schema/. drizzle.config.ts reads this file.
export { alphadome } from './schema/columns.js';
export * from './schema/tenants.js';
export * from './schema/embeddings.js';
export * from './schema/access.js';
export * from './schema/messages.js';
export * from './schema/payments.js';
