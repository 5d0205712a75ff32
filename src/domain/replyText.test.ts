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
