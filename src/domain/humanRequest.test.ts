import { describe, expect, it } from 'vitest';
import { asksForHuman } from './humanRequest.js';

describe('asksForHuman', () => {
  it.each([
    'I want to talk to a human',
    'HUMAN!!',
    'agent please',
    'Can I talk to someone?',
    'I need a real person',
    'customer care',
    'connect me to customer service',
    'Nataka kuongea na mtu',
    'naomba kuzungumza na mhudumu',
    'mtu halisi tafadhali',
    'wakala',
    'Nipe huduma kwa wateja',
  ])('hears a request for a person in %j', (text) => {
    expect(asksForHuman(text)).toBe(true);
  });

  it.each([
    'What are your business hours?',
    'Someone stole my parcel yesterday',
    'humanity is great',
    'Do you sell agents of chaos vinyl',
    'Bei ya gitaa ni ngapi?',
    '',
  ])('does not hear one in %j', (text) => {
    expect(asksForHuman(text)).toBe(false);
  });
});
