import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('embedding settings', () => {
  it("default to OpenAI's text-embedding-3-small, 1.5 s per message, a refresh a minute, similarity 0.75", () => {
    const config = loadConfig({});
    expect(config.embeddings).toEqual({
      model: { provider: 'openai', model: 'text-embedding-3-small' },
      timeoutMs: 1_500,
      refreshEveryMs: 60_000,
      minSimilarity: 0.75,
    });
    // The server's own choice of model is one its keys pay for.
    expect(config.ai.serverAllowedModels.has('text-embedding-3-small')).toBe(true);
  });

  it('read a provider:model, the timeouts and the floor; off turns them off', () => {
    const config = loadConfig({
      EMBEDDING_MODEL: 'openrouter:openai/text-embedding-3-large',
      EMBEDDING_TIMEOUT_MS: '800',
      EMBEDDING_REFRESH_S: '300',
      EMBEDDING_MIN_SIMILARITY: '0.82',
    });
    expect(config.embeddings).toEqual({
      model: { provider: 'openrouter', model: 'openai/text-embedding-3-large' },
      timeoutMs: 800,
      refreshEveryMs: 300_000,
      minSimilarity: 0.82,
    });
    expect(config.ai.serverAllowedModels.has('openai/text-embedding-3-large')).toBe(true);
    expect(loadConfig({ EMBEDDINGS: 'off' }).embeddings).toBeNull();
  });

  it('refuse a similarity outside (0, 1], a blank model and a negative timeout, by name', () => {
    for (const [name, value] of [
      ['EMBEDDING_MIN_SIMILARITY', '1.5'],
      ['EMBEDDING_MIN_SIMILARITY', 'high'],
      ['EMBEDDING_MODEL', 'openai:'],
      ['EMBEDDING_TIMEOUT_MS', '-1'],
      ['EMBEDDINGS', 'yes'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    }
  });
});
