// What FaqMatcher looks messages up in: the FAQ questions' vocabulary, token weights, typo and prefix
// lookups and trigrams. Built a step at a time (FaqIndexBuilder.step), so a tenant with tens of
// thousands of questions can be indexed in slices between other work instead of in one long block.
import { normaliseText, tokeniseNormalised, vocabularyTokens } from './textNormaliser.js';
import { deletionsOf } from './typoDistance.js';
import type { FaqEntry } from './faqMatcher.js';

/** Shorter tokens get no typo tolerance: one edit turns "bag" into "bug" or "bar". */
export const MIN_FUZZY_LENGTH = 4;
/**
 * Longer tokens get no typo tolerance: a token's one- and two-letter deletions grow with the square of its
 * length (the variant strings with the cube), and no real word this long needs them. Exact and prefix matches
 * still apply. Together with the token limits in textNormaliser.ts this caps the work one text can cause.
 */
export const MAX_FUZZY_TOKEN_LENGTH = 24;
/**
 * Typo variants the index of one FAQ set may hold (a few per word for ordinary FAQs: 100 questions use a few
 * thousand). Words indexed after the budget is spent match exactly or by prefix only, so a tenant's FAQ
 * questions, however many and long, cost bounded time and memory to index.
 */
export const MAX_INDEXED_TYPO_VARIANTS = 200_000;
/** Longest suffix a prefix match may add ("rent" → "rental", "guitar" → "guitarist"). */
export const MAX_PREFIX_EXTENSION = 3;
/** An "asking" word (price, duration, place) tells questions on one topic apart; a light word barely counts. */
const ASK_WEIGHT = 2;
const LIGHT_WEIGHT = 0.25;
/** Vocabulary tokens whose IDF a step computes: a few hundred microseconds of work. */
const WEIGHTS_PER_STEP = 512;

const { asking: ASKING, light: LIGHT, groups: GROUPS } = vocabularyTokens;
export const weightFactor = (token: string): number => (ASKING.has(token) ? ASK_WEIGHT : LIGHT.has(token) ? LIGHT_WEIGHT : 1);

export interface IndexedEntry {
  entry: FaqEntry;
  normalised: string;
  tokenIds: ReadonlySet<number>;
  trigrams: Set<string>;
  /** Sum of the question's token weights: what full coverage of the question is worth. */
  weightSum: number;
  /** The same over its customer-vocabulary tokens: the service asked about, without the tenant's own words. */
  topicWeightSum: number;
  /** Whether the question has a word besides what it asks ("how much", "where"). */
  hasTopic: boolean;
}

export interface FaqIndex {
  entries: IndexedEntry[];
  vocabulary: Map<string, number>;
  tokenText: string[];
  idf: number[];
  /** IDF times the vocabulary's weight factor: what the token counts for in either coverage. */
  weight: number[];
  postings: number[][];
  /** Vocabulary tokens by their one- and two-letter deletions, so typo lookups never scan the vocabulary. */
  deletions: Map<string, number[]>;
  /** Vocabulary tokens by their shorter prefixes, for message stems that are a prefix of an FAQ stem. */
  prefixes: Map<string, number[]>;
  /** Vocabulary tokens by customer-vocabulary group index. */
  conceptMembers: Map<number, number[]>;
  /** IDF of a word no FAQ uses: as rare as possible, so unexplained words in a message weigh heavily. */
  unknownIdf: number;
  /** Rough heap the index takes (strings, map entries, arrays), for caches that are bounded by memory. */
  estimatedBytes: number;
}

// Rough V8 costs, in bytes: a string's header, a Map or Set entry, an array slot, an object's header.
const STRING_BYTES = 24;
const MAP_ENTRY_BYTES = 40;
const SLOT_BYTES = 8;
const OBJECT_BYTES = 64;

/** Indexes FAQ entries: `step()` until it returns false, then `finish()`. Each step is small. */
export class FaqIndexBuilder {
  private readonly index: FaqIndex;
  private readonly normalised: string[] = [];
  private readonly tokenIds: number[][] = [];
  private phase: 'tokens' | 'weights' | 'entries' | 'done' = 'tokens';
  private next = 0;
  private indexedVariants = 0;

  constructor(private readonly source: FaqEntry[]) {
    this.index = {
      entries: [],
      vocabulary: new Map(),
      tokenText: [],
      idf: [],
      weight: [],
      postings: [],
      deletions: new Map(),
      prefixes: new Map(),
      conceptMembers: new Map(),
      unknownIdf: 1 + Math.log(source.length + 1),
      estimatedBytes: OBJECT_BYTES * 12,
    };
  }

  /** The whole index at once: for small FAQ sets, and where blocking does not matter. */
  static build(entries: FaqEntry[]): FaqIndex {
    const builder = new FaqIndexBuilder(entries);
    while (builder.step());
    return builder.finish();
  }

