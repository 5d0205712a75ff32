// Turns FAQ questions and customer messages into comparable text and tokens.
// Both sides go through the same steps, so the matcher only ever compares like with like.
import { distance } from 'fastest-levenshtein';
import { stemmer } from 'stemmer';
import { customerVocabulary } from './customerVocabulary.js';
import { englishFor } from './swahiliWords.js';

/**
 * Characters of a text that are read at all; the rest is ignored. A question (an FAQ's or a customer's) is far
 * shorter, and the bound makes every later step cost a fixed ceiling however long a message, caption,
 * transcript or document text is.
 */
export const MAX_NORMALISED_LENGTH = 2_000;
/** Longer words are cut to this many letters before stemming: no real word is longer, and a 4,096-letter
 * "word" must cost no more than an ordinary one in the stemmer, the typo index and the trigrams. */
export const MAX_WORD_LENGTH = 32;
/** Distinct content tokens kept per text, the first ones: questions have a handful, and each token costs a
 * fixed amount of matching work (typo variants, postings), so this caps a text's matching cost. */
export const MAX_TOKENS = 32;

/** Contractions expanded before punctuation is dropped, while the apostrophe still marks them. */
const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'cannot'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'m\b/g, ' am'],
  [/'d\b/g, ' would'],
  [/\b(what|where|who|how|when|it|that|there|here)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** Chat short forms folded to the full word, so they match FAQ wording. */
const SHORT_FORMS: ReadonlyMap<string, string> = new Map([
  ['u', 'you'],
  ['r', 'are'],
  ['ur', 'your'],
  ['pls', 'please'],
  ['plz', 'please'],
  ['plse', 'please'],
  ['hrs', 'hours'],
  ['hr', 'hour'],
  ['wknd', 'weekend'],
  ['whats', 'what is'],
  ['wats', 'what is'],
  ['wat', 'what'],
  ['thx', 'thanks'],
  ['thnx', 'thanks'],
  ['abt', 'about'],
  ['tmrw', 'tomorrow'],
  ['nbi', 'nairobi'],
  ['nrb', 'nairobi'],
  ['info', 'information'],
  // SMS spelling: digits for syllables, dropped vowels.
  ['2day', 'today'],
  ['2dy', 'today'],
  ['2moro', 'tomorrow'],
  ['2morrow', 'tomorrow'],
  ['2mrw', 'tomorrow'],
  ['tmoro', 'tomorrow'],
  ['tmr', 'tomorrow'],
  ['2nyt', 'tonight'],
  ['2nite', 'tonight'],
  ['b4', 'before'],
  ['tym', 'time'],
  ['hw', 'how'],
  ['wer', 'where'],
  ['whr', 'where'],
  ['wen', 'when'],
  ['whn', 'when'],
  ['mch', 'much'],
  ['cn', 'can'],
  ['wth', 'with'],
  ['wt', 'what'],
  ['hv', 'have'],
  ['nd', 'and'],
  ['n', 'and'],
  ['ppl', 'people'],
  ['msg', 'message'],
  ['num', 'number'],
  // More of the common SMS lexicon: phonetic spellings and digits for sounds.
  ['hav', 'have'],
  ['av', 'have'],
  ['gud', 'good'],
  ['frm', 'from'],
  ['fr', 'for'],
  ['wnt', 'want'],
  ['wanna', 'want to'],
  ['gonna', 'going to'],
  ['gt', 'get'],
  ['gv', 'give'],
  ['bt', 'but'],
  ['nw', 'now'],
  ['nxt', 'next'],
  ['lst', 'last'],
  ['thru', 'through'],
  ['coz', 'because'],
  ['cuz', 'because'],
  ['bcoz', 'because'],
  ['wud', 'would'],
  ['shud', 'should'],
  ['cud', 'could'],
  ['dat', 'that'],
  ['dis', 'this'],
  ['dem', 'them'],
  ['der', 'there'],
  ['yr', 'your'],
  ['yo', 'your'],
  ['luv', 'love'],
  ['kwik', 'quick'],
  ['nyt', 'night'],
  ['4got', 'forgot'],
  ['4get', 'forget'],
  ['4ever', 'forever'],
  ['gr8', 'great'],
  ['l8', 'late'],
  ['l8r', 'later'],
  ['w8', 'wait'],
  ['m8', 'mate'],
  ['skul', 'school'],
  ['skool', 'school'],
  ['appt', 'appointment'],
  ['pic', 'photo'],
  ['pics', 'photos'],
  ['txt', 'text'],
  ['wk', 'week'],
  ['wks', 'weeks'],
  ['mnth', 'month'],
  ['mins', 'minutes'],
  ['dr', 'doctor'],
  ['amt', 'amount'],
]);

/**
 * Stems folded together: derived forms Porter leaves apart ("delivery"/"deliver"), and synonyms any
 * shop's customers use interchangeably with the FAQ's wording ("price", "fee" for "cost").
 */
const STEM_FOLDS: ReadonlyMap<string, string> = new Map([
  ['deliveri', 'deliv'],
  ['payment', 'pai'],
  ['class', 'lesson'],
  ['tuition', 'lesson'],
  ['price', 'cost'],
  ['fee', 'cost'],
  ['charg', 'cost'],
]);

/**
 * English stop words, greeting/politeness filler that carries no topic ("hi", "please", "tell me"),
 * and common Swahili function words, as customers mix both languages.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can cannot could did do does doing down during each few for from further get got had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most much ' +
    'many my myself no nor not of off on once only or other our ours ourselves out over own same she should so ' +
    'some such than that the their theirs them themselves then there these they this those through to too under ' +
    'until up us very was we were what when which while who whom why will with would you your yours ' +
    'yourself yourselves ' +
    // The business itself: "your shop" asks about "you".
    'shop store outlet duka ' +
    'hi hello hey hiya dear sir madam maam guys please kindly thanks thank tell know want wondering wonder ask ' +
    'asking like need help let ok okay also good morning afternoon evening ' +
    // Light verbs and request words that any customer-service question can carry.
    'available availability possible offer offers offering provide provides service services ' +
    'take takes taking come comes give gives make ' +
    // Framing words: "what time do you open", "within Nairobi".
    'time times within ' +
    'na ya wa kwa ni za la je cha vya katika au pia hii hiyo kama tu mimi wewe sisi yako yenu yangu ' +
    // Swahili question words and requests: "ngapi" (how many), "nataka" (I want); verb forms are in swahiliWords.ts.
    'ngapi gani nini vipi lini nataka tafadhali hadi kwenye'
  ).split(' '),
);

interface Phrase {
  stems: string[];
  replacement: string[];
}

/** Vocabulary phrases by their first stem, longest first, so "how many days" wins over a shorter phrase. */
const PHRASES: ReadonlyMap<string, Phrase[]> = (() => {
  const byFirst = new Map<string, Phrase[]>();
  for (const [phrase, replacement] of customerVocabulary.phrases) {
    const stems = normaliseText(phrase)
      .split(' ')
      .map((word) => stemmer(word));
    const list = byFirst.get(stems[0] ?? '') ?? [];
    list.push({ stems, replacement: replacement.split(' ') });
    byFirst.set(
      stems[0] ?? '',
      list.sort((a, b) => b.stems.length - a.stems.length),
    );
  }
  return byFirst;
})();

/**
 * First stems of the phrases (long enough for typo tolerance) by themselves and their one-letter deletions:
 * two stems one edit apart share such a variant, so a misspelt first word is found in time linear in its
 * length instead of by measuring it against every phrase.
 */
const PHRASE_STEMS_BY_VARIANT: ReadonlyMap<string, readonly string[]> = (() => {
  const byVariant = new Map<string, string[]>();
  for (const first of PHRASES.keys()) {
    if (first.length < 4) continue;
    for (const variant of withOneDeletion(first)) byVariant.set(variant, [...(byVariant.get(variant) ?? []), first]);
  }
  return byVariant;
})();
const PHRASE_STEM_LENGTHS: ReadonlySet<number> = new Set([...PHRASES.keys()].map((first) => first.length));

/** Lowercase, accent-free, punctuation- and emoji-free text with short forms expanded and spaces collapsed. */
export function normaliseText(text: string): string {
  let result = text
    .slice(0, MAX_NORMALISED_LENGTH)
    .toLowerCase()
    // Compatibility forms can expand many times (one ligature to 18 letters): the limit holds after that too.
    .normalize('NFKD')
    .slice(0, MAX_NORMALISED_LENGTH)
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) result = result.replace(pattern, replacement);
  const words = result
    // "m-pesa" and "e-mail" are single words; "second-hand" stays two.
    .replace(/(?<![\p{L}\p{N}])(\p{L})-(?=\p{L})/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0);
  return words.map((word) => SHORT_FORMS.get(word) ?? word).join(' ');
}

/**
 * Content tokens: stop words and stray single letters removed, the rest Porter-stemmed; numbers kept.
 * At most `MAX_TOKENS` distinct ones, in the order they first appear.
 */
export function tokenise(text: string): string[] {
  return tokeniseNormalised(normaliseText(text));
}

/** `tokenise` for a text already through `normaliseText`, so a caller needing both normalises once. */
export function tokeniseNormalised(normalised: string): string[] {
  return contentTokens(normalised, true).map((pair) => pair.token);
}

/** A content token and the (English) word it was made from, for looking the word up in a word-vector table. */
export interface TokenWord {
  token: string;
  word: string;
}

/** The distinct tokens of `tokeniseNormalised`, each with its first word: Swahili and Sheng forms read as English. */
export function tokeniseWithWords(normalised: string): TokenWord[] {
  return contentTokens(normalised, false);
}

function contentTokens(normalised: string, keepRepeats: boolean): TokenWord[] {
  if (normalised === '') return [];
  const pairs: TokenWord[] = [];
  const distinct = new Set<string>();
  for (const read of replacePhrases(normalised.split(' ').map((w) => w.slice(0, MAX_WORD_LENGTH)))) {
    for (const word of englishFor(read)) {
      if (STOP_WORDS.has(word) || (word.length === 1 && !/\d/.test(word))) continue;
      const stem = stemmer(word);
      const token = STEM_FOLDS.get(stem) ?? stem;
      if (distinct.has(token)) {
        if (keepRepeats) pairs.push({ token, word });
        continue;
      }
      if (distinct.size === MAX_TOKENS) return pairs;
      distinct.add(token);
      pairs.push({ token, word });
    }
  }
  return pairs;
}

/**
 * Words with vocabulary phrases ("how much", "saa ngapi") replaced by the word they stand for, produced as
 * they are read, so a caller that has enough tokens stops reading (and stemming) the rest.
 */
function* replacePhrases(words: string[]): Generator<string> {
  const stems: string[] = [];
  const stemAt = (index: number): string => (stems[index] ??= index < words.length ? stemmer(words[index] ?? '') : '');
  for (let index = 0; index < words.length; ) {
    const phrase = phrasesStartingWith(stemAt(index)).find((candidate) =>
      candidate.stems.every((stem, offset) => sameStem(stemAt(index + offset), stem)),
    );
    if (phrase) yield* phrase.replacement;
    else yield words[index] ?? '';
    index += phrase ? phrase.stems.length : 1;
  }
}

/** A typo in a phrase ("busines hours") still makes the phrase, for stems long enough to tell apart. */
function sameStem(a: string, b: string): boolean {
  // Stems whose lengths differ by more than one cannot be one edit apart: no need to measure.
  return a === b || (a.length >= 4 && b.length >= 4 && Math.abs(a.length - b.length) <= 1 && distance(a, b) <= 1);
}

function phrasesStartingWith(stem: string): NonNullable<ReturnType<typeof PHRASES.get>> {
  const exact = PHRASES.get(stem);
  if (exact || stem.length < 4) return exact ?? [];
  // One edit changes the length by one at most.
  if (![-1, 0, 1].some((change) => PHRASE_STEM_LENGTHS.has(stem.length + change))) return [];
  const near = new Set<string>();
  for (const variant of withOneDeletion(stem))
    for (const first of PHRASE_STEMS_BY_VARIANT.get(variant) ?? []) near.add(first);
  if (near.size === 0) return [];
  // The first phrase in vocabulary order wins, as when every phrase was measured in turn.
  for (const first of PHRASES.keys()) if (near.has(first) && sameStem(stem, first)) return PHRASES.get(first) ?? [];
  return [];
}

/** The word and each form of it with one letter left out. */
function withOneDeletion(word: string): string[] {
  const variants = [word];
  for (let i = 0; i < word.length; i++) variants.push(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

const tokeniseAll = (words: readonly string[]): string[] => words.flatMap((word) => tokenise(word));

/** The customer vocabulary as tokens, made by the same steps as any text, with each token's group indexes. */
export const vocabularyTokens = {
  asking: new Set(tokeniseAll(customerVocabulary.asking)),
  light: new Set(tokeniseAll(customerVocabulary.light)),
  groups: customerVocabulary.concepts.reduce((byToken, group, index) => {
    for (const token of tokeniseAll(group)) byToken.set(token, [...(byToken.get(token) ?? []), index]);
    return byToken;
  }, new Map<string, number[]>()) as ReadonlyMap<string, readonly number[]>,
};
