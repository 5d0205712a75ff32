// What FaqMatcher looks messages up in: the vocabulary of the FAQ questions and answers, token weights,
// postings, typo and prefix lookups, trigrams and the word vectors of the vocabulary. Built a step at a
// time (FaqIndexBuilder.step), so a tenant with tens of thousands of questions is indexed in slices
// between other work instead of in one long block. The steps do exactly what one pass would, in the same
// order, so a matcher over an index built in slices answers exactly as one built at once.
import { FaqSkeletonIndex } from './faqSkeletonIndex.js';
import { addTo, FaqTypoIndex } from './faqTypoIndex.js';
import { ASKING, GROUPS, trigramsOf, weightFactor, type IndexedEntry } from './faqScore.js';
import { FaqVectorNeighbours } from './faqVectorNeighbours.js';
import { normaliseText, tokeniseWithWords } from './textNormaliser.js';
import type { WordVectors } from './wordVectors.js';

/** What the index needs of an FAQ entry. */
export interface IndexableEntry {
  question: string;
  answer: string;
}

/** An answer's words index its entry too (see ANSWER_SIMILARITY); only its first ones, so a long answer costs what a question does. */
const MAX_ANSWER_TOKENS = 24;
/** Vocabulary tokens whose IDF one step computes: well under a millisecond of work. */
const WEIGHTS_PER_STEP = 512;

export interface FaqIndex<E> {
  entries: IndexedEntry<E>[];
  vocabulary: Map<string, number>;
  tokenText: string[];
  /** The word each token was first read as, for its word vector. */
  tokenWord: string[];
  idf: number[];
  /** IDF times the vocabulary's weight factor: what the token counts for in either coverage. */
  weight: number[];
  postings: number[][];
  /** Entries by the tokens of their answers that their questions lack. */
  answerPostings: Map<number, number[]>;
  answerTokenIds: Set<number>[];
  /** Entries by their normalised question, for the exact match. */
  byNormalised: Map<string, number[]>;
  typos: FaqTypoIndex;
  /** Vocabulary tokens by the consonant skeleton of their words, for SMS spellings. */
  skeletons: FaqSkeletonIndex;
  /** Vocabulary tokens by customer-vocabulary group index. */
  conceptMembers: Map<number, number[]>;
  vectorNeighbours: FaqVectorNeighbours | null;
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
/** One (key, token) pair of the typo and prefix lookups: its share of a Map entry, a short string and a slot. */
const TYPO_PAIR_BYTES = 48;

type Phase = 'questions' | 'answers' | 'weights' | 'entries' | 'vectors' | 'done';

/** Indexes FAQ entries: `step()` until it returns false, then `finish()`. Each step is small. */
export class FaqIndexBuilder<E extends IndexableEntry> {
  private readonly index: FaqIndex<E>;
  private readonly normalised: string[] = [];
  private readonly questionTokenIds: number[][] = [];
  private phase: Phase = 'questions';
  private next = 0;

  constructor(
    private readonly source: readonly E[],
    private readonly wordVectors: WordVectors | null = null,
  ) {
    const vocabulary = new Map<string, number>();
    const tokenText: string[] = [];
    this.index = {
      entries: [],
      vocabulary,
      tokenText,
      tokenWord: [],
      idf: [],
      weight: [],
      postings: [],
      answerPostings: new Map(),
      answerTokenIds: [],
      byNormalised: new Map(),
      typos: new FaqTypoIndex(vocabulary, tokenText),
      skeletons: new FaqSkeletonIndex(),
      conceptMembers: new Map(),
      vectorNeighbours: null,
      unknownIdf: 1 + Math.log(source.length + 1),
      estimatedBytes: OBJECT_BYTES * 16,
    };
  }

  /** The whole index at once: for small FAQ sets, and where blocking does not matter. */
  static build<E extends IndexableEntry>(entries: readonly E[], wordVectors: WordVectors | null = null): FaqIndex<E> {
    const builder = new FaqIndexBuilder(entries, wordVectors);
    while (builder.step());
    return builder.finish();
  }

  /** Does one small piece of the work (one question or answer, a few hundred weights); false once all is done. */
  step(): boolean {
    switch (this.phase) {
      case 'questions':
        this.indexNextQuestion();
        break;
      case 'answers':
        this.indexNextAnswer();
        break;
      case 'weights':
        this.weighNext();
        break;
      case 'entries':
        this.indexNextEntry();
        break;
      case 'vectors':
        this.indexVectors();
        break;
      case 'done':
        break;
    }
    return this.phase !== 'done';
  }

