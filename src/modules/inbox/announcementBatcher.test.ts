import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnnouncementBatcher } from './announcementBatcher.js';

function recorder(options: { failFirst?: boolean } = {}) {
  const sent: string[][] = [];
  const warnings: object[] = [];
  let release: (() => void) | null = null;
  let calls = 0;
  const batcher = new AnnouncementBatcher({
    send: (tenantIds) => {
      sent.push(tenantIds);
      calls += 1;
      if (options.failFirst && calls === 1) return Promise.reject(new Error('connection lost'));
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    intervalMs: 25,
    logger: { warn: (obj) => warnings.push(obj) },
  });
  const finishSend = async () => {
    release?.();
    release = null;
    await vi.advanceTimersByTimeAsync(0);
  };
  return { batcher, sent, warnings, finishSend };
}

describe('AnnouncementBatcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once and gathers a burst behind it into one announcement', async () => {
    vi.useFakeTimers();
    const { batcher, sent, finishSend } = recorder();
    batcher.announce('t1');
    expect(sent).toEqual([['t1']]);
    for (let i = 0; i < 200; i += 1) batcher.announce(i % 2 === 0 ? 't1' : 't2');
    await finishSend();
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(25);
    expect(sent).toEqual([['t1'], ['t1', 't2']]);
    await finishSend();
    await vi.advanceTimersByTimeAsync(100);
    // Nothing new: nothing more is sent, and the next change goes out at once again.
    expect(sent).toHaveLength(2);
    batcher.announce('t3');
    expect(sent.at(-1)).toEqual(['t3']);
  });

  it('a failed announcement is logged and the next change is still announced', async () => {
    vi.useFakeTimers();
    const { batcher, sent, warnings } = recorder({ failFirst: true });
    batcher.announce('t1');
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings).toEqual([expect.objectContaining({ tenants: 1, error: 'connection lost' })]);
    batcher.announce('t2');
    await vi.advanceTimersByTimeAsync(25);
    expect(sent).toEqual([['t1'], ['t2']]);
  });
});
