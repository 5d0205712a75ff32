// How much an FAQ-unknown message word should count against a match, from its frequency in general
// English. A word no FAQ uses gets the highest IDF the FAQ list can give, as if it were rare; but
// "number", "work" or "place" are among the commonest words of the language and say little about what a
// message asks ("What's your paybill number?"), while "safaricom" or "toll" change the subject. The word
// vectors' table is in corpus-frequency order, so its rank is the general-language rarity.

/** Words at this rank or rarer count in full: beyond the everyday core vocabulary. */
export const FULL_WEIGHT_RANK = 20_000;
/** The least an unknown word counts, however common (the commonest are mostly stop words already). */
export const MIN_UNKNOWN_WEIGHT = 0.35;

/**
 * The share of an unknown word's weight it keeps: log-scaled by rank, 1 for rare words and unknown ranks. A
 * bare number ("2", "4" in SMS, "10" in "Saturday at 10") is as common as the commonest words; the table
 * holds letters only, so numbers get the least weight without a rank.
 */
export function unknownWordWeight(rank: number | null | undefined, word = ''): number {
  if (/^\d+$/.test(word)) return MIN_UNKNOWN_WEIGHT;
  if (rank === null || rank === undefined || rank >= FULL_WEIGHT_RANK) return 1;
  const scaled = Math.log(rank + 2) / Math.log(FULL_WEIGHT_RANK);
  return Math.max(MIN_UNKNOWN_WEIGHT, Math.min(1, scaled));
}
