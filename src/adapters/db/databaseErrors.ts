// Recognises PostgreSQL errors whichever driver raised them (drizzle wraps them in `cause`).

interface PgErrorLike {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

function pgError(err: unknown): PgErrorLike | null {
  let current: unknown = err;
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth += 1) {
    const candidate = current as PgErrorLike;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return null;
}

/** The violated unique constraint's name, or null when `err` is not a unique violation. */
export function uniqueViolation(err: unknown): string | null {
  const found = pgError(err);
  return found?.code === '23505' ? (found.constraint ?? 'unique') : null;
}

export function isForeignKeyViolation(err: unknown): boolean {
  return pgError(err)?.code === '23503';
}
