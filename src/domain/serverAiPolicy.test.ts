import { describe, expect, it } from 'vitest';
import type { AiTarget } from './aiTypes.js';
import { disallowedServerPaidChoices, withinServerPolicy } from './serverAiPolicy.js';

const serverKeys = { openai: 'sk-server', openrouter: 'sk-or-server' };
const allowedModels = new Set(['gpt-4o-mini', 'mistralai/mistral-large', 'whisper-1']);
const targets: AiTarget[] = [
  { provider: 'openai', model: 'o1-pro', apiKey: 'sk-server' },
  { provider: 'openrouter', model: 'mistralai/mistral-large', apiKey: 'sk-or-server' },
  { provider: 'huggingface', model: 'any/model', apiKey: 'hf_own' },
];

describe('withinServerPolicy', () => {
  it("drops the server-paid targets whose model the server does not allow, and keeps the tenant's own keys' targets", () => {
    expect(withinServerPolicy(targets, { allowed: true, serverKeys, allowedModels }).map((t) => t.provider)).toEqual([
      'openrouter',
      'huggingface',
    ]);
  });

  it('drops every server-paid target of a tenant the administrator did not allow', () => {
    expect(withinServerPolicy(targets, { allowed: false, serverKeys, allowedModels }).map((t) => t.provider)).toEqual([
      'huggingface',
    ]);
  });

  it("knows the server's key by its value, wherever the tenant's settings put it", () => {
    const copied: AiTarget = { provider: 'openai', model: 'o1-pro', apiKey: 'sk-server' };
    expect(withinServerPolicy([copied], { allowed: true, serverKeys, allowedModels })).toEqual([]);
  });
});

describe('disallowedServerPaidChoices', () => {
  const none = new Set<never>();
  it('names each chosen model the server would pay for and does not allow', () => {
    const refused = disallowedServerPaidChoices(
      {
        aiProvider: 'OpenAI',
        aiModel: 'o1-pro',
        metadata: {
          fallback_models: { openrouter: 'mistralai/mistral-large', huggingface: 'big/model' },
          vision_model: 'openrouter:openai/gpt-4o',
          transcription_model: 'whisper-1, gpt-4o-transcribe',
        },
        ownKeyAt: none,
      },
      allowedModels,
    );
    expect(refused).toEqual([
      { field: 'ai_model', provider: 'openai', model: 'o1-pro' },
      { field: 'metadata.fallback_models.huggingface', provider: 'huggingface', model: 'big/model' },
      { field: 'metadata.vision_model', provider: 'openrouter', model: 'openai/gpt-4o' },
      { field: 'metadata.transcription_model', provider: 'openai', model: 'gpt-4o-transcribe' },
    ]);
  });

  it('lets a tenant pick anything where it pays with its own key, and ignores "off"', () => {
    expect(
      disallowedServerPaidChoices(
        { aiProvider: 'openai', aiModel: 'o1-pro', metadata: { vision_model: 'off' }, ownKeyAt: new Set(['openai']) },
        allowedModels,
      ),
    ).toEqual([]);
  });
});
