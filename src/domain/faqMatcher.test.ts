import { describe, expect, it } from 'vitest';
import { faqEvaluationSet } from '../../test/faq/faqEvaluationSet.js';
import { costRatio, longWord, manyWords, ORDINARY_MESSAGE, wordsOfSize } from '../../test/support/hostileText.js';
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher, MAX_FUZZY_TOKEN_LENGTH, type FaqEntry } from './faqMatcher.js';
import { MAX_TOKENS } from './textNormaliser.js';

function faq(id: string, question: string, priority = 1, confidenceScore = 0.9): FaqEntry {
  return { id, question, answer: `answer to ${id}`, priority, confidenceScore };
}

const shopFaqs: FaqEntry[] = [
  faq('hours', 'What are your business hours?'),
  faq('location', 'Where is your shop located?'),
  faq('payment', 'What payment methods do you accept?'),
  faq('warranty', 'Do your instruments come with a warranty?'),
  faq('delivery', 'Do you deliver within Nairobi?'),
  faq('repairs', 'Do you repair musical instruments?'),
  faq('lessons', 'Do you offer guitar lessons?'),
];
const matcher = new FaqMatcher(shopFaqs);
const matchId = (text: string): string | null => matcher.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id ?? null;

describe('FaqMatcher', () => {
  it('scores an exact question 1 and sends it', () => {
    expect(matcher.best('What are your business hours?')).toEqual({ entry: shopFaqs[0], score: 1 });
    expect(matchId('What are your business hours?')).toBe('hours');
  });

  it('ignores case, punctuation and accents', () => {
    expect(matcher.best('WHERE IS YOUR SHOP LOCATED!!!')?.score).toBe(1);
    expect(matcher.best('whére is your shöp located')?.score).toBe(1);
  });

  it('reads a place asked for in other words as asking where', () => {
    expect(matchId('Which street are you on?')).toBe('location');
    expect(matchId('what floor is the shop on')).toBe('location');
  });

  it('knows the service-desk topics most businesses share in their usual words', () => {
    const desk = new FaqMatcher([
      faq('lost', 'Lost items'),
      faq('join', 'How do I join?'),
      faq('complaints', 'Complaints'),
      faq('booking', 'How do I book an appointment?'),
    ]);
    const id = (text: string) => desk.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id ?? null;
    expect(id('I forgot an item')).toBe('lost');
    expect(id('how do I register')).toBe('join');
    expect(id('feedback to report')).toBe('complaints');
    expect(id('can I schedule an appointment')).toBe('booking');
  });

  it('tolerates common typos, scoring them a little below the exact question', () => {
    expect(matchId('Do your instrumnets come with a warrenty?')).toBe('warranty');
    expect(matchId('do you repiar musical instruments')).toBe('repairs');
    expect(matchId('what payment methdos do you acept')).toBe('payment');
    const typo = matcher.best('Do you offer gitar lessons?');
    expect(typo?.entry.id).toBe('lessons');
    expect(typo?.score).toBeLessThan(1);
    expect(typo?.score).toBeGreaterThanOrEqual(DEFAULT_FAQ_THRESHOLD);
  });

  it('does not treat words under four letters that differ by one letter as typos', () => {
    const bags = new FaqMatcher([faq('bags', 'Bags?')]);
    expect(bags.best('bugs?')).toBeNull();
    expect(bags.best('bag')?.score).toBe(1);
  });

  it('ignores word order', () => {
    expect(matcher.best('located where your shop is')?.score).toBe(1);
  });

  it('ignores greetings and filler words', () => {
    expect(matcher.best('Hi! Please can you tell me what your business hours are?')).toMatchObject({
      entry: { id: 'hours' },
      score: 1,
    });
    expect(matchId('hello, do you guys deliver within nairobi please')).toBe('delivery');
  });

  it('matches word forms of the same stem', () => {
    expect(matchId('Nairobi deliveries?')).toBe('delivery');
  });

  it('keeps an unrelated question that shares one common word below the default threshold', () => {
    const result = matcher.best('How many hours does shipping take?');
    expect(result?.score ?? 0).toBeLessThan(DEFAULT_FAQ_THRESHOLD);
    expect(matchId('How many hours does shipping take?')).toBeNull();
    expect(matchId('Do you repair phones and laptops?')).toBeNull();
  });

  it('sends nothing when the best score is below the threshold', () => {
    const score = matcher.best('business hours today')?.score ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(matcher.match('business hours today', score + 0.01)).toBeNull();
    expect(matcher.match('business hours today', score)?.entry.id).toBe('hours');
  });

  it('returns null for empty, whitespace-only, emoji-only and filler-only messages', () => {
    for (const text of ['', '   \n\t', '👍🎸', 'Hi there!']) {
      expect(matcher.match(text, 0)).toBeNull();
      expect(matcher.best(text)).toBeNull();
    }
  });

  it('keeps every score within [0, 1]', () => {
    const messages = [
      'What are your business hours?',
      'hours hours hours business business',
      'do u deliver 2 nairobi cbd pls 🙏',
      'repair repair repairs repaired repairing instruments instrument',
      'x',
      'Warranty? Payment? Location? Lessons? Delivery? Repairs? Hours?',
    ];
    for (const text of messages) {
      for (const { score } of matcher.top(text, shopFaqs.length)) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
  });

  it('lists the top entries best first, up to the limit', () => {
    const top = matcher.top('do you repair and deliver instruments', 2);
    expect(top).toHaveLength(2);
    expect(top[0]?.score).toBeGreaterThanOrEqual(top[1]?.score ?? 1);
    expect(top.map((m) => m.entry.id)).toContain('repairs');
  });
});

describe('FaqMatcher customer vocabulary', () => {
  it('matches words customers use for the same thing, in English and Swahili', () => {
    expect(matchId('when do you close?')).toBe('hours');
    expect(matchId('Are you open on Saturday?')).toBe('hours');
    expect(matchId('saa ngapi mnafungua?')).toBe('hours');
    expect(matchId('where can I find you')).toBe('location');
    expect(matchId('mko wapi?')).toBe('location');
    expect(matchId('is there a guarantee?')).toBe('warranty');
  });

  it('scores a synonym below the FAQ word itself', () => {
    expect(matcher.best('when do you close?')?.score).toBeLessThan(matcher.best('hours?')?.score ?? 0);
  });

  it('treats a Nairobi area as Nairobi', () => {
    expect(matchId('can you deliver to Kilimani?')).toBe('delivery');
  });

  it('matches a lone topic word to its FAQ despite the tenant’s own words in the question', () => {
    expect(matchId('repairs?')).toBe('repairs');
  });

  it('never matches on what a message asks alone', () => {
    expect(matcher.best('how much?')).toBeNull();
    expect(matcher.best('price?')).toBeNull();
  });

  it('keeps a message with several unexplained words below the threshold', () => {
    expect(matchId('Are you open to partnerships with churches?')).toBeNull();
  });

  it('tells questions on one topic apart by what they ask', () => {
    const repairs = new FaqMatcher([
      faq('repairs', 'Do you repair musical instruments?'),
      faq('repair-time', 'How long does a repair take?'),
      faq('delivery', 'Do you deliver within Nairobi?'),
      faq('delivery-cost', 'How much does delivery cost?'),
    ]);
    const id = (text: string): string | null => repairs.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id ?? null;
    expect(id('how long will my repair take')).toBe('repair-time');
    expect(id('do you do repairs?')).toBe('repairs');
    expect(id('how much is delivery to Kilimani?')).toBe('delivery-cost');
  });
});

describe('FaqMatcher ties and confidence', () => {
  it('breaks ties by priority, then by confidence', () => {
    const tied = new FaqMatcher([
      faq('low-priority', 'Do you sell gift vouchers?', 1, 0.99),
      faq('high-priority', 'Do you sell gift vouchers?', 5, 0.6),
      faq('high-priority-more-confident', 'Do you sell gift vouchers?', 5, 0.9),
    ]);
    expect(tied.match('gift vouchers for sale?', 0.5)?.entry.id).toBe('high-priority-more-confident');
  });

  it('prefers a clearly better score over a higher priority', () => {
    const entries = [faq('vouchers', 'Do you sell gift vouchers?', 1), faq('gifts', 'Do you wrap gifts?', 9)];
    expect(new FaqMatcher(entries).match('Do you sell gift vouchers?', 0.5)?.entry.id).toBe('vouchers');
  });

  it('never sends a low-confidence entry verbatim, but still reports it as the best', () => {
    const unsure = new FaqMatcher([faq('events', 'Do you hire out sound systems for events?', 9, 0.4)]);
    expect(unsure.match('Do you hire out sound systems for events?', 0.5)).toBeNull();
    expect(unsure.best('Do you hire out sound systems for events?')?.entry.id).toBe('events');
  });

  it('sends a confident entry tied with a low-confidence one', () => {
    const mixed = new FaqMatcher([
      faq('unsure', 'Do you sell gift vouchers?', 9, 0.3),
      faq('sure', 'Do you sell gift vouchers?', 1, 0.8),
    ]);
    expect(mixed.match('Do you sell gift vouchers?', 0.5)?.entry.id).toBe('sure');
  });

  it('sends nothing when a low-confidence entry clearly beats the confident ones', () => {
    const mixed = new FaqMatcher([
      faq('unsure', 'Do you hire out sound systems for events?', 1, 0.3),
      faq('sure', 'Do you hire out guitars?', 1, 0.9),
    ]);
    expect(mixed.best('do you hire sound systems for events')?.entry.id).toBe('unsure');
    expect(mixed.match('do you hire sound systems for events', 0.3)).toBeNull();
  });
});

describe('FaqMatcher typos inside vocabulary phrases', () => {
  it('still matches when a word of a phrase is misspelt ("busines hours")', () => {
    const matcher = new FaqMatcher([
      {
        id: 'h',
        question: 'What are your business hours?',
        answer: 'Nine to six',
        priority: 10,
        confidenceScore: 0.95,
      },
    ]);
    expect(matcher.match('what are your busines hours??', DEFAULT_FAQ_THRESHOLD)?.entry.id).toBe('h');
  });
});

describe('FaqMatcher bounded work', () => {
  const realistic = new FaqMatcher(faqEvaluationSet.faqs);
  const idOf = (m: FaqMatcher, text: string) => m.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id ?? null;

  it.each([
    ['a 4,096-letter word', longWord(4_096)],
    ['100 KB of distinct words', wordsOfSize(100_000)],
    ['5,000 distinct 24-letter words', manyWords(5_000, MAX_FUZZY_TOKEN_LENGTH)],
    ['the ordinary message after 100 KB of one letter', `${'a'.repeat(100_000)} ${ORDINARY_MESSAGE}`],
  ])('matches %s for at most 20 times an ordinary message', (_, text) => {
    expect(
      costRatio(
        () => realistic.top(text, 5),
        () => realistic.top(ORDINARY_MESSAGE, 5),
      ),
    ).toBeLessThan(20);
  });

  it('still tolerates typos in words up to MAX_FUZZY_TOKEN_LENGTH letters, and matches longer ones exactly', () => {
    const long = 'internationalisationsprogramme'; // 30 letters: exact only
    const m = new FaqMatcher([faq('short', 'Do you sell harmonicas?'), faq('long', `Do you run the ${long}?`)]);
    expect(idOf(m, 'do you sell harmonicsa')).toBe('short');
    expect(idOf(m, `do you run the ${long}`)).toBe('long');
    expect(idOf(m, `do you run the ${long.replace('tion', 'tino')}`)).toBeNull();
  });

  it('indexes a 100 KB FAQ question for about what the rest of a realistic FAQ set costs, and still answers the others', () => {
    const hostile = faq('hostile', wordsOfSize(100_000));
    const ratio = costRatio(
      () => new FaqMatcher([...faqEvaluationSet.faqs, hostile]),
      () => new FaqMatcher(faqEvaluationSet.faqs),
    );
    expect(ratio).toBeLessThan(5);
    const withHostile = new FaqMatcher([...faqEvaluationSet.faqs, hostile]);
    for (const { text } of faqEvaluationSet.messages.slice(0, 20))
      expect(idOf(withHostile, text)).toBe(idOf(realistic, text));
  });

  it('matches words of FAQs indexed after the typo-variant budget is spent, exactly', () => {
    // Each question adds 32 long distinct words, a few hundred typo variants each: the budget runs out early.
    const filler = Array.from({ length: 40 }, (_, i) => faq(`filler-${i}`, manyWords(MAX_TOKENS, 20, i + 10)));
    const m = new FaqMatcher([...filler, faq('late', 'Do you sell saxophones?')]);
    expect(idOf(m, 'do you sell saxophones')).toBe('late');
    const firstFiller = (filler[0]?.question ?? '').split(' ');
    expect(idOf(m, firstFiller.join(' '))).toBe('filler-0');
  });
});
