import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AllProvidersFailedError } from '../../domain/aiTypes.js';
import type { AiProviderName, AiTarget, ChatMessage } from '../../domain/aiTypes.js';
import { FakeAiProvider } from '../../../test/fakes/fakeAiProvider.js';
import { AiFallbackChain } from './aiFallbackChain.js';
import type { AiFallbackChainOptions } from './aiFallbackChain.js';

const KEYS: Record<AiProviderName, string> = {
  openai: 'sk-test-openai-0123456789abcdef',
  openrouter: 'sk-or-v1-test-0123456789abcdef',
  // Matches no known key shape, so only the exact-key redaction can catch it.
  huggingface: 'tenantkey0123456789abcdef',
};

const TARGETS: AiTarget[] = [
  { provider: 'openai', model: 'gpt-4o-mini', apiKey: KEYS.openai },
  { provider: 'openrouter', model: 'mistralai/mistral-large', apiKey: KEYS.openrouter },
  { provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKey: KEYS.huggingface },
];

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You answer customers of Kassangas Music Shop.' },
  { role: 'user', content: 'Can you recommend a guitar for a beginner?' },
];

const fakes: Record<AiProviderName, FakeAiProvider> = {
  openai: new FakeAiProvider('openai'),
  openrouter: new FakeAiProvider('openrouter'),
  huggingface: new FakeAiProvider('huggingface'),
};
let baseUrls: Record<AiProviderName, string>;

beforeAll(async () => {
  baseUrls = {
    openai: await fakes.openai.start(),
    openrouter: await fakes.openrouter.start(),
    huggingface: await fakes.huggingface.start(),
  };
});

afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.stop()));
});

afterEach(() => {
  for (const fake of Object.values(fakes)) {
    fake.recover();
    fake.requests.length = 0;
    fake.delayMs = 0;
    fake.reply = `Fake answer from ${fake.name}`;
  }
});

function chain(options: Partial<AiFallbackChainOptions> = {}): AiFallbackChain {
  return new AiFallbackChain({ baseUrls, timeoutMs: 2_000, ...options });
}

function allErrorText(err: AllProvidersFailedError): string {
  return [err.message, ...err.failures.map((f) => f.error)].join('\n');
}

