// What a training (FAQ, example, rule) row may contain, for single writes and for imports.
// Imports validate every row before anything is written and report each bad row by number.
import { z } from 'zod';
import { wordingKey } from '../../domain/faqEntries.js';
import { contentFields } from './contentFields.js';
import { TRAINING_DATA_TYPES, type ImportRowError, type NewTrainingRow, type TrainingFields } from './ports.js';

/** More rows than this in one import is refused as a whole (split the file). */
export const MAX_IMPORT_ROWS = 20_000;
/** Alternative questions one row may have, and the length of each: enough for real wordings, bounded for the index. */
export const MAX_VARIANTS = 20;
export const MAX_VARIANT_LENGTH = 300;

const variants = z
  .array(contentFields.text(1, MAX_VARIANT_LENGTH), { error: 'must be a list of questions' })
  .transform((list) =>
    list.filter((wording, index) => list.findIndex((other) => wordingKey(other) === wordingKey(wording)) === index),
  )
  .refine((list) => list.length <= MAX_VARIANTS, `must hold at most ${MAX_VARIANTS} questions`);

const fields = {
  data_type: z.enum(TRAINING_DATA_TYPES, { error: `must be one of ${TRAINING_DATA_TYPES.join(', ')}` }),
  question: contentFields.text(1, 4000),
  answer: contentFields.text(1, 4000),
  category: contentFields.clearableText(64),
  priority: z
    .number({ error: 'must be a whole number from 1 to 10' })
    .int('must be a whole number from 1 to 10')
    .min(1, 'must be at least 1')
    .max(10, 'must be at most 10'),
  // The column keeps two decimals; rounding here makes what is shown equal what is stored.
  confidence_score: z
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, 'must be at least 0')
    .max(1, 'must be at most 1')
    .transform((n) => Math.round(n * 100) / 100),
  is_active: z.boolean({ error: 'must be true or false' }),
  variants,
};

const create = z.strictObject({
  question: fields.question,
  answer: fields.answer,
  data_type: fields.data_type.optional(),
  category: fields.category.optional(),
  priority: fields.priority.optional(),
  confidence_score: fields.confidence_score.optional(),
  is_active: fields.is_active.optional(),
  variants: fields.variants.optional(),
}) satisfies z.ZodType<NewTrainingRow>;

const patch = z
  .strictObject({
    question: fields.question.optional(),
    answer: fields.answer.optional(),
    data_type: fields.data_type.optional(),
    category: fields.category.optional(),
    priority: fields.priority.optional(),
    confidence_score: fields.confidence_score.optional(),
    is_active: fields.is_active.optional(),
    variants: fields.variants.optional(),
  })
  .refine(
    (value) => Object.keys(value).length > 0,
    'give at least one field to change',
  ) satisfies z.ZodType<TrainingFields>;

/** Wordings to add to a row's variants ("This is FAQ X" in Questions to teach). */
const addVariants = z.strictObject({
  variants: variants.refine((list) => list.length > 0, 'give at least one question'),
});

/** The variants a row keeps when `added` join `current`: wordings it has (or its question) are not repeated. */
export function mergedVariants(
  question: string | null,
  current: readonly string[],
  added: readonly string[],
): string[] {
  const known = new Set([question ?? '', ...current].map(wordingKey));
  const merged = [...current];
  for (const wording of added) {
    if (known.has(wordingKey(wording))) continue;
    known.add(wordingKey(wording));
    merged.push(wording);
  }
  return merged;
}

export const trainingRowSchema = { create, patch, addVariants };

/** A row that could not even be read as an object (a CSV line with the wrong number of fields). */
export class UnreadableRow {
  constructor(readonly message: string) {}
}

export interface ValidatedRows {
  valid: NewTrainingRow[];
  errors: ImportRowError[];
}

/** Checks every row; a row with several problems gets one error per problem. */
export function validateTrainingRows(rows: readonly unknown[]): ValidatedRows {
  const valid: NewTrainingRow[] = [];
  const errors: ImportRowError[] = [];
  rows.forEach((candidate, index) => {
    const row = index + 1;
    if (candidate instanceof UnreadableRow) {
      errors.push({ row, field: null, message: candidate.message });
      return;
    }
    if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate)) {
      errors.push({ row, field: null, message: 'each row must be an object with question and answer' });
      return;
    }
    const result = create.safeParse(candidate);
    if (result.success) {
      valid.push(result.data);
      return;
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        errors.push({
          row,
          field: issue.keys.join(', '),
          message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`,
        });
        continue;
      }
      const field = issue.path.length ? String(issue.path[0]) : null;
      const missing =
        issue.code === 'invalid_type' && (candidate as Record<string, unknown>)[field ?? ''] === undefined;
      errors.push({ row, field, message: missing ? 'is required' : issue.message });
    }
  });
  return { valid, errors };
}
