// The offline word vectors for tests and the bench: the same compact table the server uses, kept in the
// repository's (gitignored) data folder and built there from the installed package when missing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWordVectors, type LoadedWordVectors } from '../../src/adapters/vectors/wordVectorLoader.js';

export const testWordVectorsFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'word-vectors.bin',
);

/** Building it (first run only) takes about 15 s of one core; give the caller's timeout room for that. */
export function testWordVectors(): Promise<LoadedWordVectors> {
  return loadWordVectors({ file: testWordVectorsFile });
}
