// Dashboard session cookies and one-time setup links: random tokens of which only a hash is kept,
// and the header that tells an unsafe request sent from our own page from a forged one.
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'alphadome_session';
/** A cross-site form or image cannot set a custom header, and a cross-site fetch that sets one needs a CORS yes we never give. */
export const CSRF_HEADER = 'x-alphadome-csrf';
export const SESSION_TTL_MS = 12 * 60 * 60_000;
export const SETUP_TTL_MS = 72 * 60 * 60_000;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE.has(method.toUpperCase());
}

/** The routes an agent may use: every read but keys, credentials, people and the audit; writes only where a route allows it. */
export function agentMay(method: string, routeUrl: string | undefined, routeAllowsAgents: boolean): boolean {
  if (routeAllowsAgents) return true;
  if (isUnsafeMethod(method)) return false;
  return !/\/(api-keys|credentials|users|audit)(\/|$)/.test(routeUrl ?? '');
}
