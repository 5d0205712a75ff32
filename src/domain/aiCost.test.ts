import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { costOf, DEFAULT_AI_PRICES } from './aiCost.js';

describe('costOf', () => {
  it('prices prompt and completion tokens per million, by provider:model', () => {
    expect(costOf(DEFAULT_AI_PRICES, 'openai:gpt-4o-mini', 1_000_000, 1_000_000)).toBe(0.75);
    expect(costOf(DEFAULT_AI_PRICES, 'openai:gpt-3.5-turbo', 12, 7)).toBe(0.0000165);
    expect(costOf({ 'openrouter:x/y:free': { input: 0, output: 0 } }, 'openrouter:x/y:free', 500, 500)).toBe(0);
  });

  it('has no price for a model it does not know, even one known under another provider', () => {
    expect(costOf(DEFAULT_AI_PRICES, 'huggingface:meta-llama/Llama-3.1-8B-Instruct', 10, 10)).toBeNull();
    expect(costOf(DEFAULT_AI_PRICES, 'openrouter:gpt-4o-mini', 10, 10)).toBeNull();
  });
});

describe('the AI_PRICES setting', () => {
  const withPrices = (value: string) => loadConfig({ AI_PRICES: value });

  it('adds to and overrides the built-in prices', () => {
    expect(loadConfig({}).ai.prices).toEqual(DEFAULT_AI_PRICES);
    const prices = withPrices(
      '{"openai:gpt-4o-mini": {"input": 1, "output": 2}, "openrouter:meta-llama/llama-3-70b": {"input": 0.5, "output": 0.7}}',
    ).ai.prices;
    expect(prices['openai:gpt-4o-mini']).toEqual({ input: 1, output: 2 });
    expect(prices['openrouter:meta-llama/llama-3-70b']).toEqual({ input: 0.5, output: 0.7 });
    expect(prices['openai:gpt-4o']).toEqual(DEFAULT_AI_PRICES['openai:gpt-4o']);
  });

  it('refuses to start on a malformed table, naming the setting and the problem', () => {
    const cases: [string, RegExp][] = [
      ['{not json', /AI_PRICES: must be JSON/],
      ['{"gpt-4o-mini": {"input": 1, "output": 2}}', /AI_PRICES.*keys must be provider:model/],
      [
        '{"openai:gpt-4o-mini": {"input": -1, "output": 2}}',
        /AI_PRICES\.openai:gpt-4o-mini\.input: must not be negative/,
      ],
      [
        '{"openai:gpt-4o-mini": {"input": "cheap", "output": 2}}',
        /AI_PRICES\.openai:gpt-4o-mini\.input: must be a number/,
      ],
      ['{"openai:gpt-4o-mini": {"input": 1}}', /AI_PRICES\.openai:gpt-4o-mini\.output/],
      ['{"openai:gpt-4o-mini": {"input": 1, "output": 2, "cached": 0.5}}', /AI_PRICES\.openai:gpt-4o-mini/],
      ['[1, 2]', /AI_PRICES/],
    ];
    for (const [value, message] of cases) {
      expect(() => withPrices(value), value).toThrow(ConfigError);
      expect(() => withPrices(value), value).toThrow(message);
    }
  });
});
