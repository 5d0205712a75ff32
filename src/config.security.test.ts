import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('TRUST_PROXY and the auth-failure throttle settings', () => {
  it('trusts no proxy by default; true, false or a list of proxy addresses, ranges and names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' loopback, 10.0.0.0/8 ,2001:db8::/32,192.0.2.4' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '2001:db8::/32',
      '192.0.2.4',
    ]);
  });

  it('names what it cannot read', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(
      /TRUST_PROXY: must be true, false or comma-separated proxy addresses or CIDR ranges; not understood: yes/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33,proxy.local' })).toThrow(
      /not understood: 10.0.0.0\/33, proxy.local/,
    );
    expect(() => loadConfig({ AUTH_FAILURE_BURST: '-1' })).toThrow(
      /AUTH_FAILURE_BURST: must be a non-negative integer/,
    );
  });

  it('allows 20 failed authentications a minute per address by default', () => {
    expect(loadConfig({}).authFailures).toEqual({ burst: 20, windowMs: 60_000 });
    expect(loadConfig({ AUTH_FAILURE_BURST: '0', AUTH_FAILURE_WINDOW_S: '300' }).authFailures).toEqual({
      burst: 0,
      windowMs: 300_000,
    });
  });
});
