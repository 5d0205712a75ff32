import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from './router.js';

describe('dashboard routes', () => {
  it("reads the section and a conversation's customer from the address", () => {
    expect(parseRoute('/dashboard')).toEqual({ page: 'overview', phone: null });
    expect(parseRoute('/dashboard/')).toEqual({ page: 'overview', phone: null });
    expect(parseRoute('/dashboard/faq')).toEqual({ page: 'faq', phone: null });
    expect(parseRoute('/dashboard/templates')).toEqual({ page: 'templates', phone: null });
    expect(parseRoute('/dashboard/conversations/254711000101')).toEqual({
      page: 'conversations',
      phone: '254711000101',
    });
    expect(parseRoute('/dashboard/settings/')).toEqual({ page: 'settings', phone: null });
    expect(parseRoute('/dashboard/inbox/254711000101')).toEqual({ page: 'inbox', phone: '254711000101' });
    expect(parseRoute('/dashboard/team')).toEqual({ page: 'team', phone: null });
  });

  it('falls back to the overview for anything it does not know, and takes only digits as a customer', () => {
    expect(parseRoute('/dashboard/nope')).toEqual({ page: 'overview', phone: null });
    expect(parseRoute('/elsewhere/faq')).toEqual({ page: 'overview', phone: null });
    expect(parseRoute('/dashboard/conversations/<script>')).toEqual({ page: 'conversations', phone: null });
    expect(parseRoute('/dashboard/faq/254711000101')).toEqual({ page: 'faq', phone: null });
  });

  it('writes the addresses it reads', () => {
    expect(hrefOf('overview')).toBe('/dashboard/');
    expect(hrefOf('questions')).toBe('/dashboard/questions');
    expect(hrefOf('conversations', '254711000101')).toBe('/dashboard/conversations/254711000101');
    for (const href of [hrefOf('escalations'), hrefOf('conversations', '254700000001')]) {
      expect(hrefOf(parseRoute(href).page, parseRoute(href).phone)).toBe(href);
    }
  });
});
