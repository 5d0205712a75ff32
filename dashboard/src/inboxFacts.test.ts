import { describe, expect, it } from 'vitest';
import { handledBy, ticks, windowLeft } from './inboxFacts.js';

describe('inbox facts', () => {
  it('shows ticks for our messages only', () => {
    expect(ticks({ direction: 'inbound', status: 'received' })).toBeNull();
    expect(ticks({ direction: 'outbound', status: 'sent' })?.text).toBe('✓');
    expect(ticks({ direction: 'outbound', status: 'delivered' })).toEqual({
      text: '✓✓',
      label: 'delivered',
      read: false,
    });
    expect(ticks({ direction: 'outbound', status: 'read' })?.read).toBe(true);
    expect(ticks({ direction: 'outbound', status: 'failed' })?.label).toBe('not delivered');
  });

  it('counts the window down and says nothing once it closed', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(windowLeft('2026-01-01T15:12:30Z', now)).toBe('5 h 12 min left');
    expect(windowLeft('2026-01-01T10:09:59Z', now)).toBe('9 min left');
    expect(windowLeft('2026-01-01T09:59:59Z', now)).toBeNull();
    expect(windowLeft(null, now)).toBeNull();
  });

  it('says who has the conversation', () => {
    expect(handledBy({ handled_by: 'person', waiting: true })).toBe('Waiting for a person');
    expect(handledBy({ handled_by: 'person', waiting: false })).toBe('With a person');
    expect(handledBy({ handled_by: 'bot', waiting: false })).toBe('Bot');
  });
});
