// Each tenant's configuration and FAQ index, built once and reused for every message until the
// tenant changes (change notifications call invalidate) or the entry grows old.
import { faqEntriesOf } from '../../domain/faqEntries.js';
import { FaqMatcher } from '../../domain/faqMatcher.js';
import { tenantSettingsOf, type TenantSettings } from '../../domain/tenantSettings.js';
import type { WordVectorSource } from '../../domain/wordVectors.js';
import type { TenantConfiguration, TenantStores, WhatsAppCredentials } from './ports.js';

export interface TenantContext {
  configuration: TenantConfiguration;
  faq: FaqMatcher;
  /** The settings, read once here: no step of a turn reads configuration.settings again. */
  settings: TenantSettings;
  credentials: WhatsAppCredentials | null;
}

export interface TenantContextCacheOptions {
  stores: TenantStores;
  /** WHATSAPP_ACCESS_TOKEN / WHATSAPP_PHONE_NUMBER_ID for the tenant made from the environment. */
  environmentCredentials: WhatsAppCredentials | null;
  maxAgeMs?: number;
  /** Word vectors for the FAQ matcher once loaded (see wordVectorLoader.ts); lexical matching until then. */
  wordVectors?: WordVectorSource;
  now?: () => number;
}

export class TenantContextCache {
  private readonly entries = new Map<string, { context: Promise<TenantContext | null>; loadedAt: number }>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TenantContextCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get(tenantId: string): Promise<TenantContext | null> {
    const cached = this.entries.get(tenantId);
    if (cached && this.now() - cached.loadedAt < this.maxAgeMs) return cached.context;
    const context = this.load(tenantId);
    const entry = { context, loadedAt: this.now() };
    this.entries.set(tenantId, entry);
    // A failed load must not be remembered.
    context.catch(() => {
      if (this.entries.get(tenantId) === entry) this.entries.delete(tenantId);
    });
    return context;
  }

  /** Drops one tenant, or every tenant when the id is not a tenant id (e.g. after a reconnect). */
  invalidate(tenantId: string): void {
    if (this.entries.has(tenantId)) this.entries.delete(tenantId);
    else if (!/^[0-9a-f-]{36}$/i.test(tenantId)) this.entries.clear();
  }

  private async load(tenantId: string): Promise<TenantContext | null> {
    const configuration = await this.options.stores.forTenant(tenantId).loadConfiguration();
    if (!configuration) return null;
    const faqs = configuration.training.filter((row) => row.dataType === 'faq');
    return {
      configuration,
      faq: new FaqMatcher(faqEntriesOf(faqs), { wordVectors: this.options.wordVectors?.() ?? null }),
      settings: tenantSettingsOf(configuration.settings),
      credentials: credentialsOf(configuration, this.options.environmentCredentials),
    };
  }
}

function credentialsOf(
  configuration: TenantConfiguration,
  fromEnvironment: WhatsAppCredentials | null,
): WhatsAppCredentials | null {
  const { tenant } = configuration;
  if (tenant.metadata['source'] === 'environment' && fromEnvironment) return fromEnvironment;
  if (!tenant.phoneNumberId || !tenant.accessToken) return null;
  return { phoneNumberId: tenant.phoneNumberId, accessToken: tenant.accessToken };
}