  finish(): FaqIndex<E> {
    if (this.phase !== 'done') throw new Error('FaqIndexBuilder.finish() before every step was taken');
    this.index.estimatedBytes += this.index.typos.pairs * TYPO_PAIR_BYTES;
    return this.index;
  }

  private indexNextQuestion(): void {
    const entry = this.source[this.next];
    if (!entry) {
      this.advance('answers');
      return;
    }
    const normalised = normaliseText(entry.question);
    const ids = tokeniseWithWords(normalised).map(({ token, word }) => this.addToken(token, word));
    for (const id of ids) this.index.postings[id]?.push(this.next);
    this.normalised.push(normalised);
    this.questionTokenIds.push(ids);
    this.index.estimatedBytes += STRING_BYTES + normalised.length + ids.length * 2 * SLOT_BYTES;
    this.next += 1;
  }

  private indexNextAnswer(): void {
    const entry = this.source[this.next];
    if (!entry) {
      this.advance('weights');
      return;
    }
    const { answerPostings, answerTokenIds, byNormalised } = this.index;
    const index = this.next;
    const own = new Set(this.questionTokenIds[index]);
    const words = tokeniseWithWords(normaliseText(entry.answer)).slice(0, MAX_ANSWER_TOKENS);
    // An answer that states an amount answers "how much".
    if (/\d/.test(entry.answer)) words.push({ token: 'cost', word: 'cost' });
    const answerIds = new Set<number>();
    for (const { token, word } of words) {
      const id = this.addToken(token, word);
      if (!own.has(id)) {
        this.add(answerPostings, id, index);
        answerIds.add(id);
      }
      own.add(id);
    }
    answerTokenIds[index] = answerIds;
    this.add(byNormalised, this.normalised[index] ?? '', index);
    this.index.estimatedBytes += OBJECT_BYTES + answerIds.size * MAP_ENTRY_BYTES;
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
    if (!entry) {
      this.advance('vectors');
      return;
    }
    const { tokenText, weight } = this.index;
    const ids = this.questionTokenIds[this.next] ?? [];
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
    this.index.estimatedBytes +=
      OBJECT_BYTES * 3 + ids.length * MAP_ENTRY_BYTES + trigrams.size * (MAP_ENTRY_BYTES + STRING_BYTES);
    this.next += 1;
  }

  /** One step: a pass over the vocabulary's words (tens of milliseconds for 50,000 questions at most). */
  private indexVectors(): void {
    if (this.wordVectors) {
      const { tokenWord, tokenText } = this.index;
      // What a question asks (where, how much) and light words are never reached through a vector: GloVe puts
      // frequent words near each other ("men" is 0.63 from "where"), so only topic words may stand in.
      const topicWords = tokenWord.map((word, id) => (weightFactor(tokenText[id] ?? '') === 1 ? word : ''));
      const neighbours = new FaqVectorNeighbours(this.wordVectors, topicWords);
      this.index.vectorNeighbours = neighbours;
      this.index.estimatedBytes += neighbours.size * (this.wordVectors.dimensions * 4 + SLOT_BYTES);
    }
    this.advance('done');
  }

  private advance(phase: Phase): void {
    this.phase = phase;
    this.next = 0;
  }

  private addToken(token: string, word: string): number {
    const { vocabulary, tokenText, tokenWord, postings, conceptMembers, typos, skeletons } = this.index;
    const known = vocabulary.get(token);
    if (known !== undefined) return known;
    const id = tokenText.length;
    vocabulary.set(token, id);
    tokenText.push(token);
    tokenWord.push(word);
    postings[id] = [];
    // The vocabulary's entry, the token and its word, and its share of the skeleton index.
    this.index.estimatedBytes += 2 * MAP_ENTRY_BYTES + 3 * STRING_BYTES + token.length + 2 * word.length + OBJECT_BYTES;
    for (const concept of GROUPS.get(token) ?? []) this.add(conceptMembers, concept, id);
    typos.add(token, id);
    skeletons.add(word, id);
    return id;
  }

  private add<K>(index: Map<K, number[]>, key: K, id: number): void {
    const before = index.size;
    addTo(index, key, id);
    this.index.estimatedBytes += SLOT_BYTES;
    if (index.size > before)
      this.index.estimatedBytes +=
        MAP_ENTRY_BYTES + OBJECT_BYTES + (typeof key === 'string' ? STRING_BYTES + key.length : 0);
  }
}
