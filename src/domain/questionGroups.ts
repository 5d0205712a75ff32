// Groups the wordings customers used for the same question, so the owner teaches one FAQ per
// question rather than one per spelling. Wordings with the same content words (after the FAQ
// matcher's normalisation: case, punctuation, short forms, stems, filler) are one question outright;
// the rest join the most frequent question the FAQ matcher would answer them with.
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher } from './faqMatcher.js';
import { normaliseText, tokenise } from './textNormaliser.js';

/** One distinct wording and what happened to the messages that used it. */
export interface AskedWording {
  text: string;
  count: number;
  /** How many of those messages the AI answered (the rest got no answer). */
  answeredByAi: number;
  /** ISO time of the latest. */
  lastAskedAt: string;
  /** The AI's latest answer to this wording, with its ISO time. */
  latestAiAnswer: { text: string; at: string } | null;
}

export interface QuestionGroup {
  /** The most frequent wording. */
  question: string;
  count: number;
  /** Other wordings, most frequent first. */
  examples: string[];
  lastAskedAt: string;
  answeredByAi: number;
  latestAiAnswer: { text: string; at: string } | null;
}

export const MAX_EXAMPLES = 5;

/** Most frequent first; a wording with no words (emoji, punctuation) is nothing to teach and is left out. */
export function groupQuestions(wordings: readonly AskedWording[], similarity: number = DEFAULT_FAQ_THRESHOLD): QuestionGroup[] {
  const buckets = sameContent(wordings);
  const matcher = new FaqMatcher(
    buckets.map((bucket, index) => ({ id: String(index), question: bucket[0]?.text ?? '', answer: '', priority: 5, confidenceScore: 1 })),
  );
  const order = buckets.map((_, index) => index).sort((a, b) => compareWordings(total(buckets[a]), total(buckets[b])));
  const groupOf = new Array<number>(buckets.length).fill(-1);
  const groups: AskedWording[][] = [];
  for (const head of order) {
    if (groupOf[head] !== -1) continue;
    const members = [head];
    groupOf[head] = groups.length;
    for (const similar of matcher.top(buckets[head]?.[0]?.text ?? '', buckets.length)) {
      const index = Number(similar.entry.id);
      if (similar.score < similarity || groupOf[index] !== -1) continue;
      groupOf[index] = groups.length;
      members.push(index);
    }
    groups.push(members.flatMap((index) => buckets[index] ?? []));
  }
  return groups.map(summarise).sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
}

/** Wordings with the same content words, each list most frequent first. */
function sameContent(wordings: readonly AskedWording[]): AskedWording[][] {
  const byKey = new Map<string, AskedWording[]>();
  for (const wording of wordings) {
    const key = [...new Set(tokenise(wording.text))].sort().join(' ') || `=${normaliseText(wording.text)}`;
    if (key === '=') continue;
    const list = byKey.get(key);
    if (list) list.push(wording);
    else byKey.set(key, [wording]);
  }
  return [...byKey.values()].map((list) => list.sort(compareWordings));
}

function summarise(wordings: AskedWording[]): QuestionGroup {
  const sorted = [...wordings].sort(compareWordings);
  const question = sorted[0]?.text ?? '';
  const examples = [...new Set(sorted.slice(1).map((w) => w.text))].filter((text) => text !== question).slice(0, MAX_EXAMPLES);
  let latest: QuestionGroup['latestAiAnswer'] = null;
  for (const w of sorted) if (w.latestAiAnswer && (!latest || w.latestAiAnswer.at > latest.at)) latest = w.latestAiAnswer;
  return {
    question,
    count: sum(sorted, (w) => w.count),
    examples,
    lastAskedAt: sorted.reduce((last, w) => (w.lastAskedAt > last ? w.lastAskedAt : last), ''),
    answeredByAi: sum(sorted, (w) => w.answeredByAi),
    latestAiAnswer: latest,
  };
}

/** A bucket's weight for ordering: its total count and latest time. */
function total(bucket: AskedWording[] | undefined): Pick<AskedWording, 'count' | 'lastAskedAt'> {
  const list = bucket ?? [];
  return { count: sum(list, (w) => w.count), lastAskedAt: list.reduce((last, w) => (w.lastAskedAt > last ? w.lastAskedAt : last), '') };
}

function compareWordings(a: Pick<AskedWording, 'count' | 'lastAskedAt'>, b: Pick<AskedWording, 'count' | 'lastAskedAt'>): number {
  return b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt);
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
