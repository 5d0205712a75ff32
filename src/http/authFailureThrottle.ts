// Failed authentications per client address, in fixed windows: after `burst` failures the address
// is refused (429) until its window ends, whatever it sends, so a guesser gets `burst` tries per
// window. Kept in this process's memory: each server process counts its own failures.

export interface AuthFailureThrottleOptions {
  /** Failures one address may make per window; 0 turns refusing off (failures are still counted). */
  burst: number;
  windowMs: number;
  /** Addresses remembered at most; the least recently seen is forgotten first. */
  maxAddresses?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

const DEFAULT_MAX_ADDRESSES = 10_000;

export class AuthFailureThrottle {
  // A Map keeps insertion order: re-inserting on every failure makes its first key the least recent.
  private readonly windows = new Map<string, Window>();
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthFailureThrottleOptions) {
    this.maxAddresses = Math.max(1, options.maxAddresses ?? DEFAULT_MAX_ADDRESSES);
    this.now = options.now ?? Date.now;
  }

  /** Seconds until `address` may try again, or null when it is not refused. */
  retryAfterSeconds(address: string): number | null {
    if (this.options.burst === 0) return null;
    const key = addressKey(address);
    const window = this.current(key);
    if (!window || window.failures < this.options.burst) return null;
    return Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - this.now()) / 1000));
  }

  /** Counts one failure; true when this failure used up the address's burst. */
  recordFailure(address: string): boolean {
    const key = addressKey(address);
    const window = this.current(key) ?? { startedAt: this.now(), failures: 0 };
    window.failures += 1;
    this.windows.delete(key);
    this.windows.set(key, window);
    while (this.windows.size > this.maxAddresses) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
    return this.options.burst > 0 && window.failures === this.options.burst;
  }

  /** Addresses remembered now (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }

  private current(key: string): Window | null {
    const window = this.windows.get(key);
    if (!window) return null;
    if (this.now() - window.startedAt < this.options.windowMs) return window;
    this.windows.delete(key);
    return null;
  }
}

/**
 * IPv4 addresses count one by one; an IPv6 client usually holds a whole /64, so its addresses
 * count together (otherwise each of its 2^64 addresses would get a burst of its own).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = (address.toLowerCase().split('%')[0] ?? '').split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
