// Each tenant's configuration and FAQ index, built once and reused for every message until the
// tenant changes. A change notification (invalidate) rebuilds that one tenant in the background;
// a long safety interval catches a lost notification. While a rebuild runs the old context keeps
// answering (after an announced change, a message waits a moment for the new one first). The FAQ
// index is built in slices, so a tenant with 50,000 questions never holds the event loop, and the
// cache is bounded: least recently used tenants are dropped once the estimated memory is spent.
import { faqEntriesOf } from '../../domain/faqEntries.js';
import { FaqMatcher, type FaqEntry } from '../../domain/faqMatcher.js';
import { tenantSettingsOf, type TenantSettings } from '../../domain/tenantSettings.js';
import type { WordVectorSource } from '../../domain/wordVectors.js';
import { inSlices } from '../analytics/inSlices.js';
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
  /** TENANT_CONTEXT_MAX_AGE_S: even without a change notification, no context is used older than this. */
  maxAgeMs?: number;
  /** TENANT_CONTEXT_CACHE_MB: estimated memory the cached contexts may take together. */
  maxBytes?: number;
  /** How long a message waits for its tenant's rebuild after an announced change, before the old context answers it. */
  changeWaitMs?: number;
  /** Word vectors for the FAQ matcher once loaded (see wordVectorLoader.ts); lexical matching until then. */
  wordVectors?: WordVectorSource;
  /** Told when a background rebuild fails (the old context keeps answering). */
  onRebuildError?: (tenantId: string, err: unknown) => void;
  /** Runs a stepwise build, giving the event loop turns between slices. */
  runInSlices?: (step: () => boolean) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_MAX_AGE_MS = 10 * 60_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_CHANGE_WAIT_MS = 1_000;
/** A failed background rebuild is not tried again for this long: the old context answers meanwhile. */
const RETRY_AFTER_MS = 5_000;
/** Estimated bytes of a context besides its training rows and FAQ index (configuration, credentials, maps). */
const CONTEXT_BYTES = 2_048;
/** Per training row, besides its text: the row object, its id and numbers. */
const ROW_BYTES = 160;
/** FAQ rows turned into matcher entries per step of a build. */
const ROWS_PER_STEP = 500;
/** Per alternative wording of a row, besides its text. */
const STRING_BYTES = 32;

interface Built {
  context: TenantContext | null;
  bytes: number;
  builtAt: number;
  /** The entry's generation when the load started: older than the entry's means a change came since. */
  generation: number;
}

interface Entry {
  built: Built | null;
  /** Bumped by every notification that may concern the tenant. */
  generation: number;
  /** The generation of the last change announced for this tenant by name (messages wait for it briefly). */
  announced: number;
  /** The load in flight (loads of one tenant run one after the other). */
  loading: { generation: number; done: Promise<Built> } | null;
  retryAt: number;
}

