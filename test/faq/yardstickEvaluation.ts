// Measures the FAQ matcher on the yardstick the way the server uses it: each business's FAQ rows go
// through the tenant context cache (the same code that builds a tenant's matcher and threshold for
// the worker), and every message is matched as an incoming text would be.
import type { TenantConfiguration, TenantReplyStore, TrainingRow } from '../../src/modules/replies/ports.js';
import type { WordVectors } from '../../src/domain/wordVectors.js';
import { TenantContextCache } from '../../src/modules/replies/tenantContextCache.js';
import {
  yardstickSlices,
  type YardstickBusiness,
  type YardstickSlice,
  type YardstickSplit,
} from './yardstick/index.js';

export interface SliceFigures {
  messages: number;
  /** Messages labelled with an FAQ. */
  labelled: number;
  /** Messages that got an FAQ answer. */
  answered: number;
  /** FAQ answers that were the labelled FAQ. */
  right: number;
  /** FAQ answers that were not (another FAQ, or any FAQ for a message that should get none). */
  wrong: number;
}

export interface SplitFigures {
  slices: Record<YardstickSlice, SliceFigures>;
  overall: SliceFigures;
  /** right / answered; 1 when nothing was answered. */
  precision: number;
  /** right / labelled. */
  recall: number;
  /** FAQ answers sent for another business's question. */
  otherTenantAnswers: number;
}

export interface Miss {
  business: string;
  split: YardstickSplit;
  slice: YardstickSlice;
  text: string;
  expected: string | null;
  answered: string | null;
}

export interface YardstickFigures {
  dev: SplitFigures;
  test: SplitFigures;
  /** Every message not answered as labelled (for tuning, look only at the dev ones). */
  misses: Miss[];
}

/** The business's FAQ rows as the database would hold them (priority and confidence at their column defaults). */
export function trainingRowsOf(business: YardstickBusiness): TrainingRow[] {
  return business.faqs.map((faq) => ({
    id: faq.key,
    dataType: 'faq',
    question: faq.question,
    answer: faq.answer,
    priority: faq.priority ?? 5,
    confidenceScore: 1,
    variants: faq.variants ?? [],
  }));
}

function configurationOf(business: YardstickBusiness): TenantConfiguration {
  return {
    tenant: {
      id: business.key,
      name: business.name,
      isActive: true,
      phoneNumberId: null,
      accessToken: null,
      aiProvider: null,
      aiModel: null,
      aiApiKey: null,
      serverAiAllowed: false,
      metadata: {},
    },
    template: null,
    training: trainingRowsOf(business),
    settings: {
      isBotEnabled: true,
      enableAiResponses: true,
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
}

const emptyFigures = (): SliceFigures => ({ messages: 0, labelled: 0, answered: 0, right: 0, wrong: 0 });

function emptySplit(): SplitFigures {
  const slices = Object.fromEntries(yardstickSlices.map((slice) => [slice, emptyFigures()])) as Record<
    YardstickSlice,
    SliceFigures
  >;
  return { slices, overall: emptyFigures(), precision: 1, recall: 0, otherTenantAnswers: 0 };
}

function count(figures: SliceFigures, expected: string | null, answered: string | null): void {
  figures.messages += 1;
  if (expected !== null) figures.labelled += 1;
  if (answered === null) return;
  figures.answered += 1;
  if (answered === expected) figures.right += 1;
  else figures.wrong += 1;
}

/** `wordVectors`: the offline table the server loads at start; without it the matcher is lexical only. */
export async function evaluateYardstick(
  businesses: readonly YardstickBusiness[],
  wordVectors: WordVectors | null = null,
): Promise<YardstickFigures> {
  const byKey = new Map(businesses.map((business) => [business.key, business]));
  // Only loadConfiguration is used to build a tenant's context.
  const store = (key: string) =>
    ({
      loadConfiguration: async () => configurationOf(byKey.get(key) as YardstickBusiness),
    }) as unknown as TenantReplyStore;
  const cache = new TenantContextCache({
    stores: { forTenant: store },
    environmentCredentials: null,
    wordVectors: () => wordVectors,
  });
  const figures: YardstickFigures = { dev: emptySplit(), test: emptySplit(), misses: [] };
  for (const business of businesses) {
    const context = await cache.get(business.key);
    if (!context) throw new Error(`no context for ${business.key}`);
    for (const message of business.messages) {
      const answered = context.faq.match(message.text, context.settings.texts.faq_threshold)?.entry.id ?? null;
      const split = figures[message.split];
      count(split.slices[message.slice], message.faq, answered);
      count(split.overall, message.faq, answered);
      if (message.slice === 'other_tenant' && answered !== null) split.otherTenantAnswers += 1;
      if (answered !== message.faq) {
        figures.misses.push({
          business: business.key,
          split: message.split,
          slice: message.slice,
          text: message.text,
          expected: message.faq,
          answered,
        });
      }
    }
  }
  for (const split of [figures.dev, figures.test]) {
    split.precision = split.overall.answered === 0 ? 1 : split.overall.right / split.overall.answered;
    split.recall = split.overall.labelled === 0 ? 0 : split.overall.right / split.overall.labelled;
  }
  return figures;
}
