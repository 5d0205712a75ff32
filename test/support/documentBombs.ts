// PDFs an attacker (or an unlucky customer) sends, written here byte by byte: small files that cost a PDF reader
// gigabytes of inflating or millions of text items, one with 10,000 pages, and an ordinary one
// that is simply big. Used by the document tests and by `npm run bench`.
import { constants, deflateRawSync } from 'node:zlib';

const MB = 1024 * 1024;

/** One page whose content stream is `inflatedMb` of zeros, deflated to about a thousandth of that. */
export function inflatingPdf(inflatedMb: number): Buffer {
  return pdfOf([{ deflated: repeatedZlib(Buffer.alloc(16 * MB), Math.ceil(inflatedMb / 16)) }]);
}

/** One page drawing `items` separate one-letter strings: each becomes a text item in the reader's heap. */
export function textItemsPdf(items: number): Buffer {
  const unit = Buffer.from('(a) Tj ');
  const perBlock = Math.floor((4 * MB) / unit.length);
  const block = Buffer.concat(Array.from({ length: perBlock }, () => unit));
  return pdfOf([
    { deflated: repeatedZlib(block, Math.ceil(items / perBlock), Buffer.from('BT /F1 1 Tf '), Buffer.from(' ET')) },
  ]);
}

/** `pages` pages, the first with a line of text, the rest blank. */
export function manyPagesPdf(pages: number, firstPageText: string): Buffer {
  return pdfOf(Array.from({ length: pages }, (_, i) => (i === 0 ? { lines: [firstPageText] } : {})));
}

/** An ordinary text-only PDF of at least `minBytes`: pages of 60 lines of varied words, `firstLine` on top. */
export function bigTextPdf(minBytes: number, firstLine: string): Buffer {
  let seed = 7;
  const word = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed.toString(36).slice(0, 3 + (seed % 6));
  };
  const pages: PageContent[] = [];
  for (let size = 0; size < minBytes; size += 60 * 80) {
    const lines = Array.from({ length: 60 }, () => Array.from({ length: 12 }, word).join(' '));
    if (pages.length === 0) lines[0] = firstLine;
    pages.push({ lines });
  }
  return pdfOf(pages);
}

type PageContent = { lines?: string[]; deflated?: Buffer };

/** A PDF written out by hand (pdf-lib takes seconds for 10,000 pages): Helvetica text or a deflated content stream per page. */
function pdfOf(pages: PageContent[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const add = (...chunks: Buffer[]) => {
    offsets.push(length);
    for (const chunk of chunks) {
      parts.push(chunk);
      length += chunk.length;
    }
  };
  // Objects: 1 catalog, 2 page tree, 3 font, then a page and a content stream for each page.
  const pageRef = (i: number) => `${4 + 2 * i} 0 R`;
  add(Buffer.from('1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'));
  add(
    Buffer.from(
      `2 0 obj << /Type /Pages /Count ${pages.length} /Kids [${pages.map((_, i) => pageRef(i)).join(' ')}] >> endobj\n`,
    ),
  );
  add(Buffer.from('3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n'));
  pages.forEach((page, i) => {
    const number = 4 + 2 * i;
    add(
      Buffer.from(
        `${number} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /Font << /F1 3 0 R >> >> /Contents ${number + 1} 0 R >> endobj\n`,
      ),
    );
    const text = page.lines
      ? `BT /F1 8 Tf 12 TL 20 780 Td ${page.lines.map((line) => `(${line.replace(/[\\()]/g, '\\$&')}) Tj T*`).join(' ')} ET`
      : '';
    const content = page.deflated ?? Buffer.from(text, 'latin1');
    const filter = page.deflated ? ' /Filter /FlateDecode' : '';
    add(
      Buffer.from(`${number + 1} 0 obj << /Length ${content.length}${filter} >> stream\n`),
      content,
      Buffer.from('\nendstream endobj\n'),
    );
  });
  const xref = [
    `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(`${xref}trailer << /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`),
  );
  return Buffer.concat(parts);
}

/**
 * A zlib stream of `head`, `block` `times` over, then `tail`, without deflating all of it: each
 * part is deflated once and flushed to a byte boundary, so the compressed parts can be repeated
 * as they are; the checksum is computed from the parts' own checksums.
 */
function repeatedZlib(block: Buffer, times: number, head = Buffer.alloc(0), tail = Buffer.alloc(0)): Buffer {
  const part = (bytes: Buffer) => deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const body = part(block);
  const blockSum = adler32(block);
  let checksum = adler32(head);
  for (let i = 0; i < times; i++) checksum = combinedAdler32(checksum, blockSum, block.length);
  checksum = combinedAdler32(checksum, adler32(tail), tail.length);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(checksum);
  // 0x78 0xda: a zlib header (32 KB window, best compression); 0x03 0x00: an empty final block.
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    part(head),
    ...Array.from({ length: times }, () => body),
    part(tail),
    Buffer.from([0x03, 0x00]),
    trailer,
  ]);
}

const ADLER_BASE = 65_521;

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i += 4096) {
    for (let j = i; j < Math.min(bytes.length, i + 4096); j++) {
      a += bytes[j] ?? 0;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return b * 65_536 + a;
}

/** The checksum of two byte runs one after the other, from theirs (zlib's adler32_combine). */
function combinedAdler32(first: number, second: number, secondLength: number): number {
  const rem = secondLength % ADLER_BASE;
  const a1 = first % 65_536;
  const b1 = Math.floor(first / 65_536);
  const a = (a1 + (second % 65_536) + ADLER_BASE - 1) % ADLER_BASE;
  const b = (((rem * a1) % ADLER_BASE) + b1 + Math.floor(second / 65_536) + ADLER_BASE - rem) % ADLER_BASE;
  return b * 65_536 + a;
}
