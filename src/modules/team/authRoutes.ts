// Signing in to the dashboard: a person sets a password with the one-time setup token, then trades
// email and password for a session cookie (HttpOnly, SameSite=Strict, Secure outside development).
// Failed sign-ins and setup tokens count against the same per-address throttle as bad API keys.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { AdminApiError, badRequest, forbidden } from '../tenants/adminErrors.js';
import { errorResponses, noContent } from '../tenants/adminSchemas.js';
import { burnOneVerification, hashPassword, verifyPassword } from './passwordHash.js';
import { CSRF_HEADER, SESSION_COOKIE, SESSION_TTL_MS, newToken, tokenHash } from './sessionTokens.js';
import { loginBody, setupBody, signedIn } from './teamSchemas.js';
import { z } from 'zod';

const tags = ['auth'];
const COOKIE_PATH = '/api/v1';

export const authRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { team, authFailures }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const failed = (request: FastifyRequest, reason: 'login' | 'setup') => {
    authFailures.metrics.authFailed('invalid');
    const throttled = authFailures.throttle.recordFailure(request.ip);
    // Neither the email nor the password nor the token: the address and what was tried.
    const where = { address: request.ip, route: request.routeOptions.url ?? null, reason };
    request.log.warn(where, 'dashboard sign-in failed');
    if (throttled)
      request.log.warn(
        where,
        'dashboard: too many failed sign-ins from this address; refusing it until its window ends',
      );
  };

  routes.post(
    '/auth/setup',
    {
      config: { publicRoute: true },
      schema: {
        tags,
        summary: 'Set a password with the one-time setup token (at least 12 characters); the token is used up',
        body: setupBody,
        response: { 200: z.object({ user_id: z.string(), email: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const done = await team.sessions.completeSetup(
        tokenHash(request.body.token),
        await hashPassword(request.body.password),
      );
      if (!done) {
        failed(request, 'setup');
        throw badRequest('The setup link is not valid: it was used already, it expired, or a newer one replaced it');
      }
      return { user_id: done.userId, email: done.email };
    },
  );

  routes.post(
    '/auth/login',
    {
      config: { publicRoute: true },
      schema: {
        tags,
        summary: 'Sign in with email and password: answers with a session cookie',
        body: loginBody,
        response: { 200: signedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const account = await team.sessions.accountByEmail(request.body.email);
      // Without an account the same work is done anyway, so the answer's timing tells nothing.
      let good = false;
      if (account?.passwordHash) good = await verifyPassword(request.body.password, account.passwordHash);
      else await burnOneVerification(request.body.password);
      if (!account || !good) {
        failed(request, 'login');
        throw new AdminApiError(401, 'Unauthorized', 'The email or the password is not right');
      }
      if (!account.usable) throw forbidden('This account is disabled, or its tenant is deactivated');
      const token = newToken();
      const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
      await team.sessions.openSession(account.userId, tokenHash(token), expiresAt);
      const session = await team.sessions.session(tokenHash(token));
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: team.secureCookies,
        path: COOKIE_PATH,
        expires: expiresAt,
      });
      return {
        user_id: account.userId,
        tenant_id: account.tenantId,
        role: session?.role ?? 'agent',
        expires_at: expiresAt.toISOString(),
      };
    },
  );

  routes.post(
    '/auth/logout',
    {
      config: { publicRoute: true },
      schema: {
        tags,
        summary: 'Sign out: the session cookie stops working at once',
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        // A forged page must not be able to sign people out either.
        if (request.headers[CSRF_HEADER] !== '1')
          throw forbidden(`A request signed in by cookie must send the ${CSRF_HEADER}: 1 header`);
        const session = await team.sessions.session(tokenHash(cookie));
        if (session) await team.sessions.revokeSession(session.sessionId);
      }
      clearCookie(reply, team.secureCookies);
      return reply.status(204).send(null);
    },
  );
};

function clearCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH });
}
