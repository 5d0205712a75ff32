// The vendored WhatsApp compatibility corpus (test/fixtures/whatsapp-corpus): its files and the
// kind MANIFEST.tsv gives each of them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS_DIR = path.resolve(process.cwd(), 'test/fixtures/whatsapp-corpus');

/** JSON files of one corpus folder, sorted. */
export function corpusFiles(folder: 'whatsapp-webhooks' | 'graph-api'): string[] {
  return readdirSync(path.join(CORPUS_DIR, folder))
    .filter((file) => file.endsWith('.json'))
    .sort();
}

/** Manifest kind by path as the manifest writes it (`whatsapp-webhooks/<file>`, `graph-api/<file>`). */
export function corpusKinds(): Map<string, string> {
  return new Map(
    readFileSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [file = '', kind = ''] = line.split('\t');
        return [file, kind] as const;
      }),
  );
}