describe('AiFallbackChain', () => {
  it('returns the first provider answer without asking the others', async () => {
    const answer = await chain().answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(answer).toEqual({
      text: 'Fake answer from openai',
      provider: 'openai',
      model: 'gpt-4o-mini',
      failures: [],
      usage: { promptTokens: 12, completionTokens: 7 },
    });
    expect(fakes.openrouter.requests).toHaveLength(0);
    expect(fakes.huggingface.requests).toHaveLength(0);
  });

  it('sends model, messages, max_tokens and the bearer key to the provider', async () => {
    await chain().answer(TARGETS, MESSAGES, { maxTokens: 116 });
    const [request] = fakes.openai.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
    expect(request?.body).toMatchObject({ model: 'gpt-4o-mini', messages: MESSAGES, max_tokens: 116 });
  });

  it('leaves max_tokens out when there is no limit', async () => {
    await chain().answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(fakes.openai.requests[0]?.body).not.toHaveProperty('max_tokens');
  });

  it('falls back to the next provider when the first answers 500, recording the failure', async () => {
    fakes.openai.failNext(1, {
      status: 500,
      body: { error: { message: 'The server had an error', type: 'server_error' } },
    });
    const warnings: object[] = [];
    const answer = await chain({ logger: { warn: (obj) => warnings.push(obj) } }).answer(TARGETS, MESSAGES, {
      maxTokens: null,
    });

    expect(answer.text).toBe('Fake answer from openrouter');
    expect(`${answer.provider}:${answer.model}`).toBe('openrouter:mistralai/mistral-large');
    expect(answer.failures).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', error: 'HTTP 500: The server had an error' },
    ]);
    expect(fakes.openai.requests).toHaveLength(1);
    expect(fakes.openrouter.requests[0]?.headers.authorization).toBe(`Bearer ${KEYS.openrouter}`);
    expect(warnings).toEqual([answer.failures[0]]);
  });

  it('gives up on a provider that hangs after the per-attempt timeout', async () => {
    fakes.openai.failAll('hang');
    const started = Date.now();
    const answer = await chain({ timeoutMs: 300 }).answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(answer.provider).toBe('openrouter');
    expect(answer.failures).toEqual([{ provider: 'openai', model: 'gpt-4o-mini', error: 'timed out after 300 ms' }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('treats a slow answer beyond the timeout as a timeout', async () => {
    fakes.openai.delayMs = 1_000;
    const answer = await chain({ timeoutMs: 200 }).answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(answer.provider).toBe('openrouter');
    expect(answer.failures[0]?.error).toBe('timed out after 200 ms');
  });

  it('treats a dropped connection and an empty answer as failures', async () => {
    fakes.openai.failAll('reset');
    fakes.openrouter.reply = '   ';
    const answer = await chain().answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(answer.provider).toBe('huggingface');
    expect(answer.failures.map((f) => f.provider)).toEqual(['openai', 'openrouter']);
    expect(answer.failures[0]?.error).toMatch(/^connection failed/);
    expect(answer.failures[1]?.error).toBe('empty answer (finish_reason: stop)');
  });

  it('throws AllProvidersFailedError with every attempt when all fail', async () => {
    fakes.openai.failAll(500);
    fakes.openrouter.failAll(429);
    fakes.huggingface.failAll(503);
    const error = await chain()
      .answer(TARGETS, MESSAGES, { maxTokens: null })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AllProvidersFailedError);
    const failures = (error as AllProvidersFailedError).failures;
    expect(failures.map((f) => `${f.provider}:${f.model}`)).toEqual([
      'openai:gpt-4o-mini',
      'openrouter:mistralai/mistral-large',
      'huggingface:meta-llama/Llama-3.1-8B-Instruct',
    ]);
    expect(failures.map((f) => f.error.slice(0, 8))).toEqual(['HTTP 500', 'HTTP 429', 'HTTP 503']);
  });

  it('throws AllProvidersFailedError when there is no target', async () => {
    const error = await chain()
      .answer([], MESSAGES, { maxTokens: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect((error as AllProvidersFailedError).failures).toEqual([]);
  });

  it('never puts an API key in an error, even when the provider echoes it', async () => {
    // OpenAI's own wording, which masks the middle of the key but still shows its ends.
    fakes.openai.failNext(1, {
      status: 401,
      body: {
        error: { message: 'Incorrect API key provided: sk-test-**********cdef.', type: 'invalid_request_error' },
      },
    });
    fakes.openrouter.failNext(1, {
      status: 400,
      body: { error: { message: `Bad header Authorization: Bearer ${KEYS.openrouter}` } },
    });
    fakes.huggingface.failNext(1, { status: 403, body: { error: `Token ${KEYS.huggingface} has no access` } });
    const error = (await chain()
      .answer(TARGETS, MESSAGES, { maxTokens: null })
      .catch((e: unknown) => e)) as AllProvidersFailedError;

    expect(error).toBeInstanceOf(AllProvidersFailedError);
    const text = allErrorText(error);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
    expect(text).not.toMatch(/0123456789abcdef/);
    expect(error.failures[0]?.error).toBe('HTTP 401: Incorrect API key provided: [redacted]');
    expect(error.failures[1]?.error).toBe('HTTP 400: Bad header Authorization: [redacted]');
    expect(error.failures[2]?.error).toBe('HTTP 403: Token [redacted] has no access');
  });

  it('opens the circuit after repeated failures, skips the provider, then lets one trial through', async () => {
    let clock = 1_000_000;
    const warnings: string[] = [];
    const ai = chain({
      breaker: { failureThreshold: 2, cooldownMs: 30_000 },
      now: () => clock,
      logger: { warn: (_obj, msg) => warnings.push(msg) },
    });
    fakes.openai.failAll(502);

    await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(fakes.openai.requests).toHaveLength(2);
    expect(warnings).toContain('AI provider circuit opened');

    // Open: OpenAI is not called at all.
    const skipped = await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(fakes.openai.requests).toHaveLength(2);
    expect(skipped.provider).toBe('openrouter');
    expect(skipped.failures).toEqual([{ provider: 'openai', model: 'gpt-4o-mini', error: 'circuit open' }]);

    // Half-open after the cooldown: a failed trial opens it again for another cooldown.
    clock += 30_000;
    await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(fakes.openai.requests).toHaveLength(3);
    clock += 29_999;
    await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(fakes.openai.requests).toHaveLength(3);

    // A successful trial closes it.
    clock += 1;
    fakes.openai.recover();
    const back = await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(back.provider).toBe('openai');
    expect(back.failures).toEqual([]);
    expect((await ai.answer(TARGETS, MESSAGES, { maxTokens: null })).provider).toBe('openai');
  });

  it('does not let one tenant’s rejected key open the circuit for everyone', async () => {
    const ai = chain({ breaker: { failureThreshold: 2, cooldownMs: 30_000 }, now: () => 0 });
    fakes.openai.failAll(401);
    for (let i = 0; i < 3; i++) await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    fakes.openai.recover();
    const answer = await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    expect(answer.provider).toBe('openai');
    expect(fakes.openai.requests).toHaveLength(4);
  });

  it('lets a single half-open trial through while other calls keep skipping', async () => {
    let clock = 0;
    const ai = chain({ timeoutMs: 1_000, breaker: { failureThreshold: 1, cooldownMs: 10 }, now: () => clock });
    fakes.openai.failNext(1, { status: 500 });
    await ai.answer(TARGETS, MESSAGES, { maxTokens: null });
    clock = 10;
    fakes.openai.delayMs = 200;
    const [trial, concurrent] = await Promise.all([
      ai.answer(TARGETS, MESSAGES, { maxTokens: null }),
      ai.answer(TARGETS, MESSAGES, { maxTokens: null }),
    ]);
    expect(trial.provider).toBe('openai');
    expect(concurrent.provider).toBe('openrouter');
    expect(concurrent.failures[0]?.error).toBe('circuit open');
    expect(fakes.openai.requests).toHaveLength(2);
  });

  it("keeps a breaker per key: one key's outage does not skip another key at the same provider", async () => {
    const ai = chain({ breaker: { failureThreshold: 2, cooldownMs: 30_000 }, now: () => 0 });
    const badKey: AiTarget = { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-throttled-key-000000' };
    fakes.openai.failAll(503);
    for (let i = 0; i < 2; i++)
      await ai.answer([badKey], MESSAGES, { maxTokens: null, tenantId: 't1' }).catch(() => null);
    fakes.openai.recover();
    const skipped = (await ai
      .answer([badKey], MESSAGES, { maxTokens: null, tenantId: 't1' })
      .catch((e: unknown) => e)) as AllProvidersFailedError;
    expect(skipped.failures).toEqual([{ provider: 'openai', model: 'gpt-4o-mini', error: 'circuit open' }]);
    const other = await ai.answer(TARGETS, MESSAGES, { maxTokens: null, tenantId: 't1' });
    expect(other.provider).toBe('openai');
  });

  it("counts one tenant's timeouts on the shared server key against that tenant only", async () => {
    const ai = chain({ timeoutMs: 100, breaker: { failureThreshold: 2, cooldownMs: 30_000 }, now: () => 0 });
    const slow: AiTarget = { provider: 'openai', model: 'slow-model', apiKey: KEYS.openai };
    fakes.openai.modelDelaysMs.set('slow-model', 1_000);
    for (let i = 0; i < 3; i++)
      await ai.answer([slow], MESSAGES, { maxTokens: null, tenantId: 'slow-tenant' }).catch(() => null);
    expect(fakes.openai.requests).toHaveLength(2);

    // Same provider, same key, another tenant: asked, and answered.
    const answer = await ai.answer(TARGETS, MESSAGES, { maxTokens: null, tenantId: 'other-tenant' });
    expect(answer.provider).toBe('openai');
    expect(answer.failures).toEqual([]);
    // The slow tenant's own breaker is still open.
    const again = (await ai
      .answer([slow], MESSAGES, { maxTokens: null, tenantId: 'slow-tenant' })
      .catch((e: unknown) => e)) as AllProvidersFailedError;
    expect(again.failures[0]?.error).toBe('circuit open');
  });
});
