// Which tenant a webhook change belongs to (README "What happens to a message" and "Decisions": an unknown number).

export interface RoutableTenant {
  id: string;
  phoneNumberId: string | null;
  /** Digits of client_phone. */
  phoneDigits: string;
  brandId: string | null;
  isEnvironmentDefault: boolean;
}

export type RoutingResult =
  | { kind: 'routed'; tenantId: string; via: 'phone_number_id' | 'display_phone_number' | 'default' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unrouted'; reason: string };

export function digitsOf(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D+/g, '');
}

export class TenantRoutingTable {
  private readonly byPhoneNumberId = new Map<string, string>();
  private readonly byDigits = new Map<string, string>();
  private readonly defaultTenantId: string | null;

  constructor(tenants: RoutableTenant[], defaultBrandId: string | null) {
    for (const t of tenants) {
      if (t.phoneNumberId) this.byPhoneNumberId.set(t.phoneNumberId, t.id);
      if (t.phoneDigits) this.byDigits.set(t.phoneDigits, t.id);
    }
    const byBrand = defaultBrandId ? tenants.find((t) => t.brandId === defaultBrandId) : undefined;
    const fromEnvironment = tenants.find((t) => t.isEnvironmentDefault);
    this.defaultTenantId = byBrand?.id ?? fromEnvironment?.id ?? null;
  }

  route(phoneNumberId: string | null, displayPhoneNumber: string | null): RoutingResult {
    const byId = phoneNumberId ? this.byPhoneNumberId.get(phoneNumberId) : undefined;
    const digits = digitsOf(displayPhoneNumber);
    const byPhone = digits ? this.byDigits.get(digits) : undefined;
    if (byId && byPhone && byId !== byPhone) {
      return {
        kind: 'refused',
        reason: `phone_number_id ${phoneNumberId} and display_phone_number ${displayPhoneNumber} belong to different tenants`,
      };
    }
    if (byId) return { kind: 'routed', tenantId: byId, via: 'phone_number_id' };
    if (byPhone) return { kind: 'routed', tenantId: byPhone, via: 'display_phone_number' };
    if (this.defaultTenantId) return { kind: 'routed', tenantId: this.defaultTenantId, via: 'default' };
    return {
      kind: 'unrouted',
      reason: `no tenant for phone_number_id ${phoneNumberId ?? '-'} / display_phone_number ${displayPhoneNumber ?? '-'}, and no default tenant`,
    };
  }
}
