import { describe, expect, it } from 'vitest';
import { FaqMatcher } from '../../domain/faqMatcher.js';
import { mediaModels, type ServerMediaModels } from './mediaModels.js';
import { tenantSettingsOf } from '../../domain/tenantSettings.js';
import type { TenantConfiguration } from './ports.js';
import type { TenantContext } from './tenantContextCache.js';

const server: ServerMediaModels = {
  keys: { openai: 'sk-server', openrouter: 'sk-or-server' },
  models: {
    openai: 'gpt-4o-mini',
    openrouter: 'mistralai/mistral-large',
    huggingface: 'meta-llama/Llama-3.1-8B-Instruct',
  },
  visionModel: null,
  transcriptionModel: 'whisper-1',
  allowedModels: new Set(['gpt-4o-mini', 'whisper-1', 'some/stt']),
};

function context(tenant: Partial<TenantConfiguration['tenant']> = {}, enableAiResponses = true): TenantContext {
  const configuration: TenantConfiguration = {
    tenant: {
      id: 't1',
      name: 'Shop',
      isActive: true,
      phoneNumberId: '1',
      accessToken: 'EAA',
      aiProvider: 'openai',
      aiModel: 'gpt-3.5-turbo',
      aiApiKey: 'sk-tenant',
      serverAiAllowed: true,
      metadata: {},
      ...tenant,
    },
    template: null,
    training: [],
    settings: {
      isBotEnabled: true,
      enableAiResponses,
      enableAutoReply: true,
      enableTrainingMode: false,
      enablePaymentFlow: false,
      maxMessagesPerHour: 100,
      maxMessagesPerUserPerDay: 100,
      logConversations: true,
      logErrors: true,
      escalationPhone: null,
      escalationEmail: null,
      metadata: {},
    },
  };
  return {
    configuration,
    faq: new FaqMatcher([]),
    settings: tenantSettingsOf(configuration.settings),
    credentials: { phoneNumberId: '1', accessToken: 'EAA' },
  };
}

describe('mediaModels: pictures', () => {
  it("uses the tenant's own model when it reads images", () => {
    expect(mediaModels(context({ aiModel: 'gpt-4o' }), server).vision).toEqual({ model: undefined });
    // No ai_model: the provider's default model is the one asked.
    expect(mediaModels(context({ aiModel: null }), server).vision).toEqual({ model: undefined });
  });

  it('falls back to the server vision model, and to nothing', () => {
    expect(mediaModels(context(), server).vision).toBeNull();
    expect(
      mediaModels(context(), { ...server, visionModel: 'openrouter:qwen/qwen2.5-vl-72b-instruct' }).vision,
    ).toEqual({
      model: 'openrouter:qwen/qwen2.5-vl-72b-instruct',
    });
  });

  it("lets the tenant's vision_model win, or turn pictures off", () => {
    expect(
      mediaModels(context({ aiModel: 'gpt-4o', metadata: { vision_model: 'claude-3-5-sonnet' } }), server).vision,
    ).toEqual({ model: 'claude-3-5-sonnet' });
    expect(mediaModels(context({ aiModel: 'gpt-4o', metadata: { vision_model: 'none' } }), server).vision).toBeNull();
    expect(
      mediaModels(context({ metadata: { vision_model: 42 } }), { ...server, visionModel: 'gpt-4o' }).vision,
    ).toEqual({ model: 'gpt-4o' });
  });

  it('has nobody to look at pictures when AI answers are off', () => {
    expect(mediaModels(context({ aiModel: 'gpt-4o' }, false), server).vision).toBeNull();
  });
});

describe('mediaModels: voice notes', () => {
  it("transcribes on OpenAI with the tenant's own key when OpenAI is its provider", () => {
    expect(mediaModels(context(), server).transcription).toEqual([
      { provider: 'openai', model: 'whisper-1', apiKey: 'sk-tenant' },
    ]);
  });

  it("uses the tenant's fallback key, then the server's, when the tenant is on another provider", () => {
    const onRouter = { aiProvider: 'openrouter', aiApiKey: 'sk-or-tenant' };
    expect(mediaModels(context(onRouter), server).transcription).toEqual([
      { provider: 'openai', model: 'whisper-1', apiKey: 'sk-server' },
    ]);
    expect(
      mediaModels(context({ ...onRouter, metadata: { fallback_keys: { openai: 'sk-fallback' } } }), server)
        .transcription,
    ).toEqual([{ provider: 'openai', model: 'whisper-1', apiKey: 'sk-fallback' }]);
  });

  it('reads a list of provider:model targets, skipping providers without a key', () => {
    const transcription = mediaModels(
      context({
        metadata: { transcription_model: 'huggingface:openai/whisper-large-v3, openrouter:some/stt ,whisper-1' },
      }),
      server,
    ).transcription;
    expect(transcription).toEqual([
      { provider: 'openrouter', model: 'some/stt', apiKey: 'sk-or-server' },
      { provider: 'openai', model: 'whisper-1', apiKey: 'sk-tenant' },
    ]);
  });

  it("leaves out the server's keys for a model the server does not pay for, or a tenant it does not pay for", () => {
    const setting = { transcription_model: 'openrouter:costly/stt, openrouter:some/stt' };
    expect(mediaModels(context({ metadata: setting }), server).transcription).toEqual([
      { provider: 'openrouter', model: 'some/stt', apiKey: 'sk-or-server' },
    ]);
    expect(mediaModels(context({ metadata: setting, serverAiAllowed: false }), server).transcription).toEqual([]);
    // Its own key pays for whatever it likes.
    expect(
      mediaModels(
        context({ metadata: { ...setting, fallback_keys: { openrouter: 'sk-or-own' } }, serverAiAllowed: false }),
        server,
      ).transcription,
    ).toHaveLength(2);
  });

  it('is off when the server or the tenant says none, or no key exists', () => {
    expect(mediaModels(context(), { ...server, transcriptionModel: null }).transcription).toEqual([]);
    expect(mediaModels(context({ metadata: { transcription_model: 'None' } }), server).transcription).toEqual([]);
    expect(
      mediaModels(context({ aiProvider: 'huggingface', aiApiKey: null }), { ...server, keys: {} }).transcription,
    ).toEqual([]);
    // A tenant can turn it on where the server left it off.
    expect(
      mediaModels(context({ metadata: { transcription_model: 'whisper-1' } }), { ...server, transcriptionModel: null })
        .transcription,
    ).toHaveLength(1);
  });
});
