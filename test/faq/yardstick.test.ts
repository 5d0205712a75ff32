// The yardstick's data must stay sound (labels that exist, both splits in every slice, no repeats),
// and the matcher must not get less precise on its test part. The floor is today's measured test
// precision rounded down; raise it when the matcher improves (see "FAQ matching: how well it works").
import { describe, expect, it } from 'vitest';
import { yardstickBusinesses, yardstickSlices, type YardstickBusiness } from './yardstick/index.js';
import { evaluateYardstick } from './yardstickEvaluation.js';

const TEST_PRECISION_FLOOR = 0.95;

const normalised = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

describe('FAQ yardstick: the data', () => {
  const messages = yardstickBusinesses.flatMap((business) => business.messages);

  it('has at least 600 messages over at least 5 businesses', () => {
    expect(messages.length).toBeGreaterThanOrEqual(600);
    expect(new Set(yardstickBusinesses.map((business) => business.key)).size).toBe(yardstickBusinesses.length);
    expect(yardstickBusinesses.length).toBeGreaterThanOrEqual(5);
  });

  it.each(yardstickBusinesses.map((business) => [business.key, business] as const))(
    '%s: every label names one of its FAQs',
    (_, business) => {
      const keys = business.faqs.map((faq) => faq.key);
      expect(new Set(keys).size).toBe(keys.length);
      const unknown = business.messages.filter((message) => message.faq !== null && !keys.includes(message.faq));
      expect(unknown).toEqual([]);
      // Negative slices are the ones no FAQ should answer, and only those.
      for (const message of business.messages) {
        const negative =
          message.slice === 'negative' || message.slice === 'hard_negative' || message.slice === 'other_tenant';
        expect({ text: message.text, labelled: message.faq !== null }).toEqual({
          text: message.text,
          labelled: !negative,
        });
      }
    },
  );

  it.each(yardstickBusinesses.map((business) => [business.key, business] as const))(
    '%s: dev and test both hold every slice',
    (_, business) => {
      for (const slice of yardstickSlices) {
        const inSlice = business.messages.filter((message) => message.slice === slice);
        const dev = inSlice.filter((message) => message.split === 'dev').length;
        const test = inSlice.filter((message) => message.split === 'test').length;
        expect({ slice, dev: dev > 0, test: test > 0, balanced: Math.abs(dev - test) <= 1 }).toEqual({
          slice,
          dev: true,
          test: true,
          balanced: true,
        });
      }
    },
  );

  it('has no message twice within a business, and no FAQ wording twice', () => {
    for (const business of yardstickBusinesses) {
      const texts = business.messages.map((message) => normalised(message.text));
      expect(texts.filter((text, index) => texts.indexOf(text) !== index)).toEqual([]);
      for (const faq of business.faqs) {
        const wordings = [faq.question, ...(faq.variants ?? [])].map(normalised);
        expect(new Set(wordings).size).toBe(wordings.length);
      }
    }
  });
});

describe("FAQ yardstick: today's matcher", () => {
  it(`answers the test part with precision of at least ${TEST_PRECISION_FLOOR} and never with another business's FAQ`, async () => {
    const figures = await evaluateYardstick(yardstickBusinesses);
    expect(figures.test.overall.answered).toBeGreaterThan(0);
    expect(figures.test.precision).toBeGreaterThanOrEqual(TEST_PRECISION_FLOOR);
    expect(figures.test.otherTenantAnswers).toBe(0);
    // Verbatim questions are the easy case: every one of them must be answered, and rightly.
    expect(figures.test.slices.verbatim.right).toBe(figures.test.slices.verbatim.labelled);
  });
});

describe('FAQ yardstick: the runner', () => {
  it("builds each business's matcher with its FAQs' variants, as the server does", async () => {
    const wording = 'Mnakodisha speakers za harusi?';
    const business = (variants: string[]): YardstickBusiness => ({
      key: 'tiny',
      name: 'Tiny shop',
      faqs: [{ key: 'rent', question: 'Can I rent equipment?', answer: 'From KES 3,500 a day.', variants }],
      messages: [{ text: wording, faq: 'rent', slice: 'swahili', split: 'test' }],
    });
    expect((await evaluateYardstick([business([])])).test.slices.swahili.right).toBe(0);
    const withVariant = await evaluateYardstick([business([wording])]);
    expect(withVariant.test.slices.swahili).toMatchObject({ right: 1, wrong: 0 });
    expect(withVariant.test.precision).toBe(1);
  });
});
