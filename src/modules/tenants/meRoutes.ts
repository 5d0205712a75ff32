// Who am I: a client holding only a token (the dashboard) learns whether it is the administrator
// or which one tenant its API key reaches, without being told any other tenant's id.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { principalOf } from './adminAuth.js';
import { AdminApiError } from './adminErrors.js';
import { errorResponses } from './adminSchemas.js';

const meView = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin') }),
  z.object({
    role: z.literal('tenant'),
    tenant_id: z.string(),
    tenant_name: z.string(),
    platform_limits: z
      .object({ max_messages_per_hour: z.number(), max_messages_per_user_per_day: z.number() })
      .describe('The most this key may set its limits to (PLATFORM_MAX_*); the administrator may set more'),
    user: z
      .object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(['owner', 'agent']) })
      .optional()
      .describe('The signed-in person, when the caller is a dashboard session rather than an API key'),
  }),
]);

export const meRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { catalog, platformLimits, team }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The caller: the administrator, or the tenant its API key belongs to',
        response: { 200: meView, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind === 'admin') return { role: 'admin' as const };
      const tenant = await catalog.forTenant(principal.tenantId).get();
      // A key outliving its tenant is as good as no key.
      if (!tenant) throw new AdminApiError(401, 'Unauthorized', 'The bearer token is not valid');
      const user =
        principal.kind === 'user' ? await team.users.forTenant(principal.tenantId).get(principal.userId) : null;
      return {
        ...(user ? { user: { id: user.id, email: user.email, name: user.name, role: user.role } } : {}),
        role: 'tenant' as const,
        tenant_id: tenant.id,
        tenant_name: tenant.client_name,
        platform_limits: {
          max_messages_per_hour: platformLimits.maxMessagesPerHour,
          max_messages_per_user_per_day: platformLimits.maxMessagesPerUserPerDay,
        },
      };
    },
  );
};
