// Typo distance for the FAQ matcher: the deletion variants its symmetric-deletion index is built from,
// and the edit distance that confirms a candidate.
import { distance } from 'fastest-levenshtein';

/** Tokens at least this long may differ by two typos; shorter ones by one at most. */
export const MIN_TWO_EDIT_LENGTH = 8;

/** One-letter deletions, plus two-letter deletions for tokens long enough to be allowed two typos. */
export function deletionsOf(token: string): Set<string> {
  const result = new Set<string>();
  for (let i = 0; i < token.length; i++) result.add(token.slice(0, i) + token.slice(i + 1));
  if (token.length >= MIN_TWO_EDIT_LENGTH) {
    for (const once of [...result]) {
      for (let i = 0; i < once.length; i++) result.add(once.slice(0, i) + once.slice(i + 1));
    }
  }
  return result;
}

/** Levenshtein distance, except that one swap of adjacent letters ("retrun") counts as a single typo. */
export function editDistance(a: string, b: string): number {
  const plain = distance(a, b);
  if (plain !== 2 || a.length !== b.length) return plain;
  let first = 0;
  while (a[first] === b[first]) first++;
  const swapped = a[first] === b[first + 1] && a[first + 1] === b[first];
  return swapped && a.slice(first + 2) === b.slice(first + 2) ? 1 : plain;
}
