import { describe, expect, it } from 'vitest';
import { amountProblem, darajaText, kenyanMobile, shillings } from './mpesaFields.js';
import { darajaPassword, darajaTimestamp, fromDarajaTimestamp } from './darajaPassword.js';
import { failureReasonOf, isPayCommand } from './mpesaResult.js';
import { orderTotalShillings } from './orderTotal.js';

describe('M-Pesa fields', () => {
  it.each([
    ['254712345678', '254712345678'],
    ['0712345678', '254712345678'],
    ['+254 712 345 678', '254712345678'],
    ['254-110-123456', '254110123456'],
    ['0110123456', '254110123456'],
    ['712345678', '254712345678'],
  ])('normalises %s to %s', (input, expected) => expect(kenyanMobile(input)).toBe(expected));

  it.each([
    '0202345678',
    '254202345678',
    '+12025550100',
    '25471234567',
    '2547123456789',
    '07123x5678',
    '',
    '255712345678',
  ])('refuses %s', (input) => expect(kenyanMobile(input)).toBeNull());

  it('checks amounts: whole shillings from 1 to the maximum', () => {
    expect(amountProblem(1, 100)).toBeNull();
    expect(amountProblem(100, 100)).toBeNull();
    expect(amountProblem(0, 100)).toBe('not_positive');
    expect(amountProblem(-3, 100)).toBe('not_positive');
    expect(amountProblem(1.5, 100)).toBe('not_whole');
    expect(amountProblem(Number.NaN, 100)).toBe('not_whole');
    expect(amountProblem(101, 100)).toBe('over_maximum');
  });

  it("cuts texts to Daraja's lengths and keeps only characters it takes", () => {
    expect(darajaText('ORDER-42-EXTRA-LONG', 12, 'x')).toBe('ORDER-42-EXT');
    expect(darajaText('Gitaa ya 🎸 café', 13, 'x')).toBe('Gitaa ya cafe');
    expect(darajaText('🎸🎸', 13, 'Payment')).toBe('Payment');
    expect(shillings(4500)).toBe('KES 4,500');
  });

  it('builds the timestamp in Nairobi time and the password from shortcode + passkey + timestamp', () => {
    expect(darajaTimestamp(new Date('2026-12-31T22:05:09Z'))).toBe('20270101010509');
    expect(darajaPassword('174379', 'passkey', '20270101010509')).toBe(
      Buffer.from('174379passkey20270101010509').toString('base64'),
    );
    expect(fromDarajaTimestamp(20191219102115)?.toISOString()).toBe('2019-12-19T07:21:15.000Z');
    expect(fromDarajaTimestamp('2019')).toBeNull();
  });

  it('maps result codes to reasons', () => {
    expect([1032, 1037, 2001, 1, 1001, 17].map(failureReasonOf)).toEqual([
      'cancelled',
      'timeout',
      'wrong_pin',
      'insufficient_funds',
      'busy',
      'other',
    ]);
  });

  it('recognises PAY and lipa alone only', () => {
    for (const yes of ['PAY', 'pay', ' Lipa ', 'PAY!', 'pay.']) expect(isPayCommand(yes), yes).toBe(true);
    for (const no of ['pay now please', 'how do I pay', 'lipa na mpesa', 'paypal', ''])
      expect(isPayCommand(no), no).toBe(false);
  });

  it('totals an order in shillings only when every item has a price in KES', () => {
    const item = (price: number | null, quantity = 1, currency: string | null = 'KES') => ({
      product: 'X',
      quantity,
      price,
      currency,
    });
    expect(orderTotalShillings({ items: [item(4000), item(250, 2)], note: null })).toBe(4500);
    expect(orderTotalShillings({ items: [item(100, 1, null)], note: null })).toBe(100);
    expect(orderTotalShillings({ items: [item(100), item(null)], note: null })).toBeNull();
    expect(orderTotalShillings({ items: [item(30, 3, 'ILS')], note: null })).toBeNull();
    expect(orderTotalShillings({ items: [item(10.5)], note: null })).toBeNull();
    expect(orderTotalShillings({ items: [], note: 'hi' })).toBeNull();
  });
});
