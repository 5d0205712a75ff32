import { describe, expect, it } from 'vitest';
import { aiFallbackOrder, tenantProviderName } from './aiFallbackOrder.js';
import type { AiFallbackOrderInput } from './aiFallbackOrder.js';

const serverModels = {
  openai: 'gpt-4o-mini',
  openrouter: 'mistralai/mistral-large',
  huggingface: 'meta-llama/Llama-3.1-8B-Instruct',
};
const allServerKeys = { openai: 'srv-openai', openrouter: 'srv-openrouter', huggingface: 'srv-hf' };

function input(overrides: Partial<AiFallbackOrderInput> = {}): AiFallbackOrderInput {
  return {
    tenant: { provider: null, model: null, apiKey: null },
    tenantFallbacks: { keys: {}, models: {} },
    server: { keys: allServerKeys, models: serverModels },
    ...overrides,
  };
}

describe('aiFallbackOrder', () => {
  it('starts with the tenant provider, model and own key, then the others in the spec order', () => {
    const targets = aiFallbackOrder(
      input({ tenant: { provider: 'openrouter', model: 'anthropic/claude-3.5-haiku', apiKey: 'tenant-key' } }),
    );
    expect(targets).toEqual([
      { provider: 'openrouter', model: 'anthropic/claude-3.5-haiku', apiKey: 'tenant-key' },
      { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'srv-openai' },
      { provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKey: 'srv-hf' },
    ]);
  });

  it('uses the spec order when the tenant names no provider', () => {
    const targets = aiFallbackOrder(input());
    expect(targets.map((t) => t.provider)).toEqual(['openai', 'openrouter', 'huggingface']);
  });

  it('takes the primary key from tenant fallbacks, then the server, when the tenant has no ai_api_key', () => {
    const fromMetadata = aiFallbackOrder(
      input({
        tenant: { provider: 'huggingface', model: 'my/model', apiKey: null },
        tenantFallbacks: { keys: { huggingface: 'meta-hf' }, models: {} },
      }),
    );
    expect(fromMetadata[0]).toEqual({ provider: 'huggingface', model: 'my/model', apiKey: 'meta-hf' });

    const fromServer = aiFallbackOrder(input({ tenant: { provider: 'huggingface', model: 'my/model', apiKey: '  ' } }));
    expect(fromServer[0]).toEqual({ provider: 'huggingface', model: 'my/model', apiKey: 'srv-hf' });
  });

  it('falls back to the metadata model, then the server model, when the tenant has no ai_model', () => {
    const targets = aiFallbackOrder(
      input({
        tenant: { provider: 'openai', model: null, apiKey: 'k' },
        tenantFallbacks: { keys: {}, models: { openrouter: 'meta/or-model' } },
      }),
    );
    expect(targets.map((t) => `${t.provider}:${t.model}`)).toEqual([
      'openai:gpt-4o-mini',
      'openrouter:meta/or-model',
      'huggingface:meta-llama/Llama-3.1-8B-Instruct',
    ]);
  });

  it('prefers tenant fallback keys over server keys for the other providers', () => {
    const targets = aiFallbackOrder(
      input({
        tenant: { provider: 'openai', model: 'gpt-4o', apiKey: 'own' },
        tenantFallbacks: { keys: { openrouter: 'meta-or' }, models: {} },
      }),
    );
    expect(targets.map((t) => t.apiKey)).toEqual(['own', 'meta-or', 'srv-hf']);
  });

  it('skips providers without a key anywhere', () => {
    const targets = aiFallbackOrder(
      input({
        tenant: { provider: 'openai', model: 'gpt-4o', apiKey: null },
        tenantFallbacks: { keys: { huggingface: 'meta-hf' }, models: {} },
        server: { keys: {}, models: serverModels },
      }),
    );
    expect(targets).toEqual([
      { provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKey: 'meta-hf' },
    ]);
  });

  it('returns nothing when no key is configured at all', () => {
    expect(aiFallbackOrder(input({ server: { keys: {}, models: serverModels } }))).toEqual([]);
  });

  it('skips an unknown tenant provider and ignores its model and key', () => {
    const targets = aiFallbackOrder(
      input({ tenant: { provider: 'anthropic', model: 'claude', apiKey: 'tenant-key' } }),
    );
    expect(targets.map((t) => `${t.provider}:${t.apiKey}`)).toEqual([
      'openai:srv-openai',
      'openrouter:srv-openrouter',
      'huggingface:srv-hf',
    ]);
  });

  it('never lists a provider twice', () => {
    for (const provider of ['openai', 'openrouter', 'huggingface', 'OpenAI ', null]) {
      const targets = aiFallbackOrder(input({ tenant: { provider, model: 'm', apiKey: 'k' } }));
      const names = targets.map((t) => t.provider);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toHaveLength(3);
    }
  });

  it('accepts provider names written with other case or spaces', () => {
    expect(tenantProviderName(' OpenRouter ')).toBe('openrouter');
    expect(tenantProviderName('open ai')).toBeNull();
    expect(tenantProviderName(null)).toBeNull();
  });
});
