import { describe, expect, it } from 'vitest';
import {
  BLEND_THRESHOLD,
  blendedScore,
  blendFaqMatch,
  DEFAULT_MIN_SIMILARITY,
  nearestWording,
  unitWordings,
  type BlendCandidate,
} from './faqBlend.js';
import type { FaqEntry } from './faqMatcher.js';

const entry = (id: string, priority = 5, confidenceScore = 0.95): FaqEntry => ({
  id,
  question: `Question ${id}?`,
  answer: `Answer ${id}.`,
  priority,
  confidenceScore,
});
const candidate = (id: string, similarity: number, lexical = 0, priority = 5, confidence = 0.95): BlendCandidate => ({
  entry: entry(id, priority, confidence),
  similarity,
  lexical,
});
const options = { minSimilarity: DEFAULT_MIN_SIMILARITY };

describe('blendFaqMatch', () => {
  it('answers a clear paraphrase: high similarity, well ahead of every other FAQ', () => {
    const match = blendFaqMatch([candidate('repairs', 0.86, 0.1), candidate('hours', 0.3)], options);
    expect(match?.entry.id).toBe('repairs');
    expect(match?.score).toBeCloseTo(blendedScore({ similarity: 0.86, lexical: 0.1 }));
  });

  it('answers nothing below the similarity floor, however the lexical score helps', () => {
    expect(blendFaqMatch([candidate('repairs', 0.74, 0.6)], options)).toBeNull();
  });

  it('needs lexical corroboration near the floor and none well above it', () => {
    // 0.75 * 0.76 = 0.57: short of the blend threshold alone, enough with a lexical 0.15.
    expect(blendFaqMatch([candidate('a', 0.76, 0)], options)).toBeNull();
    expect(blendFaqMatch([candidate('a', 0.76, 0.15)], options)?.entry.id).toBe('a');
    expect(blendedScore({ similarity: 0.8, lexical: 0 })).toBeGreaterThanOrEqual(BLEND_THRESHOLD);
  });

  it('answers nothing when two FAQs are about as close: the message is ambiguous', () => {
    expect(blendFaqMatch([candidate('a', 0.86), candidate('b', 0.83, 0.0)], options)).toBeNull();
    expect(blendFaqMatch([candidate('a', 0.9), candidate('b', 0.8)], options)?.entry.id).toBe('a');
  });

  it("keeps the spec's tie rules: priority, then confidence, and no verbatim answer beside a low-confidence FAQ", () => {
    // Two wordings of the same meaning in two FAQs, blended within the tie margin of each other.
    const tiedHigh = blendFaqMatch(
      [candidate('low-priority', 0.9, 0.2, 3), candidate('high-priority', 0.9, 0.19, 8)],
      options,
    );
    expect(tiedHigh?.entry.id).toBe('high-priority');
    expect(blendFaqMatch([candidate('unsure', 0.9, 0.2, 9, 0.3), candidate('sure', 0.9, 0.19)], options)).toBeNull();
    expect(blendFaqMatch([candidate('unsure', 0.95, 0.3, 5, 0.4)], options)).toBeNull();
  });

  it('answers nothing with no candidates, and honours a stricter floor', () => {
    expect(blendFaqMatch([], options)).toBeNull();
    expect(blendFaqMatch([candidate('a', 0.86)], { minSimilarity: 0.9 })).toBeNull();
  });
});

describe('unitWordings and nearestWording', () => {
  it("takes the closest of a row's wordings laid one after another, by direction, not length", () => {
    const wordings = unitWordings([0, 3, 2, 0, 0, 0, 0.6, 0.8], 2);
    expect([...wordings]).toEqual([0, 1, 1, 0, 0, 0, expect.closeTo(0.6), expect.closeTo(0.8)]);
    expect(nearestWording([5, 0], wordings, 2)).toBeCloseTo(1);
    expect(nearestWording([0, 1], wordings, 2)).toBeCloseTo(1);
    expect(nearestWording([0.6, 0.8], unitWordings([1, 0], 2), 2)).toBeCloseTo(0.6);
    expect(nearestWording([-1, -1], wordings, 2)).toBe(0);
    expect(nearestWording([0, 0], wordings, 2)).toBe(0);
    // Vectors of another size (another model) compare as unrelated.
    expect(nearestWording([1, 0, 0], wordings, 2)).toBe(0);
  });
});
