// The text of a customer's document: PDFs through pdf-parse, plain text, CSV and Markdown as
// UTF-8. Bounded in pages read and characters kept, so a 300-page manual costs what a leaflet does.
import { PDFParse } from 'pdf-parse';
import { mimeEssence } from '../../domain/mimeEssence.js';
import type { DocumentReader as DocumentReaderPort, MediaFile } from '../../modules/replies/mediaPorts.js';

export interface DocumentReaderOptions {
  /** Characters of text returned at most (cut at a word, marked with "…"). */
  maxChars: number;
  /** PDF pages read at most, from the first. */
  maxPages: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentReaderOptions = { maxChars: 12_000, maxPages: 30 };

const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'text/x-markdown']);
const TEXT_EXTENSIONS = new Set(['txt', 'csv', 'md', 'markdown']);
// Types phones send when they do not know better; the file name decides then.
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

type DocumentKind = 'pdf' | 'text' | null;

export class DocumentReader implements DocumentReaderPort {
  private readonly options: DocumentReaderOptions;

  constructor(options: Partial<DocumentReaderOptions> = {}) {
    this.options = { ...DEFAULT_DOCUMENT_LIMITS, ...options };
  }

  canRead(mimeType: string, fileName: string | null): boolean {
    return kindOf(mimeType, fileName) !== null;
  }

  /** Null for types that carry no readable text; '' for a PDF without a text layer (a scan) or a broken one. */
  async textOf(file: MediaFile): Promise<string | null> {
    const kind = kindOf(file.mimeType, file.fileName);
    if (kind === null) return null;
    const raw = kind === 'pdf' ? await this.pdfText(file.bytes) : this.plainText(file.bytes);
    return bound(tidy(raw), this.options.maxChars);
  }

  private async pdfText(bytes: Buffer): Promise<string> {
    const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
    try {
      const result = await parser.getText({ first: Math.max(1, this.options.maxPages), pageJoiner: '' });
      return result.text;
    } catch {
      // Damaged and password-protected files have no text we can give; the caller says so.
      return '';
    } finally {
      await parser.destroy().catch(() => undefined);
    }
  }

  private plainText(bytes: Buffer): string {
    // Four bytes per character at most in UTF-8: no need to decode a 20 MB log file.
    const head = bytes.subarray(0, this.options.maxChars * 4 + 4);
    const text = new TextDecoder('utf-8').decode(head);
    // A "text" file full of NULs is a binary file with the wrong name.
    return text.includes('\u0000') ? '' : text;
  }
}

function kindOf(mimeType: string, fileName: string | null): DocumentKind {
  const type = mimeEssence(mimeType);
  if (type === 'application/pdf') return 'pdf';
  if (TEXT_TYPES.has(type)) return 'text';
  if (!GENERIC_TYPES.has(type)) return null;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName?.trim() ?? '')?.[1]?.toLowerCase() ?? '';
  if (extension === 'pdf') return 'pdf';
  return TEXT_EXTENSIONS.has(extension) ? 'text' : null;
}

/** Same words, less air: trailing spaces and runs of blank lines go, the BOM too. */
function tidy(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function bound(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, Math.max(0, maxChars - 1));
  const lastSpace = cut.search(/\s\S*$/);
  // A cut inside one enormous "word" (a base64 blob) keeps the characters rather than nothing.
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
