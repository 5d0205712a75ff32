// A customer's rating of an answer, from a reply ("👍", "yes", "hapana") or a reaction emoji.
// The whole message must be the rating, so "no, I meant the red one" is a question, not a 👎.

export type Rating = 1 | -1;

const UP = new Set(['yes', 'yes thanks', 'yes thank you', 'yep', 'ndio', 'ndiyo', 'good', 'helpful']);
const DOWN = new Set(['no', 'nope', 'hapana', 'not helpful', 'bad']);

export function ratingOf(text: string): Rating | null {
  // Skin tones and the emoji variation selector do not change the meaning.
  const t = text.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '').trim();
  if (/^(?:👍\s*)+$/u.test(t)) return 1;
  if (/^(?:👎\s*)+$/u.test(t)) return -1;
  const words = t
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (UP.has(words)) return 1;
  if (DOWN.has(words)) return -1;
  return null;
}
