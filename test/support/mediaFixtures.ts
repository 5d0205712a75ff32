// Real media made by the tests themselves (a PNG from raw pixels, a PDF with a text layer) and
// the webhook message objects that carry them.
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A valid RGB PNG of `size`×`size` pixels in one colour. */
export function pngImage(size = 4, rgb: [number, number, number] = [200, 30, 30]): Buffer {
  // Each scanline: filter byte 0, then the pixels.
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page-per-entry PDF whose text a PDF reader can extract. */
export async function pdfWithText(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages)
    doc.addPage([500, 300]).drawText(text, { x: 20, y: 250, size: 11, font, maxWidth: 460, lineHeight: 14 });
  return Buffer.from(await doc.save());
}

let counter = 0;

/** A media message as Meta delivers it: `{type, [type]: {id, mime_type, ...}}`. */
export function mediaMessage(
  from: string,
  type: 'image' | 'document' | 'audio' | 'video',
  media: Record<string, unknown>,
): Record<string, unknown> {
  counter += 1;
  return {
    from,
    id: `wamid.media-${process.pid}-${Date.now()}-${counter}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type,
    [type]: { sha256: 'c86c28d437534f7367e73b283155c083dddfdaf7f9b4dfae27e140f880035141', ...media },
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
