// What an AI answer cost: tokens times the price of its `provider:model`, in USD per million tokens.
import { z } from 'zod';

export interface ModelPrice {
  /** USD per million prompt (input) tokens. */
  input: number;
  /** USD per million completion (output) tokens. */
  output: number;
}

/** Prices by `provider:model`, exactly as `ai_model_used` records it. */
export type AiPriceTable = Readonly<Record<string, ModelPrice>>;

/** List prices of common models; AI_PRICES adds to them or overrides them. */
export const DEFAULT_AI_PRICES: AiPriceTable = {
  'openai:gpt-4o-mini': { input: 0.15, output: 0.6 },
  'openai:gpt-4o': { input: 2.5, output: 10 },
  'openai:gpt-4.1': { input: 2, output: 8 },
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'openai:gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'openai:gpt-4-turbo': { input: 10, output: 30 },
  'openai:gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'openrouter:openai/gpt-4o-mini': { input: 0.15, output: 0.6 },
  'openrouter:openai/gpt-4o': { input: 2.5, output: 10 },
  'openrouter:mistralai/mistral-large': { input: 2, output: 6 },
  // Embeddings are priced by input tokens only.
  'openai:text-embedding-3-small': { input: 0.02, output: 0 },
  'openai:text-embedding-3-large': { input: 0.13, output: 0 },
  'openai:text-embedding-ada-002': { input: 0.1, output: 0 },
};

const price = z
  .number({ error: 'must be a number of USD per million tokens' })
  .min(0, 'must not be negative')
  .max(100_000);

/** The AI_PRICES setting: {"provider:model": {"input": 0.15, "output": 0.6}, ...}. */
export const aiPriceTableSchema = z
  .record(z.string(), z.strictObject({ input: price, output: price }))
  .superRefine((table, ctx) => {
    // Checked here rather than as a key schema, whose error would not say what is wrong.
    for (const key of Object.keys(table)) {
      if (!/^[a-z]+:.+$/.test(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'keys must be provider:model, as ai_model_used records them',
        });
    }
  });

/** USD for these tokens, or null when the model has no price. */
export function costOf(
  prices: AiPriceTable,
  providerModel: string,
  promptTokens: number,
  completionTokens: number,
): number | null {
  const modelPrice = prices[providerModel];
  if (!modelPrice) return null;
  return roundUsd((promptTokens * modelPrice.input + completionTokens * modelPrice.output) / 1_000_000);
}

/** Sums of fractions of a cent pile up float noise; a hundred-millionth of a dollar is plenty. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
