import { describe, expect, it } from 'vitest';
import { FaqMatcher, type FaqEntry } from './faqMatcher.js';
import { MAX_MESSAGE_VECTOR_LOOKUPS } from './faqVectorNeighbours.js';
import { normalise, type WordVectors } from './wordVectors.js';

/** A hand-made table: "charter" and "rent" point the same way, "violin" elsewhere; counts lookups. */
class FakeVectors implements WordVectors {
  readonly dimensions = 3;
  lookups: string[] = [];
  private readonly table = new Map<string, Float32Array>([
    ['rent', normalise(Float32Array.of(1, 0.1, 0))],
    ['charter', normalise(Float32Array.of(1, 0.2, 0))],
    ['borrow', normalise(Float32Array.of(1, 0.15, 0))],
    ['guitar', normalise(Float32Array.of(0, 1, 0))],
    ['violin', normalise(Float32Array.of(0, 0.3, 1))],
    // Frequent words sit close together in GloVe ("men" and "where" 0.63).
    ['where', normalise(Float32Array.of(0, 0, 1))],
    ['men', normalise(Float32Array.of(0, 0.1, 1))],
  ]);

  vectorOf(word: string): Float32Array | null {
    this.lookups.push(word);
    return this.table.get(word) ?? null;
  }

  /** "borrow" is among the commonest words here; the rest are rare. */
  frequencyRankOf(word: string): number | null {
    return word === 'borrow' ? 10 : this.table.has(word) ? 5_000 : null;
  }
}

const faq = (id: string, question: string): FaqEntry => ({
  id,
  question,
  answer: 'Yes.',
  priority: 5,
  confidenceScore: 0.9,
});
const faqs = [faq('rental', 'Can I rent a guitar?'), faq('lessons', 'Do you teach guitar?')];

describe('FAQ matcher with word vectors', () => {
  it('lets a word no question uses stand for a question word with a close vector', () => {
    const lexical = new FaqMatcher(faqs);
    const blended = new FaqMatcher(faqs, { wordVectors: new FakeVectors() });
    expect(lexical.match('can I charter a guitar', 0.65)).toBeNull();
    expect(blended.match('can I charter a guitar', 0.65)?.entry.id).toBe('rental');
  });

  it('weighs a vector hit below the question word itself', () => {
    const blended = new FaqMatcher(faqs, { wordVectors: new FakeVectors() });
    expect(blended.best('can I charter a guitar')?.score ?? 1).toBeLessThan(
      blended.best('can I rent a guitar')?.score ?? 0,
    );
  });

  it('takes no distant word for a question word', () => {
    const blended = new FaqMatcher(faqs, { wordVectors: new FakeVectors() });
    expect(blended.top('violin', 5)).toEqual([]);
  });

  it('never reaches what a question asks (where, how much) through a vector, only its topic words', () => {
    const located = [faq('location', 'Where are you?'), ...faqs];
    const blended = new FaqMatcher(located, { wordVectors: new FakeVectors() });
    expect(blended.top('men', 5)).toEqual([]);
    expect(blended.best('can I charter a guitar')?.entry.id).toBe('rental');
  });

  it('does not look up the commonest words, whose neighbours are every other common word', () => {
    const blended = new FaqMatcher(faqs, { wordVectors: new FakeVectors() });
    expect(blended.best('can I charter a guitar')?.entry.id).toBe('rental');
    expect(blended.match('can I borrow a guitar', 0.65)).toBeNull();
  });

  it('looks words up by vector only when nothing else explains them, and at most MAX_MESSAGE_VECTOR_LOOKUPS per message', () => {
    const vectors = new FakeVectors();
    const matcher = new FaqMatcher(faqs, { wordVectors: vectors });
    vectors.lookups = [];
    matcher.top('rent guitar', 5);
    expect(vectors.lookups).toEqual([]);
    const unknown = Array.from(
      { length: 40 },
      (_, i) => `zzq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    matcher.top(unknown.join(' '), 5);
    expect(vectors.lookups.length).toBe(MAX_MESSAGE_VECTOR_LOOKUPS);
  });
});
