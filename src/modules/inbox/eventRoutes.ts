// GET /tenants/{id}/events: Server-Sent Events of the tenant's new messages, delivery statuses and
// handoffs, for the dashboard's inbox. A comment line every HEARTBEAT_MS keeps proxies from closing
// an idle stream and tells the server soon when the browser is gone; a tenant has a bounded number
// of streams open per process.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { AdminApiError, notFound } from '../tenants/adminErrors.js';
import { errorResponses, tenantParams } from '../tenants/adminSchemas.js';
import type { InboxEvent } from './inboxEvents.js';

const HEARTBEAT_MS = 15_000;

export const eventRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { inbox }) => {
  // Open streams would hold the server's close until they end on their own.
  app.addHook('preClose', async () => inbox.events.close());

  app.withTypeProvider<ZodTypeProvider>().get(
    '/tenants/:tenantId/events',
    {
      schema: {
        tags: ['inbox'],
        summary:
          'Server-Sent Events: message (new inbound or outbound), status (delivery), conversation (handoff, assignment); a comment every 15 s',
        params: tenantParams,
        response: { ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      if (!(await inbox.stores.forTenant(tenantId).exists())) throw notFound(`Tenant ${tenantId}`);
      const headers = {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // nginx would otherwise hold events back until its buffer fills.
        'x-accel-buffering': 'no',
      };
      const raw = reply.raw;
      const socket = request.raw.socket;
      if (request.method === 'HEAD') {
        reply.hijack();
        raw.writeHead(200, headers);
        raw.end();
        return reply;
      }
      let heartbeat: NodeJS.Timeout | null = null;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        if (heartbeat) clearInterval(heartbeat);
        unsubscribe?.();
        // A stream's connection is never reused; left open (a client that stopped reading without
        // closing) it would also hold the server's shutdown.
        raw.end();
        socket.destroy();
      };
      const unsubscribe = inbox.events.subscribe(tenantId, {
        send: (event: InboxEvent) => {
          if (!ended) raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
        },
        end,
      });
      if (!unsubscribe)
        throw new AdminApiError(
          429,
          'Too many requests',
          'This tenant has too many event streams open; close another tab first',
        );
      reply.hijack();
      raw.writeHead(200, headers);
      raw.write('retry: 3000\n: connected\n\n');
      heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      // The response closes when the browser goes away (or the connection breaks).
      raw.on('close', end);
      raw.on('error', end);
    },
  );
};
