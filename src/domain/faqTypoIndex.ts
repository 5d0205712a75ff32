// The FAQ matcher's typo and prefix lookups: which vocabulary tokens an unknown message token may be a
// misspelling of, or a shorter form of, found through indexes rather than by scanning the vocabulary.
import { deletionsOf, editDistance, MIN_TWO_EDIT_LENGTH } from './typoDistance.js';

/** Shorter tokens get no typo tolerance: one edit turns "bag" into "bug" or "bar". */
const MIN_FUZZY_LENGTH = 4;
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
/**
 * Typo variants looked up for one message: the longest question of the evaluation sets uses about 120. Later words of
 * a long message match exactly or by prefix only, so no message costs more than a small multiple of a question.
 */
export const MAX_MESSAGE_TYPO_VARIANTS = 600;
/** Longest suffix a prefix match may add ("rent" → "rental", "guitar" → "guitarist"). */
const MAX_PREFIX_EXTENSION = 3;

/** Typo variants a message may still look up. */
export interface TypoBudget {
  left: number;
}

export class FaqTypoIndex {
  /** Vocabulary tokens by their one- and two-letter deletions, so typo lookups never scan the vocabulary. */
  private readonly deletions = new Map<string, number[]>();
  /** Vocabulary tokens by their shorter prefixes, for message stems that are a prefix of an FAQ stem. */
  private readonly prefixes = new Map<string, number[]>();
  private indexedVariants = 0;
  private indexedPairs = 0;

  constructor(
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly tokenText: readonly string[],
  ) {}

  /** Indexes a new vocabulary token. */
  add(token: string, id: number): void {
    if (
      token.length >= MIN_FUZZY_LENGTH &&
      token.length <= MAX_FUZZY_TOKEN_LENGTH &&
      this.indexedVariants < MAX_INDEXED_TYPO_VARIANTS
    ) {
      const variants = deletionsOf(token);
      this.indexedVariants += variants.size;
      this.indexedPairs += variants.size;
      for (const variant of variants) addTo(this.deletions, variant, id);
    }
    for (
      let length = Math.max(MIN_FUZZY_LENGTH, token.length - MAX_PREFIX_EXTENSION);
      length < token.length;
      length++
    ) {
      addTo(this.prefixes, token.slice(0, length), id);
      this.indexedPairs += 1;
    }
  }

  /** (Deletion or prefix, token) pairs held: what the lookups take in memory, roughly. */
  get pairs(): number {
    return this.indexedPairs;
  }

  /** Vocabulary tokens within the allowed typos of an unknown token, or extending it by a short suffix. */
  neighbours(token: string, typoBudget: TypoBudget): Set<number> {
    if (token.length < MIN_FUZZY_LENGTH) return new Set();
    const ids = new Set<number>();
    const variants =
      token.length <= MAX_FUZZY_TOKEN_LENGTH && typoBudget.left > 0 ? deletionsOf(token) : new Set<string>();
    typoBudget.left -= variants.size;
    // Symmetric deletion: two tokens within the allowed edits share a deletion variant (or one is the other's).
    for (const variant of variants) {
      const asWord = this.vocabulary.get(variant);
      if (asWord !== undefined) ids.add(asWord);
      for (const id of this.deletions.get(variant) ?? []) ids.add(id);
    }
    for (const id of this.deletions.get(token) ?? []) ids.add(id);
    const result = new Set([...ids].filter((id) => this.withinTypoDistance(token, id)));
    for (const id of this.prefixes.get(token) ?? []) result.add(id);
    for (
      let length = Math.max(MIN_FUZZY_LENGTH, token.length - MAX_PREFIX_EXTENSION);
      length < token.length;
      length++
    ) {
      const id = this.vocabulary.get(token.slice(0, length));
      if (id !== undefined) result.add(id);
    }
    return result;
  }

  private withinTypoDistance(token: string, id: number): boolean {
    const other = this.tokenText[id] ?? '';
    const shorter = Math.min(token.length, other.length);
    const allowed = shorter >= MIN_TWO_EDIT_LENGTH ? 2 : shorter >= MIN_FUZZY_LENGTH ? 1 : 0;
    return editDistance(token, other) <= allowed;
  }
}

export function addTo<K>(index: Map<K, number[]>, key: K, id: number): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}