  /** Does one small piece of the work (one question, or a few hundred token weights); false once all is done. */
  step(): boolean {
    if (this.phase === 'tokens') this.tokeniseNext();
    else if (this.phase === 'weights') this.weighNext();
    else if (this.phase === 'entries') this.indexNextEntry();
    return this.phase !== 'done';
  }

  finish(): FaqIndex {
    if (this.phase !== 'done') throw new Error('FaqIndexBuilder.finish() before every step was taken');
    return this.index;
  }

  private tokeniseNext(): void {
    const entry = this.source[this.next];
    if (!entry) return this.advance('weights');
    const normalised = normaliseText(entry.question);
    const ids = [...new Set(tokeniseNormalised(normalised))].map((token) => this.addToken(token));
    for (const id of ids) this.index.postings[id]?.push(this.next);
    this.normalised.push(normalised);
    this.tokenIds.push(ids);
    this.index.estimatedBytes += STRING_BYTES + normalised.length + ids.length * 2 * SLOT_BYTES;
    this.next += 1;
  }

  private weighNext(): void {
    const { postings, idf, weight, tokenText } = this.index;
    const end = Math.min(postings.length, this.next + WEIGHTS_PER_STEP);
    for (let id = this.next; id < end; id++) {
      const tokenIdf = 1 + Math.log((this.source.length + 1) / ((postings[id]?.length ?? 0) + 1));
      idf[id] = tokenIdf;
      weight[id] = weightFactor(tokenText[id] ?? '') * tokenIdf;
    }
    this.index.estimatedBytes += (end - this.next) * 2 * SLOT_BYTES;
    this.next = end;
    if (end >= postings.length) this.advance('entries');
  }

  private indexNextEntry(): void {
    const entry = this.source[this.next];
    if (!entry) return this.advance('done');
    const { tokenText, weight } = this.index;
    const ids = this.tokenIds[this.next] ?? [];
    const tokens = ids.map((id) => tokenText[id] ?? '');
    const sum = (list: number[]): number => list.reduce((total, id) => total + (weight[id] ?? 0), 0);
    const isVocabulary = (token: string): boolean => GROUPS.has(token) || weightFactor(token) !== 1;
    const trigrams = trigramsOf(tokens);
    this.index.entries.push({
      entry,
      normalised: this.normalised[this.next] ?? '',
      tokenIds: new Set(ids),
      trigrams,
      weightSum: sum(ids),
      topicWeightSum: sum(ids.filter((_, position) => isVocabulary(tokens[position] ?? ''))),
      hasTopic: tokens.some((token) => !ASKING.has(token)),
    });
    this.index.estimatedBytes += OBJECT_BYTES * 3 + ids.length * MAP_ENTRY_BYTES + trigrams.size * (MAP_ENTRY_BYTES + STRING_BYTES);
    this.next += 1;
  }

  private advance(phase: FaqIndexBuilder['phase']): void {
    this.phase = phase;
    this.next = 0;
  }

  private addToken(token: string): number {
    const { vocabulary, tokenText, postings, conceptMembers, deletions, prefixes } = this.index;
    const known = vocabulary.get(token);
    if (known !== undefined) return known;
    const id = tokenText.length;
    vocabulary.set(token, id);
    tokenText.push(token);
    postings[id] = [];
    this.index.estimatedBytes += MAP_ENTRY_BYTES + STRING_BYTES + token.length + OBJECT_BYTES;
    for (const concept of GROUPS.get(token) ?? []) this.add(conceptMembers, concept, id);
    if (token.length >= MIN_FUZZY_LENGTH && token.length <= MAX_FUZZY_TOKEN_LENGTH && this.indexedVariants < MAX_INDEXED_TYPO_VARIANTS) {
      const variants = deletionsOf(token);
      this.indexedVariants += variants.size;
      for (const variant of variants) this.add(deletions, variant, id);
    }
    for (let length = Math.max(MIN_FUZZY_LENGTH, token.length - MAX_PREFIX_EXTENSION); length < token.length; length++) {
      this.add(prefixes, token.slice(0, length), id);
    }
    return id;
  }

  private add<K>(index: Map<K, number[]>, key: K, id: number): void {
    const list = index.get(key);
    if (list) list.push(id);
    else {
      index.set(key, [id]);
      this.index.estimatedBytes += MAP_ENTRY_BYTES + OBJECT_BYTES + (typeof key === 'string' ? STRING_BYTES + key.length : 0);
    }
    this.index.estimatedBytes += SLOT_BYTES;
  }
}

/** Character trigrams of the sorted tokens, so word order cannot change the result. */
export function trigramsOf(tokens: string[]): Set<string> {
  const padded = ` ${[...tokens].sort().join(' ')} `;
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded.slice(i, i + 3));
  return trigrams;
}
