// Turns a bot_tenants row into what the admin API shows: every secret masked.
import { AI_PROVIDERS } from '../../domain/aiTypes.js';
import type { MaskedSecret, TenantCredentialsView, TenantView } from '../../modules/tenants/ports.js';
import type { SecretLocation } from '../crypto/secretCipher.js';
import { credentialLocation, type CredentialColumn } from './credentialVault.js';
import type { botTenants } from './schema.js';

/** Seals and opens stored secrets, each bound to where it is stored (implemented by the crypto adapter). */
export interface CredentialCipher {
  encrypt(plain: string, location: SecretLocation): string;
  decrypt(stored: string, location: SecretLocation): string;
  isEncrypted(value: string): boolean;
}

export type TenantRow = typeof botTenants.$inferSelect;

export function maskSecret(
  stored: string | null | undefined,
  cipher: CredentialCipher,
  tenantId: string,
  column: CredentialColumn,
): MaskedSecret {
  if (!stored) return { set: false, last4: null };
  try {
    const plain = cipher.isEncrypted(stored) ? cipher.decrypt(stored, credentialLocation(tenantId, column)) : stored;
    return { set: true, last4: plain.length >= 8 ? plain.slice(-4) : null };
  } catch {
    // Set, but unreadable with the current keys: say so without guessing.
    return { set: true, last4: null };
  }
}

export function credentialsView(row: TenantRow, cipher: CredentialCipher): TenantCredentialsView {
  const fallback = (row.metadata['fallback_keys'] ?? {}) as Record<string, unknown>;
  const fallbackKeys = Object.fromEntries(
    AI_PROVIDERS.map((p) => [
      p,
      maskSecret(typeof fallback[p] === 'string' ? fallback[p] : null, cipher, row.id, `fallback_keys.${p}`),
    ]),
  ) as TenantCredentialsView['fallback_keys'];
  return {
    whatsapp_access_token: maskSecret(row.whatsappAccessToken, cipher, row.id, 'whatsapp_access_token'),
    ai_api_key: maskSecret(row.aiApiKey, cipher, row.id, 'ai_api_key'),
    whatsapp_app_secret: maskSecret(row.whatsappAppSecret, cipher, row.id, 'whatsapp_app_secret'),
    fallback_keys: fallbackKeys,
    mpesa_consumer_key: maskSecret(row.mpesaConsumerKey, cipher, row.id, 'mpesa_consumer_key'),
    mpesa_consumer_secret: maskSecret(row.mpesaConsumerSecret, cipher, row.id, 'mpesa_consumer_secret'),
    mpesa_passkey: maskSecret(row.mpesaPasskey, cipher, row.id, 'mpesa_passkey'),
  };
}

export function tenantView(row: TenantRow, cipher: CredentialCipher): TenantView {
  const { fallback_keys: _secrets, ...metadata } = row.metadata;
  return {
    id: row.id,
    client_name: row.clientName,
    client_phone: row.clientPhone,
    brand_id: row.brandId,
    whatsapp_phone_number_id: row.whatsappPhoneNumberId,
    whatsapp_business_account_id: row.whatsappBusinessAccountId,
    ai_provider: row.aiProvider,
    ai_model: row.aiModel,
    is_active: row.isActive,
    is_verified: row.isVerified,
    server_ai_allowed: row.serverAiAllowed,
    // Stored as a hash (VerifyTokenHasher): only whether it is set can be shown.
    webhook_verify_token: row.webhookVerifyToken ? '[set]' : null,
    webhook_url: row.webhookUrl,
    metadata,
    credentials: credentialsView(row, cipher),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
