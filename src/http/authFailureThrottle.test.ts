import { describe, expect, it } from 'vitest';
import { addressKey, AuthFailureThrottle } from './authFailureThrottle.js';

function throttle(burst: number, maxAddresses?: number) {
  let now = 1_000_000;
  const subject = new AuthFailureThrottle({
    burst,
    windowMs: 60_000,
    now: () => now,
    ...(maxAddresses ? { maxAddresses } : {}),
  });
  return { subject, advance: (ms: number) => (now += ms) };
}

describe('AuthFailureThrottle', () => {
  it('refuses an address after its burst until the window that began with its first failure ends', () => {
    const { subject, advance } = throttle(3);
    expect([subject.recordFailure('10.0.0.1'), subject.recordFailure('10.0.0.1')]).toEqual([false, false]);
    expect(subject.retryAfterSeconds('10.0.0.1')).toBeNull();
    advance(15_000);
    expect(subject.recordFailure('10.0.0.1')).toBe(true);
    expect(subject.retryAfterSeconds('10.0.0.1')).toBe(45);
    expect(subject.retryAfterSeconds('10.0.0.2')).toBeNull();
    advance(44_500);
    expect(subject.retryAfterSeconds('10.0.0.1')).toBe(1);
    advance(500);
    expect(subject.retryAfterSeconds('10.0.0.1')).toBeNull();
    expect(subject.size).toBe(0);
  });

  it('with a burst of 0 counts but never refuses', () => {
    const { subject } = throttle(0);
    for (let i = 0; i < 100; i += 1) expect(subject.recordFailure('10.0.0.1')).toBe(false);
    expect(subject.retryAfterSeconds('10.0.0.1')).toBeNull();
  });

  it('remembers at most maxAddresses, forgetting the least recently failed first', () => {
    const { subject } = throttle(2, 100);
    subject.recordFailure('192.0.2.1');
    for (let i = 0; i < 10_000; i += 1) subject.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(subject.size).toBe(100);
    subject.recordFailure('192.0.2.1');
    // Forgotten, so this is its first failure of a new window.
    expect(subject.retryAfterSeconds('192.0.2.1')).toBeNull();
    subject.recordFailure('192.0.2.1');
    expect(subject.retryAfterSeconds('192.0.2.1')).toBe(60);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
