import { describe, expect, it } from 'vitest';
import { formatVariantsCell, parseVariantsCell } from './variantsCell.js';

describe('variants cell', () => {
  it('splits on |, trims, and drops empty wordings', () => {
    expect(parseVariantsCell(' When do you open? || What time do you close?|')).toEqual([
      'When do you open?',
      'What time do you close?',
    ]);
  });

  it('keeps a | inside a quoted wording, and a doubled quote as one quote', () => {
    expect(parseVariantsCell('Hours?| "Open 24|7?" |"Say ""hi"""')).toEqual(['Hours?', 'Open 24|7?', 'Say "hi"']);
  });

  it('keeps a quote that does not enclose a whole wording as written', () => {
    expect(parseVariantsCell('The "best" guitar?|"unclosed|rest')).toEqual(['The "best" guitar?', '"unclosed', 'rest']);
  });

  it('writes what it reads back unchanged', () => {
    const variants = ['Plain?', 'Open 24|7?', '"Quoted" start', 'ends with "quote"'];
    expect(formatVariantsCell(variants)).toBe('Plain?|"Open 24|7?"|"""Quoted"" start"|"ends with ""quote"""');
    expect(parseVariantsCell(formatVariantsCell(variants))).toEqual(variants);
  });
});
