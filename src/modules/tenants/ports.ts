// What the admin API needs from storage. Views use the spec's column names (snake_case), which
// is also what the API speaks. Everything under TenantAdminStore is scoped to one tenant.
import type { AiProviderName } from '../../domain/aiTypes.js';
import type { Page, PageRequest } from './paging.js';

// Paging lives in paging.ts, which contentPorts.ts imports too; re-exported for the rest.
export type { Page, PageRequest } from './paging.js';

/** A secret as the API shows it: whether it is set and its last four characters, never more. */
export interface MaskedSecret {
  set: boolean;
  last4: string | null;
}

export interface TenantCredentialsView {
  whatsapp_access_token: MaskedSecret;
  ai_api_key: MaskedSecret;
  whatsapp_app_secret: MaskedSecret;
  fallback_keys: Record<AiProviderName, MaskedSecret>;
  mpesa_consumer_key: MaskedSecret;
  mpesa_consumer_secret: MaskedSecret;
  mpesa_passkey: MaskedSecret;
}

export interface TenantView {
  id: string;
  client_name: string;
  client_phone: string;
  brand_id: string | null;
  whatsapp_phone_number_id: string | null;
  whatsapp_business_account_id: string | null;
  ai_provider: string | null;
  ai_model: string | null;
  is_active: boolean;
  is_verified: boolean;
  /** The administrator lets this tenant's AI calls be paid with the server's keys. */
  server_ai_allowed: boolean;
  webhook_verify_token: string | null;
  webhook_url: string | null;
  metadata: Record<string, unknown>;
  credentials: TenantCredentialsView;
  created_at: string;
  updated_at: string;
}

/** Tenant fields an admin (or the tenant itself) may set; credentials are separate. */
export interface TenantFields {
  client_name?: string;
  client_phone?: string;
  brand_id?: string | null;
  whatsapp_phone_number_id?: string | null;
  whatsapp_business_account_id?: string | null;
  ai_provider?: AiProviderName | null;
  ai_model?: string | null;
  is_active?: boolean;
  server_ai_allowed?: boolean;
  webhook_verify_token?: string | null;
  webhook_url?: string | null;
  metadata?: Record<string, unknown>;
}

/** Credentials to set: a string sets, null clears, absent leaves as is. */
export interface CredentialChanges {
  whatsapp_access_token?: string | null;
  ai_api_key?: string | null;
  whatsapp_app_secret?: string | null;
  fallback_keys?: Partial<Record<AiProviderName, string | null>>;
  mpesa_consumer_key?: string | null;
  mpesa_consumer_secret?: string | null;
  mpesa_passkey?: string | null;
}

export interface NewTenant extends TenantFields {
  client_name: string;
  client_phone: string;
  credentials?: CredentialChanges;
}

export interface TenantListQuery extends PageRequest {
  /** Matches client name (case-insensitive, part) or phone (digits, part). */
  q: string | null;
}

/** Cross-tenant operations: only the administrator reaches these. */
export interface TenantCatalog {
  list(query: TenantListQuery): Promise<Page<TenantView>>;
  /** Throws AdminApiError 409 on a duplicate phone, phone number id or verify token. */
  create(input: NewTenant, actor: string): Promise<TenantView>;
  forTenant(tenantId: string): TenantAdminStore;
}

export interface TenantAdminStore {
  get(): Promise<TenantView | null>;
  update(fields: TenantFields, actor: string): Promise<TenantView | null>;
  /** Deletes the tenant and everything it owns; the audit rows stay. */
  delete(actor: string): Promise<boolean>;
  updateCredentials(changes: CredentialChanges, actor: string): Promise<TenantCredentialsView | null>;
}

// Templates, training rows, settings and message logs live in contentPorts.ts.
export * from './contentPorts.js';

/** An API key as listed: never the key itself nor its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Who a presented key belongs to; only live (unrevoked) keys are found. */
export interface ApiKeyOwner {
  keyId: string;
  tenantId: string;
  prefix: string;
  /** False once the tenant is deactivated: its keys then answer 403. */
  tenantActive: boolean;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  keyHash: string;
}

export interface TenantApiKeyStore {
  list(): Promise<ApiKeyView[]>;
  /** Null when the key is not this tenant's. */
  get(keyId: string): Promise<ApiKeyView | null>;
  /** Null when the tenant does not exist (any more). */
  create(key: NewApiKey, actor: string): Promise<ApiKeyView | null>;
  /**
   * Revokes the key and every live key minted through it. Null when the key is not this tenant's;
   * an already revoked key with nothing live below it is returned unchanged.
   */
  revoke(keyId: string, actor: string): Promise<ApiKeyView | null>;
}

export interface ApiKeyAccess {
  /** Crosses tenants (the key names its tenant); records the key's last use. */
  findApiKey(rawKey: string): Promise<ApiKeyOwner | null>;
  forTenant(tenantId: string): TenantApiKeyStore;
}

export interface AuditEntryView {
  id: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: string;
}

export interface TenantAuditLog {
  /** Newest first. */
  list(page: PageRequest): Promise<Page<AuditEntryView>>;
}

export interface AuditLogAccess {
  forTenant(tenantId: string): TenantAuditLog;
}
