import { describe, expect, it } from 'vitest';
import type { TenantConfiguration, TenantReplyStore, TenantStores } from './ports.js';
import { TenantContextCache } from './tenantContextCache.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

/** Tenants whose FAQ answer is a version number; a load can be held until released. */
class VersionedTenants implements TenantStores {
  readonly loads: string[] = [];
  readonly versions = new Map<string, number>();
  readonly faqCount = new Map<string, number>();
  held: { release: () => void } | null = null;
  private gate: Promise<void> | null = null;
  failNext = false;

  hold(): void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held = {
      release: () => {
        this.gate = null;
        release();
      },
    };
  }

  forTenant(tenantId: string): TenantReplyStore {
    const load = async (): Promise<TenantConfiguration | null> => {
      this.loads.push(tenantId);
      const version = this.versions.get(tenantId) ?? 1;
      const rows = this.faqCount.get(tenantId) ?? 1;
      await this.gate;
      if (this.failNext) {
        this.failNext = false;
        throw new Error('database unavailable');
      }
      return configuration(tenantId, version, rows);
    };
    return { loadConfiguration: load } as unknown as TenantReplyStore;
  }
}

function configuration(id: string, version: number, rows: number): TenantConfiguration {
  return {
    tenant: {
      id,
      name: id,
      isActive: true,
      phoneNumberId: 'PNID',
      accessToken: 'EAA',
      aiProvider: null,
      aiModel: null,
      aiApiKey: null,
      serverAiAllowed: true,
      metadata: {},
    },
    template: null,
    training: Array.from({ length: rows }, (_, i) => ({
      id: `${id}-${i}`,
      dataType: 'faq',
      question: i === 0 ? 'Do you deliver?' : `Question number ${i} about item ${i}?`,
      answer: `v${version}`,
      priority: 5,
      confidenceScore: 0.9,
    })),
    settings: {
      isBotEnabled: true,
      enableAiResponses: true,
      enableAutoReply: true,
      enableTrainingMode: false,
      enablePaymentFlow: false,
      maxMessagesPerHour: 100,
      maxMessagesPerUserPerDay: 50,
      logConversations: true,
      logErrors: true,
      escalationPhone: null,
      escalationEmail: null,
      metadata: {},
    },
  };
}

const answerOf = async (cache: TenantContextCache, id: string) =>
  (await cache.get(id))?.faq.match('Do you deliver?', 0.65)?.entry.answer;
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
/** The answer once it is `expected` (the background rebuild has landed), or the last one after a second. */
async function answerSoon(cache: TenantContextCache, id: string, expected: string): Promise<string | undefined> {
  const deadline = Date.now() + 1_000;
  let answer = await answerOf(cache, id);
  while (answer !== expected && Date.now() < deadline) {
    await settle();
    answer = await answerOf(cache, id);
  }
  return answer;
}

