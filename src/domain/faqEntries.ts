// Turns a tenant's FAQ rows into the matcher's entries. An FAQ may list alternative questions
// (variants): each becomes one more entry with the FAQ's id, answer, priority and confidence, so a
// message that matches any wording of the FAQ is answered with that FAQ, and the tie rules
// (priority, then confidence) still decide between FAQs, never between wordings of one FAQ.
import type { FaqEntry } from './faqMatcher.js';

export interface FaqRow {
  id: string;
  question: string;
  answer: string;
  priority: number;
  confidenceScore: number;
  variants?: readonly string[] | undefined;
}

export function faqEntriesOf(rows: readonly FaqRow[]): FaqEntry[] {
  return rows.flatMap((row) => {
    const entry: FaqEntry = {
      id: row.id,
      question: row.question,
      answer: row.answer,
      priority: row.priority,
      confidenceScore: row.confidenceScore,
    };
    const seen = new Set([wordingKey(row.question)]);
    const variants: FaqEntry[] = [];
    for (const variant of row.variants ?? []) {
      const key = wordingKey(variant);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      variants.push({ ...entry, question: variant });
    }
    return [entry, ...variants];
  });
}

/** Wordings that differ only in case, spacing or punctuation are one wording. */
export const wordingKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The first entry of each FAQ, in order: a ranked list without a second wording of the same FAQ. */
export function distinctFaqs<T extends { entry: FaqEntry }>(ranked: readonly T[]): T[] {
  const seen = new Set<string>();
  return ranked.filter(({ entry }) => {
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}
