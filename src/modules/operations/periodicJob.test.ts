import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeriodicJob } from './periodicJob.js';

describe('PeriodicJob.nudge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs soon between the ticks, one run for a burst of nudges', async () => {
    vi.useFakeTimers();
    const run = vi.fn(async () => {});
    const job = new PeriodicJob(run, 60_000);
    job.nudge(100);
    await vi.advanceTimersByTimeAsync(200);
    expect(run).not.toHaveBeenCalled();
    job.start();
    for (let i = 0; i < 5; i++) job.nudge(100);
    await vi.advanceTimersByTimeAsync(150);
    expect(run).toHaveBeenCalledTimes(1);
    await job.stop();
  });

  it('runs once more after a run that a nudge came during, and not after stop', async () => {
    vi.useFakeTimers();
    let finish: () => void = () => {};
    const run = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const job = new PeriodicJob(run, 60_000);
    job.start({ runNow: true });
    job.nudge(0);
    job.nudge(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
    job.nudge(0);
    await vi.advanceTimersByTimeAsync(10);
    const stopped = job.stop();
    finish();
    await stopped;
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
