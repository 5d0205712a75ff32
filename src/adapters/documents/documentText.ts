// The text of one document, as the parse worker computes it: PDFs through pdf-parse (page by
// page, stopping at the page cap or once there is more text than will be kept), plain text as
// UTF-8. Runs inside the worker thread, so nothing here needs to be quick; but every step is
// linear in its input, so the time limit only ever cuts off a document that is truly too big.
import { PDFParse } from 'pdf-parse';

export type DocumentKind = 'pdf' | 'text';

export interface TextLimits {
  /** Characters of text returned at most (cut at a word, marked with "…"). */
  maxChars: number;
  /** PDF pages read at most, from the first. */
  maxPages: number;
}

/** '' for a PDF without a text layer (a scan), a damaged or protected one, or a binary "text" file. */
export async function documentText(kind: DocumentKind, bytes: Uint8Array, limits: TextLimits): Promise<string> {
  const raw = kind === 'pdf' ? await pdfText(bytes, limits) : plainText(bytes, limits.maxChars);
  return bound(tidy(raw), limits.maxChars);
}

async function pdfText(bytes: Uint8Array, { maxChars, maxPages }: TextLimits): Promise<string> {
  const parser = new PDFParse({ data: bytes, verbosity: 0 });
  try {
    let raw = '';
    let total = 1;
    for (let page = 1; page <= Math.min(total, Math.max(1, maxPages)); page++) {
      const result = await parser.getText({ partial: [page], pageJoiner: '' });
      total = result.total;
      raw += result.text;
      // More text than is kept: the pages after it would be read for nothing.
      if (raw.length > maxChars && tidy(raw).length > maxChars) break;
    }
    return raw;
  } catch {
    // Damaged and password-protected files have no text we can give; the caller says so.
    return '';
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

function plainText(bytes: Uint8Array, maxChars: number): string {
  // Four bytes per character at most in UTF-8: no need to decode a 20 MB log file.
  const head = bytes.subarray(0, maxChars * 4 + 4);
  const text = new TextDecoder('utf-8').decode(head);
  // A "text" file full of NULs is a binary file with the wrong name.
  return text.includes('\u0000') ? '' : text;
}

/** Same words, less air: trailing spaces and runs of blank lines go, the BOM too. */
export function tidy(text: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(withoutTrailingBlanks);
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// A loop rather than /[ \t]+\n/: that regex backtracks over every run of blanks not followed by a
// newline, which costs the square of the run's length (a line of 48,000 spaces took seconds).
function withoutTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end -= 1;
  return end === line.length ? line : line.slice(0, end);
}

function bound(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, Math.max(0, maxChars - 1));
  const lastSpace = cut.search(/\s\S*$/);
  // A cut inside one enormous "word" (a base64 blob) keeps the characters rather than nothing.
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
