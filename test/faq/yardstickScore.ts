// Scores the FAQ matcher on the yardstick (test/faq/yardstick): per split and slice, how many messages got
// the right outcome (the labelled FAQ, or nothing for the negatives), and overall precision and recall.
import {
  DEFAULT_FAQ_THRESHOLD,
  FaqMatcher,
  type FaqEntry,
  type FaqMatcherOptions,
} from '../../src/domain/faqMatcher.js';
import {
  yardstickBusinesses,
  yardstickSlices,
  type YardstickBusiness,
  type YardstickSlice,
  type YardstickSplit,
} from './yardstick/index.js';

export interface SliceFigures {
  slice: YardstickSlice;
  messages: number;
  right: number;
}

export interface SplitFigures {
  split: YardstickSplit;
  slices: SliceFigures[];
  /** Verbatim answers sent, right ones, and messages with a labelled FAQ. */
  sent: number;
  correct: number;
  answerable: number;
  precision: number;
  recall: number;
  /** Verbatim answers to a message labelled with another FAQ or with none. */
  wrong: number;
  /** Only for the dev split: each wrong outcome, for tuning. */
  misses: string[];
}

export function faqEntriesOf(business: YardstickBusiness): FaqEntry[] {
  return business.faqs.map((faq) => ({
    id: faq.key,
    question: faq.question,
    answer: faq.answer,
    priority: faq.priority ?? 5,
    confidenceScore: 0.9,
  }));
}

export function scoreYardstick(
  split: YardstickSplit,
  options: FaqMatcherOptions,
  threshold = DEFAULT_FAQ_THRESHOLD,
): SplitFigures {
  const slices = new Map<YardstickSlice, SliceFigures>(
    yardstickSlices.map((slice) => [slice, { slice, messages: 0, right: 0 }]),
  );
  let sent = 0;
  let correct = 0;
  let answerable = 0;
  let wrong = 0;
  const misses: string[] = [];
  for (const business of yardstickBusinesses) {
    const matcher = new FaqMatcher(faqEntriesOf(business), options);
    for (const message of business.messages) {
      if (message.split !== split) continue;
      const got = matcher.match(message.text, threshold);
      const gotId = got?.entry.id ?? null;
      const figures = slices.get(message.slice);
      if (figures) figures.messages += 1;
      if (message.faq !== null) answerable += 1;
      if (gotId !== null) sent += 1;
      if (gotId === message.faq) {
        if (figures) figures.right += 1;
        if (gotId !== null) correct += 1;
      } else {
        if (gotId !== null) wrong += 1;
        if (split === 'dev') {
          misses.push(
            `${business.key} [${message.slice}] ${JSON.stringify(message.text)}: expected ${message.faq ?? 'none'}, got ${gotId ?? 'none'}${got ? ` (${got.score.toFixed(2)})` : ''}`,
          );
        }
      }
    }
  }
  return {
    split,
    slices: [...slices.values()],
    sent,
    correct,
    answerable,
    precision: sent === 0 ? 1 : correct / sent,
    recall: answerable === 0 ? 1 : correct / answerable,
    wrong,
    misses,
  };
}
