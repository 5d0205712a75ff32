import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_ALLOWED_HOSTS, MediaHostAllowList, hostOf } from './mediaHostAllowList.js';

describe('MediaHostAllowList', () => {
  const defaults = MediaHostAllowList.parse(DEFAULT_MEDIA_ALLOWED_HOSTS);

  it("allows Meta's media URLs over https by default", () => {
    // The URL shape of the corpus's media lookup answers.
    expect(defaults.allows('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3')).toBe(true);
    expect(defaults.allows('https://scontent.xx.fbcdn.net/v/t61/abc.jpg?oh=1')).toBe(true);
    expect(defaults.allows('https://mmg.whatsapp.net/d/f/abc.enc')).toBe(true);
  });

  it('refuses plain http, other ports and look-alike hosts by default', () => {
    expect(defaults.allows('http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1')).toBe(false);
    expect(defaults.allows('https://lookaside.fbsbx.com:8443/x')).toBe(false);
    expect(defaults.allows('https://lookaside.fbsbx.com.evil.example/x')).toBe(false);
    expect(defaults.allows('https://evilfbcdn.net/x')).toBe(false);
    expect(defaults.allows('https://fbcdn.net/x')).toBe(false);
    expect(defaults.allows('https://lookaside.fbsbx.com@evil.example/x')).toBe(false);
    expect(defaults.allows('https://user:pass@lookaside.fbsbx.com/x')).toBe(false);
    expect(defaults.allows('not a url')).toBe(false);
    expect(defaults.allows('ftp://lookaside.fbsbx.com/x')).toBe(false);
  });

  it('allows http only for an entry that names the scheme, on its port', () => {
    const list = MediaHostAllowList.parse('http://127.0.0.1:4010, media.example');
    expect(list.allows('http://127.0.0.1:4010/media-download/a/1')).toBe(true);
    expect(list.allows('http://127.0.0.1:4011/media-download/a/1')).toBe(false);
    expect(list.allows('https://127.0.0.1:4010/media-download/a/1')).toBe(false);
    expect(list.allows('https://media.example/a')).toBe(true);
    expect(list.allows('http://media.example/a')).toBe(false);
  });

  it('reads both suffix spellings, case-insensitively, and a port on a bare entry', () => {
    const list = MediaHostAllowList.parse('.CDN.example,*.media.example,https://files.example:8443');
    expect(list.allows('https://a.cdn.example/x')).toBe(true);
    expect(list.allows('https://A.B.Media.Example/x')).toBe(true);
    expect(list.allows('https://files.example:8443/x')).toBe(true);
    expect(list.allows('https://files.example/x')).toBe(false);
    expect(MediaHostAllowList.parse('https://files.example:443').allows('https://files.example/x')).toBe(true);
  });

  it('refuses entries that are not a host, naming them', () => {
    expect(() => MediaHostAllowList.parse(' , ')).toThrow(/at least one host/);
    expect(() => MediaHostAllowList.parse('lookaside.fbsbx.com/path')).toThrow(/"lookaside.fbsbx.com\/path"/);
    expect(() => MediaHostAllowList.parse('ftp://files.example')).toThrow(/"ftp:\/\/files.example"/);
    expect(() => MediaHostAllowList.parse('*')).toThrow(/"\*"/);
    expect(() => MediaHostAllowList.parse('a.*.example')).toThrow(/"a\.\*\.example"/);
    expect(() => MediaHostAllowList.parse('user@files.example')).toThrow(/"user@files.example"/);
  });

  it('names only the scheme and host of a URL for logs', () => {
    expect(hostOf('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&hash=secret')).toBe(
      'https://lookaside.fbsbx.com',
    );
    expect(hostOf('::')).toBe('(not a URL)');
  });
});
