// Who is calling the admin API: the platform administrator, or one tenant's API key.

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string; keyId: string; keyPrefix: string };

/** A key made with a tenant key records `api_key:<prefix of that key>` as its creator: the link that revokes it with its maker. */
export const MINTED_BY_KEY = 'api_key:';

/** How the audit log (and a new key's created_by) names the caller. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'admin' ? 'admin' : `${MINTED_BY_KEY}${principal.keyPrefix}`;
}

/** A tenant key reaches only its own tenant; the administrator reaches every tenant. */
export function canReachTenant(principal: Principal, tenantId: string): boolean {
  return principal.kind === 'admin' || principal.tenantId === tenantId;
}
