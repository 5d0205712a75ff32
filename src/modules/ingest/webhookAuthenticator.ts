// Who may deliver webhooks, in two steps. Before a byte is parsed, the signature must match the
// global app secret or some tenant's own one (else 401: nothing parsed, routed or stored). Once the
// body is routed, every tenant it reaches must vouch for it: one tenant's secret never
// authenticates messages or statuses routed to another tenant.
import type { TenantDirectory } from './ports.js';
import { isSignedByAny, isValidSignature, isWellFormedSignature } from './webhookSignature.js';

/** How a request got past the first step; the second step depends on it. */
export type Admission = 'global_secret' | 'tenant_secret' | 'unsigned';

/** Why step one refused a request: no header, a header not shaped sha256=<64 hex>, or no secret matched. */
export type SignatureFailure = 'missing' | 'malformed' | 'mismatch';

export type AdmitResult = { ok: true; admission: Admission } | { ok: false; failure: SignatureFailure };

export interface WebhookAuthenticatorOptions {
  directory: Pick<TenantDirectory, 'appSecretsOf' | 'knownAppSecrets'>;
  globalAppSecret: string | null;
  /** ALLOW_UNSIGNED_WEBHOOKS=true (development only): requests without a signature header pass. */
  allowUnsigned: boolean;
}

export class WebhookAuthenticator {
  constructor(private readonly options: WebhookAuthenticatorOptions) {}

  /**
   * Step one, over the raw bytes; a failure means 401. A malformed header is refused before any
   * HMAC. Then the global secret is tried (one HMAC: the common case of one Meta app for every
   * tenant), then each distinct tenant secret. A forged request costs one HMAC per distinct secret
   * (about 1 ms per MB each), so with many tenants on apps of their own a forgery is costly: the
   * ingest service throttles addresses whose signatures keep failing: for those, `sweepTenantSecrets`
   * is false and only the global secret is tried. Meta delivers every tenant's traffic from shared
   * addresses, so one tenant with a wrong secret must not hold up the others' global-secret deliveries.
   */
  async admit(rawBody: Buffer, signature: string | undefined, sweepTenantSecrets = true): Promise<AdmitResult> {
    const { globalAppSecret, allowUnsigned, directory } = this.options;
    if (signature === undefined || signature.trim() === '') {
      return allowUnsigned ? { ok: true, admission: 'unsigned' } : { ok: false, failure: 'missing' };
    }
    if (!isWellFormedSignature(signature)) return { ok: false, failure: 'malformed' };
    if (globalAppSecret && isValidSignature(rawBody, signature, [globalAppSecret]))
      return { ok: true, admission: 'global_secret' };
    if (sweepTenantSecrets && (await isSignedByAny(rawBody, signature, await directory.knownAppSecrets())))
      return { ok: true, admission: 'tenant_secret' };
    return { ok: false, failure: 'mismatch' };
  }

  /** Step two, once the body is routed to these tenants: may it reach every one of them? */
  async vouches(
    admission: Admission,
    rawBody: Buffer,
    signature: string | undefined,
    tenantIds: string[],
  ): Promise<boolean> {
    if (admission === 'global_secret') return true;
    const secretsByTenant = await Promise.all(tenantIds.map((id) => this.options.directory.appSecretsOf([id])));
    // Unsigned (development) traffic never reaches a tenant that has a secret of its own.
    if (admission === 'unsigned') return secretsByTenant.every((secrets) => secrets.length === 0);
    return (
      secretsByTenant.length > 0 && secretsByTenant.every((secrets) => isValidSignature(rawBody, signature, secrets))
    );
  }
}
