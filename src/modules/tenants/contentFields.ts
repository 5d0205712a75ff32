// Zod field builders shared by the template, training and settings schemas: text that PostgreSQL
// can store (no NUL characters), bounded JSON objects, phone numbers and e-mail addresses.
import { z } from 'zod';

const NUL = '\u0000';
const MAX_JSON_DEPTH = 8;

/** Text of `min`..`max` characters, trimmed; PostgreSQL refuses NUL characters, so they are refused here. */
function text(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes(NUL), 'must not contain NUL characters');
}

/** Optional-to-clear text: a string of up to `max` characters, or null. Blank means null. */
function clearableText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes(NUL), 'must not contain NUL characters')
    .transform((value) => (value === '' ? null : value))
    .nullable();
}

/** A JSON object of at most `maxBytes` serialized, `MAX_JSON_DEPTH` levels deep, with no NUL anywhere. */
function jsonObject(maxBytes: number) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = jsonProblem(value, 0);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return;
    }
    const size = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (size > maxBytes)
      ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes as JSON (got ${size})` });
  });
}

function jsonProblem(value: unknown, depth: number): string | null {
  if (depth > MAX_JSON_DEPTH) return `must not be nested more than ${MAX_JSON_DEPTH} levels deep`;
  if (typeof value === 'string') return value.includes(NUL) ? 'must not contain NUL characters' : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) return 'keys must not contain NUL characters';
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** A WhatsApp-reachable number: digits with an optional +, spaces, dashes or brackets; kept as digits. */
const phone = z
  .string()
  .trim()
  .max(32, 'must be at most 32 characters')
  .regex(/^\+?[0-9 ()-]+$/, 'must be a phone number in international format, e.g. +254700123456')
  .transform((value) => value.replace(/\D+/g, ''))
  .refine((digits) => digits.length >= 7 && digits.length <= 15, 'must have 7 to 15 digits (country code included)');

const email = z.string().trim().max(320, 'must be at most 320 characters').pipe(z.email('must be an e-mail address'));

export const contentFields = { text, clearableText, jsonObject, phone, email };
