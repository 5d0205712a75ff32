import { describe, expect, it } from 'vitest';
import { embeddingModelLabel, embeddingTarget, type EmbeddingTenant } from './embeddingTarget.js';

const model = { provider: 'openai' as const, model: 'text-embedding-3-small' };
const server = { keys: { openai: 'sk-server' }, allowedModels: new Set(['text-embedding-3-small']) };
const tenant = (overrides: Partial<EmbeddingTenant> = {}): EmbeddingTenant => ({
  aiProvider: 'openai',
  aiApiKey: 'sk-tenant',
  serverAiAllowed: true,
  metadata: {},
  ...overrides,
});

describe('embeddingTarget', () => {
  it("pays with the tenant's own key at the model's provider, as the chat path would", () => {
    expect(embeddingTarget(model, tenant(), server)).toEqual({ ...model, apiKey: 'sk-tenant' });
  });

  it("uses the tenant's fallback key when its own provider is another one", () => {
    const onOpenRouter = tenant({ aiProvider: 'openrouter', metadata: { fallback_keys: { openai: 'sk-fallback' } } });
    expect(embeddingTarget(model, onOpenRouter, server)?.apiKey).toBe('sk-fallback');
  });

  it("uses the server's key only for a tenant the server pays for, and a model it allows", () => {
    const keyless = tenant({ aiProvider: 'openrouter', aiApiKey: 'sk-or' });
    expect(embeddingTarget(model, keyless, server)?.apiKey).toBe('sk-server');
    expect(embeddingTarget(model, { ...keyless, serverAiAllowed: false }, server)).toBeNull();
    expect(embeddingTarget(model, keyless, { ...server, allowedModels: new Set<string>() })).toBeNull();
    expect(embeddingTarget(model, keyless, { keys: {}, allowedModels: server.allowedModels })).toBeNull();
  });

  it('labels vectors with provider and model', () => {
    expect(embeddingModelLabel(model)).toBe('openai:text-embedding-3-small');
  });
});
