// Rate counters are one row per tenant per hour and per customer per day: without pruning the
// table grows for ever. Windows older than the longest limit (a day) are deleted at start and
// then every hour; several processes doing it at once is harmless.
import { errorText } from '../../domain/errorText.js';
import type { RateCounterPruner } from './controlPorts.js';
import { PeriodicJob } from '../operations/periodicJob.js';

/** Longer than the longest window (a UTC day) plus slack for clocks. */
export const KEEP_WINDOWS_MS = 2 * 24 * 60 * 60_000;
const EVERY_MS = 60 * 60_000;

export interface CounterHousekeepingOptions {
  pruner: RateCounterPruner;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  now?: () => number;
}

export class CounterHousekeeping {
  private readonly job: PeriodicJob;

  constructor(private readonly options: CounterHousekeepingOptions) {
    this.job = new PeriodicJob(() => this.prune(), EVERY_MS);
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async prune(): Promise<void> {
    const cutoff = new Date((this.options.now ?? Date.now)() - KEEP_WINDOWS_MS);
    try {
      const deleted = await this.options.pruner.pruneWindowsBefore(cutoff);
      if (deleted > 0)
        this.options.logger.info({ deleted, before: cutoff.toISOString() }, 'old rate-limit windows deleted');
    } catch (err) {
      this.options.logger.warn(
        { error: errorText(err) },
        'rate-limit windows could not be pruned; trying again in an hour',
      );
    }
  }
}
