// What a message-log row says in words: who answered it and why it was not.
import type { MessageLogView } from './apiTypes.js';

const SOURCES: Record<string, string> = {
  faq: 'FAQ',
  ai: 'AI',
  fallback: 'Apology (no answer)',
  notice: 'Notice',
  handoff: 'Handoff to a person',
  rating: 'Thanks for a rating',
};

export function answeredBy(row: MessageLogView): string {
  const source = typeof row.metadata['reply_source'] === 'string' ? row.metadata['reply_source'] : null;
  if (!source) return '';
  const name = SOURCES[source] ?? source;
  return source === 'ai' && row.ai_model_used ? `${name} (${row.ai_model_used})` : name;
}

export function statusText(row: MessageLogView): string {
  const reason = row.metadata['skip_reason'];
  return typeof reason === 'string' && row.status === 'skipped' ? `skipped: ${reason.replace(/_/g, ' ')}` : row.status;
}

/** The text a row holds, or what kind of message it was when there is none (media, location...). */
export function messageText(row: MessageLogView): string {
  return row.message_text ?? `[${row.message_type ?? 'message'}]`;
}
