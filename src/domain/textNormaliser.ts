// Turns FAQ questions and customer messages into comparable text and tokens.
// Both sides go through the same steps, so the matcher only ever compares like with like.
import { distance } from 'fastest-levenshtein';
import { stemmer } from 'stemmer';
import { customerVocabulary } from './customerVocabulary.js';

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
]);

/**
 * Stems folded together: derived forms Porter leaves apart ("delivery"/"deliver"), and synonyms any
 * shop's customers use interchangeably with the FAQ's wording ("price", "fee" for "cost").
 */
const STEM_FOLDS: ReadonlyMap<string, string> = new Map([
  ['deliveri', 'deliv'],
  ['payment', 'pai'],
  ['price', 'cost'],
  ['fee', 'cost'],
  ['charg', 'cost'],
  ['fix', 'repair'],
  ['guarante', 'warranti'],
  ['class', 'lesson'],
  ['tuition', 'lesson'],
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
    // Swahili question words and request forms: "ngapi" (how many), "naweza" (can I), "mnafanya" (do you do).
    'ngapi gani nini vipi lini naweza naeza nataka tafadhali hadi kwenye mna mnafanya iko kuna'
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
    const stems = normaliseText(phrase).split(' ').map((word) => stemmer(word));
    const list = byFirst.get(stems[0] ?? '') ?? [];
    list.push({ stems, replacement: replacement.split(' ') });
    byFirst.set(stems[0] ?? '', list.sort((a, b) => b.stems.length - a.stems.length));
  }
  return byFirst;
})();

/** Lowercase, accent-free, punctuation- and emoji-free text with short forms expanded and spaces collapsed. */
export function normaliseText(text: string): string {
  let result = text
    .toLowerCase()
    .normalize('NFKD')
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

/** Content tokens: stop words and stray single letters removed, the rest Porter-stemmed; numbers kept. */
export function tokenise(text: string): string[] {
  const normalised = normaliseText(text);
  if (normalised === '') return [];
  const tokens: string[] = [];
  for (const word of replacePhrases(normalised.split(' '))) {
    if (STOP_WORDS.has(word) || (word.length === 1 && !/\d/.test(word))) continue;
    const stem = stemmer(word);
    tokens.push(STEM_FOLDS.get(stem) ?? stem);
  }
  return tokens;
}

/** Words with vocabulary phrases ("how much", "saa ngapi") replaced by the word they stand for. */
function replacePhrases(words: string[]): string[] {
  const stems = words.map((word) => stemmer(word));
  const result: string[] = [];
  for (let index = 0; index < words.length; ) {
    const phrase = phrasesStartingWith(stems[index] ?? '').find((candidate) =>
      candidate.stems.every((stem, offset) => sameStem(stems[index + offset] ?? '', stem)),
    );
    if (phrase) result.push(...phrase.replacement);
    else result.push(words[index] ?? '');
    index += phrase ? phrase.stems.length : 1;
  }
  return result;
}

/** A typo in a phrase ("busines hours") still makes the phrase, for stems long enough to tell apart. */
function sameStem(a: string, b: string): boolean {
  return a === b || (a.length >= 4 && b.length >= 4 && distance(a, b) <= 1);
}

function phrasesStartingWith(stem: string): NonNullable<ReturnType<typeof PHRASES.get>> {
  const exact = PHRASES.get(stem);
  if (exact || stem.length < 4) return exact ?? [];
  for (const [first, phrases] of PHRASES) if (sameStem(stem, first)) return phrases;
  return [];
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
