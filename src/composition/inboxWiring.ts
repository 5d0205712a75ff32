// Part of the composition root (app.ts): wires team accounts, dashboard sessions and the live inbox
// to their database and Graph API adapters, kept here so app.ts gains a few lines only.
import { sql } from 'drizzle-orm';
import type { Database } from '../adapters/db/database.js';
import { DbInboxStore } from '../adapters/db/tenantInboxStore.js';
import { DbSessionDirectory } from '../adapters/db/teamSessionDirectory.js';
import { DbTeamStore } from '../adapters/db/teamUserStore.js';
import { GraphTemplateClient } from '../adapters/whatsapp/graphTemplateClient.js';
import { AnnouncementBatcher } from '../modules/inbox/announcementBatcher.js';
import { InboxEvents } from '../modules/inbox/inboxEvents.js';
import type { InboxOptions } from '../modules/inbox/inboxOptions.js';
import { TemplateCache } from '../modules/inbox/templateCache.js';
import type { TemplateSender } from '../modules/replies/carePorts.js';
import type { WhatsAppSender } from '../modules/replies/ports.js';
import type { TenantContextCache } from '../modules/replies/tenantContextCache.js';
import type { AdminApiOptions } from '../modules/tenants/adminApiOptions.js';

const INBOX_CHANNEL = 'alphadome_inbox';
/** How long a burst of inbox changes is gathered into one NOTIFY: far below what a person notices. */
const ANNOUNCE_INTERVAL_MS = 25;

export interface InboxWiringOptions {
  database: Database;
  contexts: Pick<TenantContextCache, 'get'>;
  sender: WhatsAppSender & TemplateSender;
  graph: { baseUrl: string; version: string; timeoutMs: number };
  publicBaseUrl: string | null;
  nodeEnv: string;
  logger: { warn(obj: object, msg: string): void };
}

export async function inboxWiring(options: InboxWiringOptions): Promise<{
  team: AdminApiOptions['team'];
  options: InboxOptions;
  dashboardLink: (tenantId: string, userPhone: string) => string | null;
}> {
  const { database, publicBaseUrl } = options;
  const { db } = database;
  const stores = { forTenant: (tenantId: string) => new DbInboxStore(db, tenantId) };
  const events = new InboxEvents({ stores, logger: options.logger });
  // PostgreSQL: every process's feed hears it (after commit, outside any transaction). PGlite: one process.
  // One NOTIFY per batch of tenants rather than per webhook delivery (a round trip each).
  const batcher = new AnnouncementBatcher({
    send: async (tenantIds) => {
      await db.execute(
        sql`SELECT pg_notify(${INBOX_CHANNEL}, t) FROM unnest(string_to_array(${tenantIds.join(',')}, ',')) AS t`,
      );
    },
    intervalMs: ANNOUNCE_INTERVAL_MS,
    logger: options.logger,
  });
  const announce =
    database.engine === 'postgres'
      ? (tenantId: string) => batcher.announce(tenantId)
      : (tenantId: string) => events.hint(tenantId);
  if (database.engine === 'postgres') await database.listen(INBOX_CHANNEL, (tenantId) => events.hint(tenantId));
  return {
    team: {
      users: { forTenant: (tenantId) => new DbTeamStore(db, tenantId) },
      sessions: new DbSessionDirectory(db),
      publicBaseUrl,
      secureCookies: options.nodeEnv !== 'development',
    },
    options: {
      stores,
      credentials: async (tenantId) => (await options.contexts.get(tenantId))?.credentials ?? null,
      sender: options.sender,
      templates: new TemplateCache(
        new GraphTemplateClient({
          baseUrl: options.graph.baseUrl,
          apiVersion: options.graph.version,
          timeoutMs: options.graph.timeoutMs,
        }),
      ),
      events,
      announce,
    },
    dashboardLink: (tenantId, userPhone) =>
      publicBaseUrl ? `${publicBaseUrl}/dashboard/inbox/${encodeURIComponent(userPhone)}?tenant=${tenantId}` : null,
  };
}
