// Who is calling, and may they reach this route and this tenant: decided once for the whole
// /api/v1 scope, before validation and before any handler, so no route can forget it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdminApiError, forbidden, notFound } from './adminErrors.js';
import type { AuthFailureThrottle } from '../../http/authFailureThrottle.js';
import { canReachTenant, type Principal } from './principal.js';
import type { ApiKeyAccess } from './ports.js';
import type { SessionDirectory } from '../team/teamPorts.js';
import { CSRF_HEADER, SESSION_COOKIE, agentMay, isUnsafeMethod, tokenHash } from '../team/sessionTokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Only the platform administrator may call this route; a tenant key gets 403. */
    adminOnly?: boolean;
    /** Answers without a caller (sign-in, password setup): the route checks what it is given itself. */
    publicRoute?: boolean;
    /** An agent (a signed-in team member who is not an owner) may use this write route. */
    agentMay?: boolean;
  }
}

/** missing: no bearer token; invalid: a wrong token or an unknown or revoked key; throttled: refused unread (429). */
export type AuthFailureReason = 'missing' | 'invalid' | 'throttled';

export interface AuthFailureMetrics {
  authFailed(reason: AuthFailureReason): void;
}

export interface AdminAuthOptions {
  /** Null turns administrator access off: only tenant keys work. */
  adminToken: string | null;
  apiKeys: Pick<ApiKeyAccess, 'findApiKey'>;
  throttle: AuthFailureThrottle;
  metrics: AuthFailureMetrics;
  /** Dashboard sessions (the session cookie); without it only bearer tokens work. */
  sessions?: Pick<SessionDirectory, 'session'>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adminAuth(app: FastifyInstance, options: AdminAuthOptions): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    // A throttled address is refused before its token is looked at, so a good token guessed
    // during the wait is not confirmed either.
    const wait = options.throttle.retryAfterSeconds(request.ip);
    if (wait !== null) {
      options.metrics.authFailed('throttled');
      reply.header('retry-after', String(wait));
      throw new AdminApiError(
        429,
        'Too many requests',
        `Too many failed authentications from this address; try again in ${wait} s`,
      );
    }
    if (request.routeOptions.config.publicRoute) return;
    const token = bearerToken(request.headers.authorization);
    const cookie = token || !options.sessions ? undefined : request.cookies[SESSION_COOKIE];
    if (cookie && options.sessions) {
      // A stale cookie is a browser that slept, not a guess: refused, but not counted as a failure.
      const caller = await sessionCaller(cookie, options.sessions);
      if (!caller) throw new AdminApiError(401, 'Unauthorized', 'The session has ended; sign in again');
      // The cookie goes with every request the browser makes, forged ones too; the header only with ours.
      if (isUnsafeMethod(request.method) && request.headers[CSRF_HEADER] !== '1') {
        throw forbidden(`A request signed in by cookie must send the ${CSRF_HEADER}: 1 header`);
      }
      return admit(request, caller);
    }
    const caller = token ? await authenticate(token, options) : null;
    if (!caller) {
      const reason = token ? 'invalid' : 'missing';
      options.metrics.authFailed(reason);
      const throttled = options.throttle.recordFailure(request.ip);
      // The route's pattern, not the URL: ids and query strings stay out of the log. Never the token.
      const where = { address: request.ip, method: request.method, route: request.routeOptions.url ?? null, reason };
      request.log.warn(where, 'admin API authentication failed');
      if (throttled)
        request.log.warn(
          where,
          'admin API: too many failed authentications from this address; refusing it until its window ends',
        );
      reply.header('www-authenticate', 'Bearer');
      throw new AdminApiError(
        401,
        'Unauthorized',
        token ? 'The bearer token is not valid' : 'Send Authorization: Bearer <admin token or API key>',
      );
    }
    admit(request, caller);
  });
}

function admit(request: FastifyRequest, caller: { principal: Principal; active: boolean }): void {
  // The key is real but its tenant is switched off: every route, /me too, until the administrator
  // turns it back on (a tenant key cannot: is_active is the administrator's).
  if (!caller.active)
    throw forbidden('This tenant is deactivated: its API keys are refused until the administrator reactivates it');
  const { principal } = caller;
  request.principal = principal;
  if (request.routeOptions.config.adminOnly && principal.kind !== 'admin') {
    throw forbidden('Only the platform administrator may call this endpoint');
  }
  // Another tenant's id answers exactly like one that does not exist.
  const tenantId = (request.params as Record<string, string | undefined>)['tenantId'];
  if (tenantId !== undefined && (!UUID.test(tenantId) || !canReachTenant(principal, tenantId))) {
    throw notFound(`Tenant ${tenantId}`);
  }
  if (
    principal.kind === 'user' &&
    principal.role === 'agent' &&
    !agentMay(request.method, request.routeOptions.url, request.routeOptions.config.agentMay === true)
  ) {
    throw forbidden(
      "An agent answers customers; users, keys, credentials and settings are managed by the tenant's owners",
    );
  }
}

async function sessionCaller(
  cookie: string,
  sessions: Pick<SessionDirectory, 'session'>,
): Promise<{ principal: Principal; active: boolean } | null> {
  const session = await sessions.session(tokenHash(cookie));
  if (!session) return null;
  const { sessionId, userId, tenantId, role } = session;
  return { principal: { kind: 'user', tenantId, userId, role, sessionId }, active: session.tenantActive };
}

/** The caller resolved by adminAuth; every route under it has one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AdminApiError(401, 'Unauthorized', 'Send Authorization: Bearer <admin token or API key>');
  return request.principal;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

async function authenticate(
  token: string,
  options: AdminAuthOptions,
): Promise<{ principal: Principal; active: boolean } | null> {
  if (options.adminToken !== null && sameSecret(token, options.adminToken))
    return { principal: { kind: 'admin' }, active: true };
  const key = await options.apiKeys.findApiKey(token);
  return key
    ? {
        principal: { kind: 'tenant', tenantId: key.tenantId, keyId: key.keyId, keyPrefix: key.prefix },
        active: key.tenantActive,
      }
    : null;
}

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Constant-time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
