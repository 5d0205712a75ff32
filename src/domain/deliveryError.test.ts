import { describe, expect, it } from 'vitest';
import { deliveryErrorOf } from './deliveryError.js';

describe('deliveryErrorOf', () => {
  it('reads code and title from a status webhook error', () => {
    expect(
      deliveryErrorOf('131047: Re-engagement message: Message failed to send because more than 24 hours have passed'),
    ).toEqual({
      code: 131047,
      title: 'Re-engagement message',
    });
    expect(deliveryErrorOf('131026: Message undeliverable')).toEqual({ code: 131026, title: 'Message undeliverable' });
    expect(deliveryErrorOf('131000')).toEqual({ code: 131000, title: null });
  });

  it('keeps the title when Meta sent no code', () => {
    expect(deliveryErrorOf('Something went wrong: details')).toEqual({ code: null, title: 'Something went wrong' });
  });

  it('reads a failed send, with or without a subcode', () => {
    expect(
      deliveryErrorOf('Graph API 400 error: 131030: Recipient phone number not in allowed list: add it first'),
    ).toEqual({
      code: 131030,
      title: 'Recipient phone number not in allowed list',
    });
    expect(deliveryErrorOf('Graph API 400 error: 100: 2494010: Invalid parameter')).toEqual({
      code: 100,
      title: 'Invalid parameter',
    });
    expect(deliveryErrorOf('Graph API network error: fetch failed')).toEqual({ code: null, title: 'fetch failed' });
  });

  it('has nothing to say about an erased or empty error', () => {
    expect(deliveryErrorOf(null)).toEqual({ code: null, title: null });
    expect(deliveryErrorOf('  ')).toEqual({ code: null, title: null });
  });
});
