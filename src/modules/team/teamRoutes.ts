// A tenant's people: the administrator or the tenant's owners invite, list, change, disable and
// remove them. An invitation answers with a one-time setup token (shown once, kept as a hash).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { principalOf } from '../tenants/adminAuth.js';
import { conflict, notFound } from '../tenants/adminErrors.js';
import { errorResponses, noContent, tenantParams } from '../tenants/adminSchemas.js';
import { actorOf, type Principal } from '../tenants/principal.js';
import { SETUP_TTL_MS, newToken, tokenHash } from './sessionTokens.js';
import { invitedUser, newUserBody, teamUserView, userChangeBody, userParams } from './teamSchemas.js';

const tags = ['team'];

export const teamRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { team }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const setupUrl = (token: string) =>
    team.publicBaseUrl ? `${team.publicBaseUrl}/dashboard/setup#token=${token}` : null;

  routes.get(
    '/tenants/:tenantId/users',
    {
      schema: {
        tags,
        summary: "The tenant's people (owners and agents), oldest first",
        params: tenantParams,
        response: { 200: z.object({ data: z.array(teamUserView) }), ...errorResponses },
      },
    },
    async (request) => ({ data: await team.users.forTenant(request.params.tenantId).list() }),
  );

  routes.post(
    '/tenants/:tenantId/users',
    {
      schema: {
        tags,
        summary: 'Invite a person: the answer carries a one-time setup token, valid 72 hours (shown once)',
        params: tenantParams,
        body: newUserBody,
        response: { 201: invitedUser, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const token = newToken();
      const created = await team.users
        .forTenant(tenantId)
        .create(
          { ...request.body, setupTokenHash: tokenHash(token), setupExpiresAt: new Date(Date.now() + SETUP_TTL_MS) },
          actorOf(principalOf(request)),
        );
      if (!created) throw notFound(`Tenant ${tenantId}`);
      if (created === 'taken') throw conflict('An account with this email exists already');
      return reply.status(201).send({ ...created, setup_token: token, setup_url: setupUrl(token) });
    },
  );

  routes.patch(
    '/tenants/:tenantId/users/:userId',
    {
      schema: {
        tags,
        summary:
          'Rename, change the role of, disable or re-enable a person (disabling or a new role ends their sessions)',
        params: userParams,
        body: userChangeBody,
        response: { 200: teamUserView, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.params;
      const principal = principalOf(request);
      if ((request.body.disabled || request.body.role === 'agent') && isSelf(principal, userId)) {
        throw conflict('You cannot disable or demote yourself; another owner (or the administrator) can');
      }
      return (
        (await team.users.forTenant(tenantId).update(userId, request.body, actorOf(principal))) ?? missingUser(userId)
      );
    },
  );

  routes.post(
    '/tenants/:tenantId/users/:userId/setup-link',
    {
      schema: {
        tags,
        summary: 'A new one-time setup token for this person (a forgotten password); earlier ones stop working',
        params: userParams,
        response: { 200: invitedUser, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.params;
      const token = newToken();
      const user = await team.users
        .forTenant(tenantId)
        .reissueSetup(userId, tokenHash(token), new Date(Date.now() + SETUP_TTL_MS), actorOf(principalOf(request)));
      return user ? { ...user, setup_token: token, setup_url: setupUrl(token) } : missingUser(userId);
    },
  );

  routes.delete(
    '/tenants/:tenantId/users/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a person: their sessions end at once',
        params: userParams,
        response: { 204: noContent, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.params;
      const principal = principalOf(request);
      if (isSelf(principal, userId))
        throw conflict('You cannot remove yourself; another owner (or the administrator) can');
      if (!(await team.users.forTenant(tenantId).remove(userId, actorOf(principal)))) missingUser(userId);
      return reply.status(204).send(null);
    },
  );
};

function isSelf(principal: Principal, userId: string): boolean {
  return principal.kind === 'user' && principal.userId === userId;
}

function missingUser(userId: string): never {
  throw notFound(`User ${userId}`);
}
