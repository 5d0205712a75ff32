import { describe, expect, it } from 'vitest';
import { toWhatsApp } from './whatsappFormatting.js';

describe('toWhatsApp', () => {
  it('turns Markdown bold, italics and strike-through into WhatsApp formatting', () => {
    expect(toWhatsApp('We are **open** today')).toBe('We are *open* today');
    expect(toWhatsApp('We are __open__ today')).toBe('We are *open* today');
    expect(toWhatsApp('A *small* detail and an _other_ one')).toBe('A _small_ detail and an _other_ one');
    expect(toWhatsApp('~~50%~~ 40% off')).toBe('~50%~ 40% off');
    expect(toWhatsApp('***Very*** important')).toBe('*_Very_* important');
    expect(toWhatsApp('**Price:** KES 1,000 and *only* today')).toBe('*Price:* KES 1,000 and _only_ today');
  });

  it('makes headings bold lines', () => {
    expect(toWhatsApp('## Opening hours\nMonday to Friday')).toBe('*Opening hours*\nMonday to Friday');
    expect(toWhatsApp('# **Menu** #')).toBe('*Menu*');
  });

  it('makes bullets round and keeps numbered lists', () => {
    const md = ['Our guitars:', '- Yamaha C40', '* Fender **CD-60**', '+ Cort AD810', '', '1. Choose', '2. Pay'].join(
      '\n',
    );
    expect(toWhatsApp(md)).toBe(
      ['Our guitars:', '• Yamaha C40', '• Fender *CD-60*', '• Cort AD810', '', '1. Choose', '2. Pay'].join('\n'),
    );
    expect(toWhatsApp('- item\n  - nested item')).toBe('• item\n  • nested item');
  });

  it('writes links as "text (url)" and leaves underscores and asterisks in URLs alone', () => {
    expect(toWhatsApp('See [our menu](https://shop.example/menu_of_the_day) now')).toBe(
      'See our menu (https://shop.example/menu_of_the_day) now',
    );
    expect(toWhatsApp('Go to https://x.example/a_b_c_d or <https://y.example/*x*>')).toBe(
      'Go to https://x.example/a_b_c_d or https://y.example/*x*',
    );
    expect(toWhatsApp('[https://z.example](https://z.example)')).toBe('https://z.example');
    expect(toWhatsApp('![the shop](https://img.example/shop.jpg)')).toBe('the shop (https://img.example/shop.jpg)');
  });

  it('keeps code as written: fences become WhatsApp monospace blocks, inline code stays', () => {
    const md = ['Run:', '```bash', 'echo **not bold** _x_', '# not a heading', '```', 'then `npm_start *now*`'].join(
      '\n',
    );
    expect(toWhatsApp(md)).toBe(
      ['Run:', '```', 'echo **not bold** _x_', '# not a heading', '```', 'then `npm_start *now*`'].join('\n'),
    );
  });

  it('closes a fence the model forgot to close', () => {
    expect(toWhatsApp('Code:\n```\nx = 1')).toBe('Code:\n```\nx = 1\n```');
  });

  it('drops horizontal rules and keeps quotes and plain text as they are', () => {
    expect(toWhatsApp('Above\n\n---\n\nBelow')).toBe('Above\n\nBelow');
    expect(toWhatsApp('> a quote')).toBe('> a quote');
    const plain = 'Hello! We open at 9, close at 6. 2 * 3 = 6 and snake_case_words stay.';
    expect(toWhatsApp(plain)).toBe(plain);
  });

  it('reads single asterisks as Markdown italics, since the models write Markdown', () => {
    expect(toWhatsApp('Already *bold* and _italic_ and ~gone~')).toBe('Already _bold_ and _italic_ and ~gone~');
  });
});
