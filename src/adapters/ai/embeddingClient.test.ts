import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AiTarget } from '../../domain/aiTypes.js';
import { FakeAiProvider } from '../../../test/fakes/fakeAiProvider.js';
import { EmbeddingClient, EmbeddingError } from './embeddingClient.js';

const KEY = 'sk-test-embeddings-0123456789abcdef';
const TARGET: AiTarget = { provider: 'openai', model: 'text-embedding-3-small', apiKey: KEY };
const fake = new FakeAiProvider('openai');
let client: EmbeddingClient;
let now = 0;

beforeAll(async () => {
  const url = await fake.start();
  client = new EmbeddingClient({
    baseUrls: { openai: url, openrouter: url, huggingface: url },
    breaker: { failureThreshold: 3, cooldownMs: 30_000 },
    now: () => now,
  });
});
afterAll(() => fake.stop());
afterEach(() => {
  fake.recover();
  fake.embedder = (text) => [text.length, 1];
});

const embed = (inputs: string[], tenantId = 'tenant-a', timeoutMs = 1_000) =>
  client.embed(TARGET, inputs, { timeoutMs, tenantId });
/** The error the call rejects with (a resolved call fails the test). */
const failureOf = (call: Promise<unknown>): Promise<Error> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err as Error,
  );

describe('EmbeddingClient', () => {
  it('sends every input in one request with the key and model, and returns the vectors in input order', async () => {
    fake.embedder = (text) => [text.length, 1];
    const before = fake.embeddingRequests.length;
    const result = await embed(['a', 'bbb']);
    expect(result).toEqual({
      vectors: [
        [1, 1],
        [3, 1],
      ],
      promptTokens: 2,
    });
    const [request] = fake.embeddingRequests.slice(before);
    expect(request?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['a', 'bbb'] });
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('refuses vectors of different lengths or none at all, without echoing anything', async () => {
    fake.embedder = (text) => (text === 'short' ? [1] : [1, 2]);
    await expect(embed(['short', 'long'], 'tenant-b')).rejects.toThrow(EmbeddingError);
    fake.embedder = () => [];
    await expect(embed(['x'], 'tenant-b')).rejects.toThrow(/malformed answer/);
  });

  it('names a failure by status or timeout only, never with the key', async () => {
    fake.embeddingFailure = 401;
    const refused = await failureOf(embed(['x'], 'tenant-c'));
    expect(refused.message).toBe('HTTP 401');
    fake.embeddingFailure = 'hang';
    const hung = await failureOf(embed(['x'], 'tenant-d', 150));
    expect(hung.message).toBe('timed out after 150 ms');
    expect(`${refused.message} ${hung.message}`).not.toContain(KEY);
  });

  it('stops asking after 3 failures in a row for one tenant and key, for the cooldown, and not for others', async () => {
    fake.embeddingFailure = 500;
    for (let i = 0; i < 3; i++) await expect(embed(['x'], 'tenant-e')).rejects.toThrow('HTTP 500');
    const before = fake.embeddingRequests.length;
    await expect(embed(['x'], 'tenant-e')).rejects.toThrow('circuit open');
    expect(fake.embeddingRequests.length).toBe(before);
    fake.recover();
    // Another tenant paying with the same key is not stopped by this one's failures.
    await expect(embed(['x'], 'tenant-f')).resolves.toMatchObject({ vectors: [[1, 1]] });
    now += 30_001;
    await expect(embed(['x'], 'tenant-e')).resolves.toMatchObject({ vectors: [[1, 1]] });
  });

  it('makes no request for no inputs', async () => {
    const before = fake.embeddingRequests.length;
    expect(await embed([])).toEqual({ vectors: [], promptTokens: 0 });
    expect(fake.embeddingRequests.length).toBe(before);
  });
});
