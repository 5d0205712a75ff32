// Groups the wordings customers used for the same question, so the owner teaches one FAQ per
// question rather than one per spelling. Wordings with the same content words (after the FAQ
// matcher's normalisation: case, punctuation, short forms, stems, filler) are one question outright;
// the rest join the most frequent question the FAQ matcher would answer them with.
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher, type PreparedMessage } from './faqMatcher.js';
import { normaliseText, tokeniseNormalised } from './textNormaliser.js';

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
/**
 * Wordings grouped per call, the most asked: a page shows at most 100 groups. Less asked wordings are left
 * out, so one call costs bounded time however many distinct texts a tenant's customers sent.
 */
export const MAX_GROUPED_WORDINGS = 500;
/** Characters of a wording compared with others: a question to teach is far shorter, and a long text
 * (a pasted document, a long transcript) costs no more to group than a short question. */
export const MAX_COMPARED_LENGTH = 300;
/**
 * Groups a wording is compared with, at most: those sharing its rarest words first. Real questions share
 * words with a handful of groups; the cap keeps grouping linear when hostile or repetitive texts all share
 * words with all the others.
 */
export const MAX_COMPARED_GROUPS = 16;

/**
 * Most frequent first; a wording with no words (emoji, punctuation) is nothing to teach and is left out.
 * Each wording joins the first, most asked, group whose question the FAQ matcher would answer with it, if
 * any; otherwise it starts a group of its own.
 */
export function groupQuestions(
  wordings: readonly AskedWording[],
  similarity: number = DEFAULT_FAQ_THRESHOLD,
): QuestionGroup[] {
  return new QuestionGrouper(wordings, similarity).groups();
}

/**
 * groupQuestions in small steps, so a caller can let other work run in between (the whole grouping holds
 * the one thread every tenant shares for hundreds of milliseconds). A step buckets one wording, builds the
 * matcher over the buckets (which needs them all: its word weights depend on every question), or places
 * one bucket in its group; the result is the same however the steps are spread.
 */
export class QuestionGrouper {
  private readonly kept: readonly AskedWording[];
  private bucketed = 0;
  /** Wordings with the same content words, in the order their first wording came. */
  private readonly byKey = new Map<string, AskedWording[]>();
  private placing: { buckets: AskedWording[][]; matcher: FaqMatcher; order: number[] } | null = null;
  private placed = 0;
  private readonly made: Array<{ head: PreparedMessage; members: Array<{ index: number; score: number }> }> = [];
  /** Groups by the vocabulary token ids their question stands for, in the order the groups were made. */
  private readonly groupsByToken = new Map<number, number[]>();

  constructor(
    wordings: readonly AskedWording[],
    private readonly similarity: number = DEFAULT_FAQ_THRESHOLD,
  ) {
    this.kept =
      wordings.length > MAX_GROUPED_WORDINGS
        ? [...wordings].sort(compareWordings).slice(0, MAX_GROUPED_WORDINGS)
        : wordings;
  }

  /** Does the next step; false once there is none left (then groups() returns at once). */
  step(): boolean {
    const wording = this.kept[this.bucketed];
    if (wording) {
      this.bucketed += 1;
      this.bucket(wording);
      return true;
    }
    if (!this.placing) {
      const buckets = [...this.byKey.values()].map((list) => list.sort(compareWordings));
      const matcher = new FaqMatcher(
        buckets.map((bucket, index) => ({
          id: String(index),
          question: compared(bucket),
          answer: '',
          priority: 5,
          confidenceScore: 1,
        })),
      );
      const order = buckets
        .map((_, index) => index)
        .sort((a, b) => compareWordings(total(buckets[a]), total(buckets[b])));
      this.placing = { buckets, matcher, order };
      return true;
    }
    const index = this.placing.order[this.placed];
    if (index === undefined) return false;
    this.placed += 1;
    this.place(index, this.placing.matcher, this.placing.buckets);
    return true;
  }

