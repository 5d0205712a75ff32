// Deterministic "embeddings" for the fake provider: each word that names a concept of the test's small
// map adds to that concept's dimension; any other word adds a little to one of a few hashed dimensions.
// So two wordings of one concept land close together (a paraphrase), and unrelated texts far apart,
// without any real model.
const OTHER_DIMENSIONS = 8;
const OTHER_WEIGHT = 0.25;

export function conceptEmbedder(concepts: Record<string, readonly string[]>): (text: string) => number[] {
  const names = Object.keys(concepts);
  const conceptOf = new Map<string, number>();
  names.forEach((name, index) => {
    for (const word of concepts[name] ?? []) conceptOf.set(word.toLowerCase(), index);
  });
  return (text) => {
    const vector = new Array<number>(names.length + OTHER_DIMENSIONS).fill(0);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const concept = conceptOf.get(word);
      if (concept !== undefined) vector[concept] = (vector[concept] ?? 0) + 1;
      else {
        const bucket = names.length + (hashOf(word) % OTHER_DIMENSIONS);
        vector[bucket] = (vector[bucket] ?? 0) + OTHER_WEIGHT;
      }
    }
    return vector;
  };
}

function hashOf(word: string): number {
  let hash = 0;
  for (const char of word) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash;
}
