// Shaping an answer for WhatsApp: a text message holds at most 4096 characters, and a tenant
// may ask for shorter answers. Cuts fall between words (never inside a word or a link).

export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * Shortens `text` to at most `max` characters, adding "…" when cut. The cut falls between words,
 * so no word or link is cut in half: a link that does not fit is left out whole. Only a first word
 * longer than `max` on its own is cut, since nothing else would fit.
 */
export function fitToLength(text: string, max: number | null): string {
  const trimmed = text.trim();
  if (max === null || max <= 0 || trimmed.length <= max) return trimmed;
  const room = max - 1;
  if (room < 1) return '…';
  let rest = trimmed;
  // A link too long to fit even first is dropped, and the words after it get its place.
  for (let first = firstWord(rest); first.length > room && isLink(first); first = firstWord(rest)) {
    rest = rest.slice(first.length).trimStart();
    if (rest.length <= max) return rest === '' ? '…' : rest;
  }
  const cut = lastBoundary(rest, room);
  return `${rest.slice(0, cut).trimEnd()}…`;
}

function firstWord(text: string): string {
  return /^\S*/.exec(text)?.[0] ?? '';
}

/** A URL, bare or in the "text (url)" form WhatsApp formatting gives a Markdown link. */
function isLink(word: string): boolean {
  return /^\(?(?:https?:\/\/|www\.)/i.test(word);
}

/** Splits `text` into parts of at most `limit` characters, preferring paragraph, then line, then word breaks. */
export function splitForWhatsApp(text: string, limit: number = WHATSAPP_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const paragraph = window.lastIndexOf('\n\n');
    const line = window.lastIndexOf('\n');
    const cut = paragraph > limit / 2 ? paragraph : line > limit / 2 ? line : lastBoundary(rest, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Index ≤ max at which to cut: the last whitespace, or max itself when one "word" is longer than max. */
function lastBoundary(text: string, max: number): number {
  if (text.length <= max) return text.length;
  if (/\s/.test(text.charAt(max))) return max;
  const space = text.slice(0, max).search(/\s\S*$/);
  return space > 0 ? space : max;
}
