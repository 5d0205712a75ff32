import { describe, expect, it } from 'vitest';
import type { AiTarget } from './aiTypes.js';
import { parseModelChoice, readsImages, visionTargets } from './visionModels.js';

describe('readsImages', () => {
  it.each([
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4o-2024-08-06',
    'gpt-4.1-mini',
    'gpt-4-turbo',
    'gpt-4-turbo-2024-04-09',
    'gpt-4-vision-preview',
    'gpt-5',
    'gpt-5-nano',
    'o1',
    'o3',
    'o4-mini',
    'claude-3-5-sonnet-20241022',
    'claude-3-haiku-20240307',
    'claude-sonnet-4-20250514',
    'claude-opus-4-1',
    'gemini-1.5-flash',
    'gemini-2.0-flash-001',
    'gemini-pro-vision',
    'llava-1.6-34b',
    'pixtral-12b-2409',
    'llama-4-scout',
    'openai/gpt-4o-mini',
    'anthropic/claude-3.5-sonnet',
    'google/gemini-2.5-pro',
    'Qwen/Qwen2.5-VL-7B-Instruct',
    'qwen/qwen-vl-plus',
    'meta-llama/Llama-3.2-11B-Vision-Instruct',
    'meta-llama/llama-3.2-11b-vision-instruct:free',
    'mistralai/pixtral-large-2411',
    'microsoft/Phi-3.5-vision-instruct',
    'x-ai/grok-2-vision-1212',
    'OpenGVLab/InternVL2-8B',
    '  GPT-4o  ',
  ])('%s reads images', (model) => {
    expect(readsImages(model)).toBe(true);
  });

  it.each([
    'gpt-3.5-turbo',
    'gpt-4',
    'gpt-4-0613',
    'gpt-4o-audio-preview',
    'gpt-4o-realtime-preview',
    'gpt-4o-mini-transcribe',
    'gpt-4o-mini-tts',
    'o1-mini',
    'o1-preview',
    'o3-mini',
    'claude-2.1',
    'claude-instant-1.2',
    'gemini-pro',
    'gemini-embedding-001',
    'mistralai/mistral-large',
    'meta-llama/Llama-3.1-8B-Instruct',
    'deepseek/deepseek-chat',
    'whisper-1',
    'text-embedding-3-small',
    '',
  ])('%s does not', (model) => {
    expect(readsImages(model)).toBe(false);
  });
});

describe('parseModelChoice', () => {
  it('reads a bare model, a provider-prefixed one, and keeps colons that are not a provider', () => {
    expect(parseModelChoice('gpt-4o')).toEqual({ provider: null, model: 'gpt-4o' });
    expect(parseModelChoice(' OpenRouter : qwen/qwen2.5-vl-72b-instruct ')).toEqual({
      provider: 'openrouter',
      model: 'qwen/qwen2.5-vl-72b-instruct',
    });
    expect(parseModelChoice('meta-llama/llama-3.2-11b-vision-instruct:free')).toEqual({
      provider: null,
      model: 'meta-llama/llama-3.2-11b-vision-instruct:free',
    });
    expect(parseModelChoice('openai:')).toBeNull();
    expect(parseModelChoice('   ')).toBeNull();
  });
});

describe('visionTargets', () => {
  const targets: AiTarget[] = [
    { provider: 'openai', model: 'gpt-3.5-turbo', apiKey: 'sk-tenant' },
    { provider: 'openrouter', model: 'openai/gpt-4o-mini', apiKey: 'sk-or' },
    { provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKey: 'hf_x' },
  ];

  it('keeps only the targets whose model reads images when no vision model is chosen', () => {
    expect(visionTargets(targets, undefined)).toEqual([targets[1]]);
  });

  it("puts a bare vision model on the tenant's provider, with the key the chain would use", () => {
    expect(visionTargets(targets, 'gpt-4o')).toEqual([
      { provider: 'openai', model: 'gpt-4o', apiKey: 'sk-tenant' },
      targets[1],
    ]);
  });

  it('puts a provider-prefixed vision model on that provider, ahead of the others', () => {
    expect(visionTargets(targets, 'huggingface:Qwen/Qwen2.5-VL-7B-Instruct')).toEqual([
      { provider: 'huggingface', model: 'Qwen/Qwen2.5-VL-7B-Instruct', apiKey: 'hf_x' },
      targets[1],
    ]);
  });

  it('cannot use a vision model on a provider that has no key', () => {
    expect(visionTargets([targets[0] as AiTarget], 'openrouter:openai/gpt-4o')).toEqual([]);
    expect(visionTargets([], 'gpt-4o')).toEqual([]);
  });
});
