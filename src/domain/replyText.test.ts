import { describe, expect, it } from 'vitest';
import { WHATSAPP_TEXT_LIMIT, fitToLength, splitForWhatsApp } from './replyText.js';

describe('fitToLength', () => {
  it('keeps short text and trims it', () => {
    expect(fitToLength('  hello there  ', 50)).toBe('hello there');
    expect(fitToLength('hello', null)).toBe('hello');
  });

  it('cuts between words and marks the cut', () => {
    const out = fitToLength('Open Monday to Friday from nine to six', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('Open Monday to…');
  });

  it('never cuts a link in half', () => {
    const out = fitToLength('See https://example.com/very/long/path for details', 30);
    expect(out).toBe('See…');
  });

  it('keeps a link that fits whole, with the words before it', () => {
    const text = 'Order here: https://shop.example.com/menu and we deliver within the hour';
    expect(fitToLength(text, 48)).toBe('Order here: https://shop.example.com/menu and…');
    expect(fitToLength(text, 40)).toBe('Order here:…');
  });

  it('drops a leading link that cannot fit at all, and keeps the words after it', () => {
    expect(fitToLength('https://example.com/a/very/long/path/indeed is our shop', 20)).toBe('is our shop');
    expect(fitToLength('(https://example.com/a/very/long/path/indeed) open daily from nine', 16)).toBe(
      'open daily from…',
    );
  });

  it('leaves out a link in the "text (url)" form whole', () => {
    const out = fitToLength('Read our menu (https://example.com/menu/today) before you come', 30);
    expect(out).toBe('Read our menu…');
    expect(out).not.toContain('http');
  });

  it('cuts only a first word that is longer than the limit on its own', () => {
    expect(fitToLength('Pneumonoultramicroscopicsilicovolcanoconiosis is a word', 10)).toBe('Pneumonou…');
  });

  it('never returns more than the limit', () => {
    const text =
      'Visit https://a.example/x then https://b.example/yy and https://c.example/zzz for **more** words here';
    for (let max = 1; max <= text.length; max++) expect(fitToLength(text, max).length).toBeLessThanOrEqual(max);
  });
});

describe('splitForWhatsApp', () => {
  it('leaves a message under the limit alone', () => {
    expect(splitForWhatsApp('short')).toEqual(['short']);
  });

  it('splits long text into parts within the limit without losing words', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`);
    const parts = splitForWhatsApp(words.join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WHATSAPP_TEXT_LIMIT);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });

  it('prefers paragraph breaks', () => {
    const para = 'x'.repeat(3000);
    const parts = splitForWhatsApp(`${para}\n\n${para}`);
    expect(parts).toEqual([para, para]);
  });

  it('hard-cuts a single token longer than the limit', () => {
    const parts = splitForWhatsApp('y'.repeat(5000));
    expect(parts.map((p) => p.length)).toEqual([4096, 904]);
  });
});
