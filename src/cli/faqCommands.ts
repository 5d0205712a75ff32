// `faq import|export`: a tenant's training rows (FAQs, and examples and rules too) from and to a
// CSV or JSON file, through the admin API's bulk import (checked row by row) and export.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ImportResult, ImportRowError } from '../modules/tenants/ports.js';
import { apiFailure } from './adminHttp.js';
import { argument, stringOption, type Command, type CommandContext, type CommandGroup } from './cliCommand.js';
import { CliError } from './cliError.js';
import { cliFormat } from './cliFormat.js';

const tenantArg = { name: 'tenantId', description: "The tenant's id (as printed by tenant create or tenant list)" };
const trainingPath = (ctx: CommandContext) =>
  `/api/v1/tenants/${encodeURIComponent(argument(ctx, 'tenantId'))}/training`;

/** The rejected rows as a table, in row order. */
function errorTable(errors: readonly ImportRowError[]): string {
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  return cliFormat.table(
    ['ROW', 'FIELD', 'PROBLEM'],
    sorted.map((e) => [String(e.row), e.field ?? '(whole row)', e.message]),
  );
}

const ROW_NUMBERING = 'Rows are counted from 1, the CSV header not counted: row 1 is the first line under the header.';

async function readImportFile(ctx: CommandContext, file: string): Promise<{ text: string; contentType: string }> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.json' && extension !== '.txt') {
    throw new CliError(`${file}: give a .csv or .json file.`, [`See: ${ctx.program} faq import --help`]);
  }
  let text: string;
  try {
    text = await readFile(path.resolve(ctx.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new CliError(`Cannot read ${file}: ${reason}.`);
  }
  if (text.trim() === '') throw new CliError(`${file} is empty.`);
  if (extension !== '.json') return { text, contentType: 'text/csv; charset=utf-8' };
  try {
    JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}.`, [
      'Expected {"rows": [{"question": "...", "answer": "..."}, ...]} or an array of such rows.',
    ]);
  }
  return { text, contentType: 'application/json' };
}

const importRows: Command = {
  group: 'faq',
  action: 'import',
  summary: 'Import FAQs (and other training rows) from a CSV or JSON file; every row is checked first',
  args: [
    tenantArg,
    { name: 'file', description: 'A .csv file with a header row, or a .json file ({"rows": [...]} or an array)' },
  ],
  options: {
    replace: { type: 'boolean', description: "Delete the tenant's existing rows first (default: add to them)" },
    partial: {
      type: 'boolean',
      description: 'Import the valid rows even when some are rejected (default: any bad row means nothing is written)',
    },
  },
  notes: [
    'CSV columns: question,answer (required), data_type (faq|example|rule, default faq), category,',
    'priority (1-10), confidence_score (0-1), is_active (true|false), variants (other wordings of the question,',
    'separated by |, at most 20). Quoted cells may hold commas and line breaks.',
    'Example file:',
    '  question,answer,priority',
    '  What are your opening hours?,"Mon-Fri 9AM-6PM, Sat 10AM-4PM",10',
    'Rejected rows are listed with their row number, field and problem; the exit code is 1 when nothing was written.',
  ],
  async run(ctx) {
    const file = argument(ctx, 'file');
    const { text, contentType } = await readImportFile(ctx, file);
    const partial = ctx.options['partial'] === true;
    const answer = await ctx.api().send('POST', `${trainingPath(ctx)}/import`, {
      text,
      contentType,
      query: { mode: ctx.options['replace'] === true ? 'replace' : 'append', partial },
    });
    const body = answer.body as (Partial<ImportResult> & { error?: string; details?: string }) | null;
    if (answer.status === 422 && Array.isArray(body?.errors)) {
      if (ctx.json) {
        ctx.out(cliFormat.json(body));
        return 1;
      }
      ctx.err(
        `${body.error ?? 'Import rejected'} (${file}): ${body.details ?? 'rows were rejected; nothing was imported'}.`,
      );
      ctx.err(`\n${errorTable(body.errors)}\n\n${ROW_NUMBERING}`);
      ctx.err(
        partial
          ? 'Fix these rows and import again.'
          : 'Fix these rows and import again, or add --partial to import the valid rows now.',
      );
      return 1;
    }
    if (answer.status < 200 || answer.status >= 300) {
      const failure = apiFailure(answer);
      if (answer.status !== 413) throw failure;
      throw new CliError(failure.message, ['Split the file: one import takes at most 5 MB and 20,000 rows.']);
    }
    const result = answer.body as ImportResult;
    if (ctx.json) return ctx.out(cliFormat.json(result));
    const replaced = result.replaced > 0 ? ` (replacing ${cliFormat.count(result.replaced, 'existing row')})` : '';
    ctx.out(
      `Imported ${cliFormat.count(result.imported, 'row')} from ${file} into tenant ${argument(ctx, 'tenantId')}${replaced}.`,
    );
    if (result.errors.length > 0) {
      const rejected = new Set(result.errors.map((e) => e.row)).size;
      ctx.out(
        `${cliFormat.count(rejected, 'row was', 'rows were')} rejected and not imported:\n\n${errorTable(result.errors)}\n\n${ROW_NUMBERING}`,
      );
    }
    ctx.out('The bot uses them from its next message.');
  },
};

const exportRows: Command = {
  group: 'faq',
  action: 'export',
  summary: 'Export every training row of a tenant, in the form faq import reads',
  args: [tenantArg],
  options: {
    format: { type: 'string', description: 'File format (default csv)', choices: ['csv', 'json'] },
    out: { type: 'string', value: '<file>', description: 'Write to this file (default: print to standard output)' },
  },
  async run(ctx) {
    const format = stringOption(ctx, 'format') ?? 'csv';
    const answer = await ctx.api().send('GET', `${trainingPath(ctx)}/export`, { query: { format } });
    if (answer.status !== 200) throw apiFailure(answer);
    let content = answer.text;
    let rows: number;
    if (format === 'json') {
      const rowList = (answer.body as { rows?: unknown[] } | null)?.rows ?? [];
      rows = rowList.length;
      content = `${cliFormat.json(answer.body)}\n`;
    } else {
      rows = Math.max(0, parse(content, { bom: true, skip_empty_lines: true }).length - 1);
    }
    const out = stringOption(ctx, 'out');
    if (!out) return ctx.write(content);
    try {
      await writeFile(path.resolve(ctx.cwd, out), content, 'utf8');
    } catch (err) {
      throw new CliError(`Cannot write ${out}: ${(err as Error).message}.`);
    }
    ctx.out(`Exported ${cliFormat.count(rows, 'row')} of tenant ${argument(ctx, 'tenantId')} to ${out}.`);
  },
};

export const faqCommandGroups: readonly CommandGroup[] = [
  {
    name: 'faq',
    summary: "Import and export a tenant's FAQs (and its example and rule rows).",
    commands: [importRows, exportRows],
  },
];
