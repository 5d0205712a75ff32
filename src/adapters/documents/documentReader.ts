// The text of a customer's document: PDFs through pdf-parse, plain text, CSV and Markdown as
// UTF-8. Bounded in pages read and characters kept, so a 300-page manual costs what a leaflet
// does; and read in a worker thread with a time and a memory limit (documentParsePool.ts), so a
// crafted file costs at most those limits and never the event loop.
import { mimeEssence } from '../../domain/mimeEssence.js';
import type { DocumentReader as DocumentReaderPort, MediaFile } from '../../modules/replies/mediaPorts.js';
import { DocumentParsePool, type DocumentParseLimits } from './documentParsePool.js';
import type { DocumentKind, TextLimits } from './documentText.js';

export type DocumentReaderOptions = TextLimits & DocumentParseLimits;

export const DEFAULT_DOCUMENT_LIMITS: DocumentReaderOptions = {
  maxChars: 12_000,
  maxPages: 30,
  timeoutMs: 10_000,
  maxMemoryMb: 256,
  maxWaiting: 4,
};

const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'text/x-markdown']);
const TEXT_EXTENSIONS = new Set(['txt', 'csv', 'md', 'markdown']);
// Types phones send when they do not know better; the file name decides then.
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export class DocumentReader implements DocumentReaderPort {
  private readonly options: DocumentReaderOptions;
  private readonly pool: DocumentParsePool;

  constructor(options: Partial<DocumentReaderOptions> = {}) {
    this.options = { ...DEFAULT_DOCUMENT_LIMITS, ...options };
    this.pool = new DocumentParsePool(this.options);
  }

  canRead(mimeType: string, fileName: string | null): boolean {
    return kindOf(mimeType, fileName) !== null;
  }

  /**
   * Null for types that carry no readable text; '' for a PDF without a text layer (a scan) or a
   * broken one. Rejects with DocumentReadError when a limit was reached.
   */
  async textOf(file: MediaFile): Promise<string | null> {
    const kind = kindOf(file.mimeType, file.fileName);
    if (kind === null) return null;
    // A copy of just these bytes: a Buffer may be a view on a shared pool, and cloning it to the
    // thread would send the whole pool (other messages' bytes) along.
    const bytes = new Uint8Array(file.bytes);
    return this.pool.parse({ kind, bytes, maxChars: this.options.maxChars, maxPages: this.options.maxPages });
  }
}

function kindOf(mimeType: string, fileName: string | null): DocumentKind | null {
  const type = mimeEssence(mimeType);
  if (type === 'application/pdf') return 'pdf';
  if (TEXT_TYPES.has(type)) return 'text';
  if (!GENERIC_TYPES.has(type)) return null;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName?.trim() ?? '')?.[1]?.toLowerCase() ?? '';
  if (extension === 'pdf') return 'pdf';
  return TEXT_EXTENSIONS.has(extension) ? 'text' : null;
}
