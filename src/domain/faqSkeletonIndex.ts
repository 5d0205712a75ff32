// SMS spelling drops vowels and doubled letters ("opn", "snd", "brkfast", "implnts", "swiming"): a message word
// whose consonant skeleton equals an FAQ word's, and which is shorter than that word, is read as that word. The
// skeleton keeps the first letter (vowel or not) and "y", so "opn" is "open" and "sundy" is "sunday", but
// "pen" is not "open". Typos within one or two edits are the typo index's; this catches the longer gaps that
// SMS writers leave on purpose, which edit distance calls far apart.
import { addTo } from './faqTypoIndex.js';

/** Shorter skeletons say too little: "bk" could be book, bike or back. */
const MIN_SKELETON_LENGTH = 3;

/** The first letter, then the word's consonants with repeats collapsed: "school" → "schl", "swimming" → "swmng". */
export function consonantSkeleton(word: string): string {
  const collapsed = word.replace(/(.)\1+/g, '$1');
  return (collapsed[0] ?? '') + collapsed.slice(1).replace(/[aeiou]/g, '');
}

export class FaqSkeletonIndex {
  /** Vocabulary token ids by the skeleton of the word each was first read as, with that word's length. */
  private readonly bySkeleton = new Map<string, number[]>();
  private readonly wordLength: number[] = [];

  add(word: string, id: number): void {
    if (!/^[a-z]+$/.test(word)) return;
    const skeleton = consonantSkeleton(word);
    if (skeleton.length < MIN_SKELETON_LENGTH || skeleton === word) return;
    this.wordLength[id] = word.length;
    addTo(this.bySkeleton, skeleton, id);
  }

  /** FAQ words the message word may be an SMS spelling of: same skeleton, more letters. */
  expansions(word: string): number[] {
    if (!/^[a-z]+$/.test(word)) return [];
    const skeleton = consonantSkeleton(word);
    if (skeleton.length < MIN_SKELETON_LENGTH) return [];
    return (this.bySkeleton.get(skeleton) ?? []).filter((id) => (this.wordLength[id] ?? 0) > word.length);
  }
}
