// Bounds on what one webhook body may ask of the server, checked before the work they bound.
// Meta sends a handful of entries, changes and messages per delivery; these limits only stop
// bodies built to exhaust the stack or the database, never a real delivery.

/** Deepest nesting of arrays and objects a body may have. A real delivery nests about ten deep. */
export const WEBHOOK_MAX_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * True when the raw JSON nests arrays/objects deeper than `maxDepth`. One pass over the bytes,
 * constant memory, no recursion: brackets inside strings are skipped, so it needs no parse and
 * cannot overflow the stack (JSON.parse, and every recursive walk after it, can).
 */
export function nestsDeeperThan(raw: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Entries, changes, messages and statuses in a parsed body (what becomes rows and queries).
 * Reads only the envelope's arrays, so it costs one step per item whatever else the body holds.
 */
export function countWebhookItems(body: unknown): number {
  const entries = arrayAt(body, 'entry');
  let items = entries.length;
  for (const entry of entries) {
    const changes = arrayAt(entry, 'changes');
    items += changes.length;
    for (const change of changes) {
      const value = isRecord(change) ? change['value'] : undefined;
      items += arrayAt(value, 'messages').length + arrayAt(value, 'statuses').length;
    }
  }
  return items;
}

function arrayAt(holder: unknown, key: string): unknown[] {
  const value = isRecord(holder) ? holder[key] : undefined;
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
