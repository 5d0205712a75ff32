// Training rows as CSV (RFC 4180): the header names the columns, quoted fields may hold commas,
// quotes and line breaks. Parsing turns cells into typed values only where the text is
// unambiguous, so the row schema reports a wrong type instead of guessing.
//
// Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that starts with = + - @,
// tab or carriage return as a formula. Exported text cells that start with one of those, or with
// the single quote itself, get one more single quote in front; the import takes exactly one
// quote off a cell that starts with a quote followed by one of those characters (or a quote).
// So every exported text comes back unchanged, and a hand-written '=x (a spreadsheet's own way of
// writing the text =x) imports as =x; a hand-written 'abc keeps its quote.
//
// The variants column holds the alternative questions separated by `|` (see variantsCell.ts).
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { badRequest } from './adminErrors.js';
import type { TrainingRowView } from './ports.js';
import { UnreadableRow } from './trainingRowSchema.js';
import { formatVariantsCell, parseVariantsCell } from './variantsCell.js';

export const TRAINING_CSV_COLUMNS = [
  'question',
  'answer',
  'data_type',
  'category',
  'priority',
  'confidence_score',
  'is_active',
  'variants',
] as const;
type Column = (typeof TRAINING_CSV_COLUMNS)[number];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r']/;
const NEUTRALISED = /^'[=+\-@\t\r']/;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };

/** Rows of a CSV import, as objects for the row schema; rows whose field count is wrong stay as a message. */
export function parseTrainingCsv(text: string): unknown[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    });
  } catch (err) {
    if (err instanceof CsvError) throw badRequest(`The CSV could not be read: ${err.message}`);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw badRequest('The CSV is empty: expected a header row naming the columns, e.g. question,answer');
  const columns = header.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(TRAINING_CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length) {
    throw badRequest(
      `Unknown CSV column${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `"${n}"`).join(', ')}; allowed: ${TRAINING_CSV_COLUMNS.join(', ')}`,
    );
  }
  const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
  if (repeated.length) throw badRequest(`CSV column named twice: ${repeated.join(', ')}`);
  const absent = ['question', 'answer'].filter((name) => !columns.includes(name));
  if (absent.length)
    throw badRequest(`The CSV header must name the column${absent.length > 1 ? 's' : ''} ${absent.join(' and ')}`);

  return rows.map((cells) => {
    if (cells.length !== columns.length)
      return new UnreadableRow(`has ${cells.length} fields but the header has ${columns.length}`);
    const row: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      const value = cellValue(name as Column, cells[i] ?? '');
      if (value !== undefined) row[name] = value;
    });
    return row;
  });
}

function cellValue(column: Column, raw: string): unknown {
  const cell = NEUTRALISED.test(raw) ? raw.slice(1) : raw;
  const trimmed = cell.trim();
  // An empty cell means "not given": the column's default applies (or "is required").
  if (trimmed === '') return undefined;
  if (column === 'priority' || column === 'confidence_score') return NUMBER.test(trimmed) ? Number(trimmed) : cell;
  if (column === 'is_active') return BOOLEANS[trimmed.toLowerCase()] ?? cell;
  if (column === 'variants') return parseVariantsCell(cell);
  return cell;
}

/** The rows as CSV with a header, in the column order the import reads. */
export function trainingCsv(rows: readonly TrainingRowView[]): string {
  return stringify(
    rows.map((row) =>
      TRAINING_CSV_COLUMNS.map((column) => (column === 'variants' ? formatVariantsCell(row.variants) : row[column])),
    ),
    {
      header: true,
      columns: [...TRAINING_CSV_COLUMNS],
      record_delimiter: 'windows',
      quote_record_delimiter: true,
      cast: {
        boolean: (value) => (value ? 'true' : 'false'),
        number: (value) => String(value),
        string: (value) => (FORMULA_START.test(value) ? `'${value}` : value),
      },
    },
  );
}
