// Who is calling the admin API: the platform administrator, or one tenant's API key.

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string; keyId: string; keyPrefix: string };

/** How the audit log names the caller. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'admin' ? 'admin' : `api_key:${principal.keyPrefix}`;
}

/** A tenant key reaches only its own tenant; the administrator reaches every tenant. */
export function canReachTenant(principal: Principal, tenantId: string): boolean {
  return principal.kind === 'admin' || principal.tenantId === tenantId;
}