describe('TenantContextCache', () => {
  it('builds a tenant once and reuses it until its change notification', async () => {
    const tenants = new VersionedTenants();
    const cache = new TenantContextCache({ stores: tenants, environmentCredentials: null });
    await Promise.all([cache.get(A), cache.get(A), cache.get(B)]);
    expect(await answerOf(cache, A)).toBe('v1');
    expect(tenants.loads).toEqual([A, B]);

    tenants.versions.set(A, 2);
    cache.invalidate(A);
    expect(await answerOf(cache, A)).toBe('v2');
    expect(await answerOf(cache, B)).toBe('v1');
    expect(tenants.loads).toEqual([A, B, A]);
    // A notification for a tenant this process never used costs nothing.
    cache.invalidate(C);
    await settle();
    expect(tenants.loads).toEqual([A, B, A]);
  });

  it('keeps answering from the old context while an aged one is rebuilt, then uses the new one', async () => {
    let now = 0;
    const tenants = new VersionedTenants();
    const cache = new TenantContextCache({
      stores: tenants,
      environmentCredentials: null,
      maxAgeMs: 60_000,
      now: () => now,
    });
    expect(await answerOf(cache, A)).toBe('v1');
    now = 61_000;
    tenants.versions.set(A, 2);
    tenants.hold();
    // The rebuild is held: every message meanwhile is answered at once, from v1, by one rebuild.
    expect(await answerOf(cache, A)).toBe('v1');
    expect(await answerOf(cache, A)).toBe('v1');
    expect(tenants.loads).toEqual([A, A]);
    tenants.held?.release();
    expect(await answerSoon(cache, A, 'v2')).toBe('v2');
    expect(tenants.loads).toEqual([A, A]);
  });

  it('after an announced change, waits briefly for the rebuild, and answers from the old context if it takes long', async () => {
    const tenants = new VersionedTenants();
    const cache = new TenantContextCache({ stores: tenants, environmentCredentials: null, changeWaitMs: 30 });
    expect(await answerOf(cache, A)).toBe('v1');
    tenants.versions.set(A, 2);
    cache.invalidate(A);
    // A quick rebuild: the message sent after the change sees it.
    expect(await answerOf(cache, A)).toBe('v2');

    tenants.versions.set(A, 3);
    tenants.hold();
    cache.invalidate(A);
    expect(await answerOf(cache, A)).toBe('v2');
    tenants.held?.release();
    expect(await answerSoon(cache, A, 'v3')).toBe('v3');
  });

  it('keeps the old context when a rebuild fails, and does not remember a failed first load', async () => {
    const tenants = new VersionedTenants();
    const cache = new TenantContextCache({ stores: tenants, environmentCredentials: null, changeWaitMs: 1_000 });
    tenants.failNext = true;
    await expect(cache.get(A)).rejects.toThrow(/unavailable/);
    expect(await answerOf(cache, A)).toBe('v1');
    tenants.failNext = true;
    tenants.versions.set(A, 2);
    cache.invalidate(A);
    expect(await answerOf(cache, A)).toBe('v1');
    expect(cache.usage().entries).toBe(1);
  });

  it('after a reconnect (a notification without a tenant id), rebuilds each tenant at its next use, answering meanwhile', async () => {
    const tenants = new VersionedTenants();
    const cache = new TenantContextCache({ stores: tenants, environmentCredentials: null });
    await cache.get(A);
    await cache.get(B);
    tenants.versions.set(A, 2);
    tenants.hold();
    cache.invalidate('*');
    expect(tenants.loads).toEqual([A, B]);
    expect(await answerOf(cache, A)).toBe('v1');
    tenants.held?.release();
    expect(await answerSoon(cache, A, 'v2')).toBe('v2');
    expect(tenants.loads).toEqual([A, B, A]);
  });

  it('drops the least recently used tenants once the estimated memory is spent', async () => {
    const tenants = new VersionedTenants();
    for (const id of [A, B, C]) tenants.faqCount.set(id, 200);
    const probe = new TenantContextCache({ stores: tenants, environmentCredentials: null });
    await probe.get(A);
    const one = probe.usage().bytes;
    expect(one).toBeGreaterThan(200 * 100);

    // Room for two tenants of this size, not three.
    const cache = new TenantContextCache({
      stores: tenants,
      environmentCredentials: null,
      maxBytes: Math.floor(one * 2.5),
    });
    await cache.get(A);
    await cache.get(B);
    await cache.get(A);
    tenants.loads.splice(0);
    await cache.get(C);
    expect(cache.usage()).toEqual({ entries: 2, bytes: expect.any(Number) as number });
    expect(cache.usage().bytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
    // B was used least recently: it is the one loaded again; A and C are still held.
    await cache.get(A);
    await cache.get(C);
    expect(tenants.loads).toEqual([C]);
    await cache.get(B);
    expect(tenants.loads).toEqual([C, B]);
  });

  it('keeps a tenant bigger than the whole budget while it is the one in use', async () => {
    const tenants = new VersionedTenants();
    tenants.faqCount.set(A, 500);
    const cache = new TenantContextCache({ stores: tenants, environmentCredentials: null, maxBytes: 1_000 });
    await cache.get(B);
    await cache.get(A);
    expect(cache.usage().entries).toBe(1);
    await cache.get(A);
    expect(tenants.loads).toEqual([B, A]);
  });
});
