// The `variants` cell of a training CSV: the alternative questions separated by `|`. A question
// that itself holds a `|` (or starts with a double quote) is written in double quotes, with a
// quote inside doubled, as in CSV itself: `When do you open?|"Open 24|7?"` holds two questions.
// Reading is lenient: a quote that does not close a whole question is kept as written.

export function formatVariantsCell(variants: readonly string[]): string {
  return variants.map((variant) => (/[|"]/.test(variant) ? `"${variant.replaceAll('"', '""')}"` : variant)).join('|');
}

export function parseVariantsCell(cell: string): string[] {
  const variants: string[] = [];
  let position = 0;
  while (position <= cell.length) {
    const quoted = quotedAt(cell, position);
    if (quoted) {
      variants.push(quoted.text);
      position = quoted.end + 1;
      continue;
    }
    const bar = cell.indexOf('|', position);
    const end = bar === -1 ? cell.length : bar;
    variants.push(cell.slice(position, end));
    position = end + 1;
  }
  return variants.map((variant) => variant.trim()).filter((variant) => variant !== '');
}

/** A quoted question starting at `start` (after optional spaces) and ending at a `|` or the cell's end. */
function quotedAt(cell: string, start: number): { text: string; end: number } | null {
  let open = start;
  while (cell[open] === ' ') open += 1;
  if (cell[open] !== '"') return null;
  let text = '';
  for (let i = open + 1; i < cell.length; i += 1) {
    if (cell[i] !== '"') {
      text += cell[i];
      continue;
    }
    if (cell[i + 1] === '"') {
      text += '"';
      i += 1;
      continue;
    }
    let after = i + 1;
    while (cell[after] === ' ') after += 1;
    if (after === cell.length || cell[after] === '|') return { text, end: after };
    return null;
  }
  return null;
}
