// Who is calling the admin API: the platform administrator, one tenant's API key, or one of a
// tenant's people signed in to the dashboard (an owner, or an agent who only answers customers).

export type TeamRole = 'owner' | 'agent';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'tenant'; tenantId: string; keyId: string; keyPrefix: string }
  | { kind: 'user'; tenantId: string; userId: string; role: TeamRole; sessionId: string };

/** A key made with a tenant key records `api_key:<prefix of that key>` as its creator: the link that revokes it with its maker. */
export const MINTED_BY_KEY = 'api_key:';

/** How the audit log (and a new key's created_by) names the caller. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'admin') return 'admin';
  if (principal.kind === 'user') return `user:${principal.userId}`;
  return `${MINTED_BY_KEY}${principal.keyPrefix}`;
}

/** A tenant key or session reaches only its own tenant; the administrator reaches every tenant. */
export function canReachTenant(principal: Principal, tenantId: string): boolean {
  return principal.kind === 'admin' || principal.tenantId === tenantId;
}
