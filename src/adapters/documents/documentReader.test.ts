import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { MediaFile } from '../../modules/replies/mediaPorts.js';
import { inflatingPdf, textItemsPdf } from '../../../test/support/documentBombs.js';
import { DocumentReadError } from '../../domain/documentReadError.js';
import { DocumentReader } from './documentReader.js';

async function pdfWithPages(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([400, 300]);
    if (text) page.drawText(text, { x: 20, y: 250, size: 12, font });
    // Scans are pictures without a text layer; a filled shape stands in for one.
    else page.drawRectangle({ x: 20, y: 20, width: 300, height: 200, color: rgb(0.2, 0.2, 0.2) });
  }
  return Buffer.from(await doc.save());
}

const file = (bytes: Buffer, mimeType: string, fileName: string | null = null): MediaFile => ({
  bytes,
  mimeType,
  fileName,
});

describe('DocumentReader', () => {
  const reader = new DocumentReader();

  it('reads the text of a PDF', async () => {
    const pdf = await pdfWithPages(['Returns are accepted within 30 days.', 'Guitars carry a 2 year warranty.']);
    const text = await reader.textOf(file(pdf, 'application/pdf', 'policy.pdf'));
    expect(text).toContain('Returns are accepted within 30 days.');
    expect(text).toContain('Guitars carry a 2 year warranty.');
  });

  it('reads only the first pages it is allowed to', async () => {
    const pdf = await pdfWithPages(['Page one text', 'Page two text', 'Page three text', 'Page four text']);
    const text = await new DocumentReader({ maxPages: 2 }).textOf(file(pdf, 'application/pdf'));
    expect(text).toContain('Page two text');
    expect(text).not.toContain('Page three text');
  });

  it('gives an empty text for a scanned PDF and for a damaged one', async () => {
    expect(await reader.textOf(file(await pdfWithPages(['', '']), 'application/pdf'))).toBe('');
    expect(await reader.textOf(file(Buffer.from('%PDF-1.4 this is not really a pdf'), 'application/pdf'))).toBe('');
  });

  it('reads plain text, CSV and Markdown as UTF-8, without the BOM and the extra blank lines', async () => {
    const text = '\uFEFFPrix: 2 500 KSh\r\n\r\n\r\n\r\nCafé ouvert à 9h   \r\n';
    expect(await reader.textOf(file(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8'))).toBe(
      'Prix: 2 500 KSh\n\nCafé ouvert à 9h',
    );
    expect(await reader.textOf(file(Buffer.from('item,price\nguitar,100\n'), 'text/csv'))).toBe(
      'item,price\nguitar,100',
    );
    expect(await reader.textOf(file(Buffer.from('# Menu\n- tea'), 'text/markdown'))).toBe('# Menu\n- tea');
  });

  it('goes by the file name when the phone did not know the type', async () => {
    const pdf = await pdfWithPages(['Named by its extension']);
    expect(await reader.textOf(file(pdf, 'application/octet-stream', 'LEAFLET.PDF'))).toContain(
      'Named by its extension',
    );
    expect(await reader.textOf(file(Buffer.from('notes'), 'application/octet-stream', 'notes.txt'))).toBe('notes');
    expect(await reader.textOf(file(Buffer.from('PK...'), 'application/octet-stream', 'archive.zip'))).toBeNull();
    expect(await reader.textOf(file(Buffer.from('notes'), 'application/octet-stream', null))).toBeNull();
  });

  it('has no text for other types, whatever their name says', async () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(await reader.textOf(file(Buffer.from('PK'), docx, 'quote.docx'))).toBeNull();
    expect(await reader.textOf(file(Buffer.from('OggS'), 'audio/ogg; codecs=opus', 'x.txt'))).toBeNull();
    expect(await reader.textOf(file(Buffer.from([0xff, 0xd8]), 'image/jpeg', 'photo.pdf'))).toBeNull();
  });

  it('says before any download which documents it can read', () => {
    expect(reader.canRead('application/pdf', null)).toBe(true);
    expect(reader.canRead('text/csv; charset=utf-8', 'prices.csv')).toBe(true);
    expect(reader.canRead('application/octet-stream', 'menu.md')).toBe(true);
    expect(reader.canRead('application/vnd.ms-excel', 'prices.xls')).toBe(false);
    expect(reader.canRead('application/octet-stream', null)).toBe(false);
  });

  it('treats a "text" file full of NUL bytes as having no text', async () => {
    expect(await reader.textOf(file(Buffer.from([0x50, 0x00, 0x4b, 0x00]), 'text/plain'))).toBe('');
  });

  it('keeps at most maxChars characters, cut at a word', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const text = await new DocumentReader({ maxChars: 100 }).textOf(file(Buffer.from(words), 'text/plain'));
    expect(text?.length).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^word0 word1 .* word\d+…$/);
    expect(words.startsWith(String(text).slice(0, -1))).toBe(true);
  });

  it('keeps a text file of 200,000 blanks cheap to tidy (the old trailing-blanks regex took the square of that)', async () => {
    const text = await new DocumentReader({ maxChars: 100_000 }).textOf(
      file(Buffer.from(`${' '.repeat(200_000)}x \n\n\n\nend`), 'text/plain'),
    );
    expect(text).toBe('x\n\nend');
  });
});

describe('DocumentReader limits: the parse runs in a worker thread', () => {
  const rejection = async (promise: Promise<unknown>): Promise<DocumentReadError> => {
    const err: unknown = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DocumentReadError);
    return err as DocumentReadError;
  };

  it('stops a PDF bomb (2 GB of inflated zeros) at the time limit with a clear error', async () => {
    const bomb = inflatingPdf(2048);
    const err = await rejection(
      new DocumentReader({ timeoutMs: 1_500, maxMemoryMb: 512 }).textOf(file(bomb, 'application/pdf', 'bomb.pdf')),
    );
    expect(err).toMatchObject({
      reason: 'timeout',
      retryable: false,
      message: 'reading the document took longer than 1500 ms',
    });
  }, 60_000);

  it('stops a PDF of millions of text items at the memory limit with a clear error, and this process goes on', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const err = await rejection(
      new DocumentReader({ timeoutMs: 60_000, maxMemoryMb: 64 }).textOf(
        file(textItemsPdf(1_000_000), 'application/pdf'),
      ),
    );
    expect(err).toMatchObject({
      reason: 'memory',
      retryable: false,
      message: 'reading the document needed more than 64 MB of memory',
    });
    // The items were made in the thread's heap, not in this one.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect(
      await new DocumentReader().textOf(file(await pdfWithPages(['Still reading after that']), 'application/pdf')),
    ).toBe('Still reading after that');
  }, 60_000);

  it('reads one document at a time, lets a few wait, and refuses more as busy (retryable)', async () => {
    const reader = new DocumentReader({ timeoutMs: 1_000, maxWaiting: 1 });
    const bomb = file(inflatingPdf(2048), 'application/pdf');
    const running = reader.textOf(bomb);
    const waiting = reader.textOf(file(Buffer.from('waited for my turn'), 'text/plain'));
    const refused = await rejection(reader.textOf(file(Buffer.from('one too many'), 'text/plain')));
    expect(refused).toMatchObject({ reason: 'busy', retryable: true });
    expect((await rejection(running)).reason).toBe('timeout');
    expect(await waiting).toBe('waited for my turn');
  }, 60_000);
});