export class TenantContextCache {
  /** In least-recently-used order: a use moves the tenant to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxAgeMs: number;
  private readonly maxBytes: number;
  private readonly changeWaitMs: number;
  private readonly runInSlices: (step: () => boolean) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: TenantContextCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.changeWaitMs = options.changeWaitMs ?? DEFAULT_CHANGE_WAIT_MS;
    this.runInSlices = options.runInSlices ?? inSlices;
    this.now = options.now ?? Date.now;
  }

  get(tenantId: string): Promise<TenantContext | null> {
    const entry = this.touch(tenantId);
    const built = entry.built;
    // Nothing to answer with yet: wait for the first build (a failure is not remembered).
    if (!built) return this.rebuild(tenantId, entry).then((b) => b.context);
    const current = built.generation === entry.generation && this.now() - built.builtAt < this.maxAgeMs;
    if (current || this.now() < entry.retryAt) return Promise.resolve(built.context);
    const rebuilt = this.rebuild(tenantId, entry).then((b) => b.context);
    rebuilt.catch(() => undefined);
    if (built.generation >= entry.announced) return Promise.resolve(built.context);
    // The tenant was changed since this context was built: the message sent after the change
    // should see it, unless the rebuild takes long (a big FAQ), when the old context answers.
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(built.context), this.changeWaitMs);
      rebuilt.then(
        (context) => {
          clearTimeout(timer);
          resolve(context);
        },
        () => {
          clearTimeout(timer);
          resolve(built.context);
        },
      );
    });
  }

  /**
   * A change notification. With a tenant id, that tenant is rebuilt now in the background (only if
   * cached). Anything else (after a reconnect: changes may have been missed) makes every cached
   * tenant rebuild at its next use, answering from what it has meanwhile.
   */
  invalidate(tenantId: string): void {
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) {
      for (const entry of this.entries.values()) entry.generation += 1;
      return;
    }
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    entry.generation += 1;
    entry.announced = entry.generation;
    entry.retryAt = 0;
    this.rebuild(tenantId, entry).catch((err: unknown) => this.options.onRebuildError?.(tenantId, err));
  }

  /** What the cache holds, for the metrics. */
  usage(): { entries: number; bytes: number } {
    let entries = 0;
    for (const entry of this.entries.values()) if (entry.built) entries += 1;
    return { entries, bytes: this.bytes };
  }

  private touch(tenantId: string): Entry {
    const entry = this.entries.get(tenantId) ?? { built: null, generation: 0, announced: 0, loading: null, retryAt: 0 };
    this.entries.delete(tenantId);
    this.entries.set(tenantId, entry);
    return entry;
  }

  /** A load for the entry's current generation: the one in flight, or a new one after any older one. */
  private rebuild(tenantId: string, entry: Entry): Promise<Built> {
    const generation = entry.generation;
    if (entry.loading?.generation === generation) return entry.loading.done;
    const previous = entry.loading?.done.catch(() => undefined) ?? Promise.resolve();
    const done: Promise<Built> = previous
      .then(() => this.load(tenantId, generation))
      .then(
        (built) => {
          if (entry.loading?.done === done) entry.loading = null;
          this.install(tenantId, entry, built);
          return built;
        },
        (err: unknown) => {
          if (entry.loading?.done === done) entry.loading = null;
          entry.retryAt = this.now() + RETRY_AFTER_MS;
          if (!entry.built && !entry.loading && this.entries.get(tenantId) === entry) this.entries.delete(tenantId);
          throw err;
        },
      );
    entry.loading = { generation, done };
    return done;
  }

  private install(tenantId: string, entry: Entry, built: Built): void {
    const cached = this.entries.get(tenantId) === entry;
    if (cached) this.bytes += built.bytes - (entry.built?.bytes ?? 0);
    entry.built = built;
    entry.retryAt = 0;
    if (cached) this.evict();
  }

  /** Drops least recently used tenants until the estimate fits; the most recent one always stays. */
  private evict(): void {
    let left = this.entries.size;
    for (const [tenantId, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || left <= 1) return;
      left -= 1;
      if (!entry.built) continue;
      this.entries.delete(tenantId);
      this.bytes -= entry.built.bytes;
    }
  }

  private async load(tenantId: string, generation: number): Promise<Built> {
    const builtAt = this.now();
    const configuration = await this.options.stores.forTenant(tenantId).loadConfiguration();
    if (!configuration) return { context: null, bytes: CONTEXT_BYTES, builtAt, generation };
    const faqs = configuration.training.filter((row) => row.dataType === 'faq');
    // Rows to entries a chunk at a time too: for 50,000 rows with their wordings it is about 100 ms of work.
    const entries: FaqEntry[] = [];
    let next = 0;
    await this.runInSlices(() => {
      entries.push(...faqEntriesOf(faqs.slice(next, next + ROWS_PER_STEP)));
      next += ROWS_PER_STEP;
      return next < faqs.length;
    });
    const matcher = await FaqMatcher.buildInSlices(
      entries,
      { wordVectors: this.options.wordVectors?.() ?? null },
      this.runInSlices,
    );
    const context = {
      configuration,
      faq: matcher,
      settings: tenantSettingsOf(configuration.settings),
      credentials: credentialsOf(configuration, this.options.environmentCredentials),
    };
    return {
      context,
      bytes: CONTEXT_BYTES + matcher.estimatedBytes + trainingBytes(configuration),
      builtAt,
      generation,
    };
  }
}

function trainingBytes(configuration: TenantConfiguration): number {
  let bytes = 0;
  for (const row of configuration.training) {
    bytes += ROW_BYTES + row.question.length + row.answer.length;
    for (const variant of row.variants ?? []) bytes += STRING_BYTES + variant.length;
  }
  return bytes;
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
