// The inbox in words: delivery ticks, the 24-hour window's remaining time, who has a conversation.
import type { ConversationSummary, InboxMessage } from './apiTypes.js';

/** WhatsApp's ticks: one when sent, two when delivered, two blue (the class) when read. */
export function ticks(
  message: Pick<InboxMessage, 'direction' | 'status'>,
): { text: string; label: string; read: boolean } | null {
  if (message.direction !== 'outbound') return null;
  switch (message.status) {
    case 'read':
      return { text: '✓✓', label: 'read', read: true };
    case 'delivered':
      return { text: '✓✓', label: 'delivered', read: false };
    case 'sent':
      return { text: '✓', label: 'sent', read: false };
    case 'failed':
      return { text: '✗', label: 'not delivered', read: false };
    default:
      return { text: '…', label: message.status, read: false };
  }
}

/** "5 h 12 min left", or null once the window has closed (or never opened). */
export function windowLeft(windowEndsAt: string | null, now: number): string | null {
  if (!windowEndsAt) return null;
  const ms = Date.parse(windowEndsAt) - now;
  if (ms <= 0) return null;
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min left` : `${minutes} min left`;
}

export function handledBy(conversation: Pick<ConversationSummary, 'handled_by' | 'waiting'>): string {
  if (conversation.waiting) return 'Waiting for a person';
  return conversation.handled_by === 'person' ? 'With a person' : 'Bot';
}
