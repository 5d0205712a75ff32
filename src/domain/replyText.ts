// Shaping an answer for WhatsApp: a text message holds at most 4096 characters, and a tenant
// may ask for shorter answers. Cuts fall between words (never inside a word or a link).

export const WHATSAPP_TEXT_LIMIT = 4096;

/** Shortens `text` to at most `max` characters at a word boundary, adding "…" when cut. */
export function fitToLength(text: string, max: number | null): string {
  const trimmed = text.trim();
  if (max === null || max <= 0 || trimmed.length <= max) return trimmed;
  const room = Math.max(1, max - 1);
  const cut = lastBoundary(trimmed, room);
  return `${trimmed.slice(0, cut).trimEnd()}…`;
}

/** Splits `text` into parts of at most `limit` characters, preferring paragraph, then line, then word breaks. */
export function splitForWhatsApp(text: string, limit: number = WHATSAPP_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const paragraph = window.lastIndexOf('\n\n');
    const line = window.lastIndexOf('\n');
    const cut =
      paragraph > limit / 2 ? paragraph : line > limit / 2 ? line : lastBoundary(rest, limit);
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