  /** The groups, most asked first; any steps not taken yet are taken now. */
  groups(): QuestionGroup[] {
    while (this.step());
    const buckets = this.placing?.buckets ?? [];
    return this.made
      .map(({ members }) =>
        summarise(members.sort((a, b) => b.score - a.score).flatMap((member) => buckets[member.index] ?? [])),
      )
      .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
  }

  private bucket(wording: AskedWording): void {
    const normalised = normaliseText(wording.text.slice(0, MAX_COMPARED_LENGTH));
    const key = [...new Set(tokeniseNormalised(normalised))].sort().join(' ') || `=${normalised}`;
    if (key === '=') return;
    const list = this.byKey.get(key);
    if (list) list.push(wording);
    else this.byKey.set(key, [wording]);
  }

  /** Adds the bucket to the oldest candidate group whose question scores it at or above the similarity, or starts one. */
  private place(index: number, matcher: FaqMatcher, buckets: AskedWording[][]): void {
    for (const group of candidateGroups(matcher.tokenIdsOf(index), this.groupsByToken)) {
      const made = this.made[group];
      if (!made) continue;
      const score = matcher.scoreOf(made.head, index);
      if (score < this.similarity) continue;
      made.members.push({ index, score });
      return;
    }
    const head = matcher.prepare(compared(buckets[index]));
    for (const tokenId of head.tokenIds) {
      const list = this.groupsByToken.get(tokenId);
      if (list) list.push(this.made.length);
      else this.groupsByToken.set(tokenId, [this.made.length]);
    }
    this.made.push({ head, members: [{ index, score: 1 }] });
  }
}

/** Up to `MAX_COMPARED_GROUPS` groups sharing a token, reached through the rarest tokens first, oldest group first. */
function candidateGroups(tokenIds: ReadonlySet<number>, groupsByToken: ReadonlyMap<number, number[]>): number[] {
  const lists = [...tokenIds].map((id) => groupsByToken.get(id) ?? []).sort((a, b) => a.length - b.length);
  const found = new Set<number>();
  for (const list of lists) {
    for (const group of list) {
      if (found.size === MAX_COMPARED_GROUPS) return [...found].sort((a, b) => a - b);
      found.add(group);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** The text a bucket is compared by: its most frequent wording, cut to the compared length. */
function compared(bucket: AskedWording[] | undefined): string {
  return (bucket?.[0]?.text ?? '').slice(0, MAX_COMPARED_LENGTH);
}

function summarise(wordings: AskedWording[]): QuestionGroup {
  const sorted = [...wordings].sort(compareWordings);
  const question = sorted[0]?.text ?? '';
  const examples = [...new Set(sorted.slice(1).map((w) => w.text))]
    .filter((text) => text !== question)
    .slice(0, MAX_EXAMPLES);
  let latest: QuestionGroup['latestAiAnswer'] = null;
  for (const w of sorted)
    if (w.latestAiAnswer && (!latest || w.latestAiAnswer.at > latest.at)) latest = w.latestAiAnswer;
  return {
    question,
    count: sum(sorted, (w) => w.count),
    examples,
    lastAskedAt: latestAsked(sorted),
    answeredByAi: sum(sorted, (w) => w.answeredByAi),
    latestAiAnswer: latest,
  };
}

/** A bucket's weight for ordering: its total count and latest time. */
function total(bucket: AskedWording[] | undefined): Pick<AskedWording, 'count' | 'lastAskedAt'> {
  const list = bucket ?? [];
  return {
    count: sum(list, (w) => w.count),
    lastAskedAt: latestAsked(list),
  };
}

function compareWordings(
  a: Pick<AskedWording, 'count' | 'lastAskedAt'>,
  b: Pick<AskedWording, 'count' | 'lastAskedAt'>,
): number {
  return b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt);
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

/** The latest time any of the wordings was asked ('' for none); ISO time stamps order as their times do. */
function latestAsked(wordings: readonly AskedWording[]): string {
  let latest = '';
  for (const w of wordings) if (w.lastAskedAt > latest) latest = w.lastAskedAt;
  return latest;
}
