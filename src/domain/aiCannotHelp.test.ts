import { describe, expect, it } from 'vitest';
import { aiCannotHelp } from './aiCannotHelp.js';

describe('aiCannotHelp', () => {
  it.each([
    "I'm sorry, I can't help with that.",
    'I cannot assist with this request.',
    'I’m not able to check your order status.',
    'I am unable to process refunds.',
    "I don't have that information right now.",
    'For that, please contact our store directly.',
  ])('recognises a refusal in %j', (text) => {
    expect(aiCannotHelp(text)).toBe(true);
  });

  it.each([
    'We are open Monday to Friday, 9AM-6PM.',
    'I can help with that! The Yamaha C40 costs KES 15,000.',
    'You can contact us on weekdays too, and we will help.',
    'The guitar is not able to stay in tune without new strings.',
  ])('leaves a helpful answer alone: %j', (text) => {
    expect(aiCannotHelp(text)).toBe(false);
  });
});
