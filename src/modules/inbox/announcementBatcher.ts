// Tells other processes which tenants' inboxes changed, in batches: every webhook delivery names
// its tenants, and one NOTIFY each was a database round trip per customer message. A change is a
// hint for a feed to look again, so tenants named while a batch is on its way, or within the
// interval after it, go out together in the next one. Every tenant named is announced after its
// last change, at most `intervalMs` plus one round trip late.
import { errorText } from '../../domain/errorText.js';

export interface AnnouncementBatcherOptions {
  /** Sends one announcement naming these tenants (each at most once). */
  send: (tenantIds: string[]) => Promise<void>;
  intervalMs: number;
  logger: { warn(obj: object, msg: string): void };
}

export class AnnouncementBatcher {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly options: AnnouncementBatcherOptions) {}

  announce(tenantId: string): void {
    this.pending.add(tenantId);
    if (this.timer || this.inFlight) return;
    this.flush();
  }

  private flush(): void {
    const tenantIds = [...this.pending];
    this.pending = new Set();
    this.inFlight = this.options
      .send(tenantIds)
      .catch((err: unknown) =>
        this.options.logger.warn(
          { tenants: tenantIds.length, error: errorText(err) },
          'inbox: announcing a change failed',
        ),
      )
      .finally(() => {
        this.inFlight = null;
        // The next batch waits out the interval, gathering whatever comes meanwhile.
        this.timer = setTimeout(() => {
          this.timer = null;
          if (this.pending.size > 0) this.flush();
        }, this.options.intervalMs);
        this.timer.unref();
      });
  }
}
