// Claims due messages and processes them side by side, up to a concurrency limit. Woken by
// ingest (same process) or NOTIFY (other processes), and by a timer for retries that come due.
import { errorText } from '../../domain/errorText.js';
import type { ReplyJob, ReplyQueue } from './ports.js';
import type { ReplyProcessor } from './replyProcessor.js';

const BUSY_CLAIM_DELAY_MS = 5;

export interface ReplyWorkerOptions {
  queue: ReplyQueue;
  processor: ReplyProcessor;
  concurrency: number;
  leaseMs: number;
  /** WORKER_MAX_ATTEMPTS: claims a message gets before it is failed. */
  maxAttempts: number;
  pollIntervalMs?: number;
  logger: { debug(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class ReplyWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private pumping = false;
  private wakeAgain = false;
  private stopping = false;
  /** A message whose last attempt never finished runs alone: nothing is claimed until it is done. */
  private strandedInFlight = false;
  private timer: NodeJS.Timeout | null = null;
  private pumpTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ReplyWorkerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1_000);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    // When most slots are busy, let a few more finish first and claim for all of them at once:
    // one claim query per finished message would cost more than the messages themselves.
    if (this.inFlight.size > this.options.concurrency / 2) {
      if (this.pumpTimer) return;
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = null;
        if (this.stopping) return;
        if (this.pumping) this.wakeAgain = true;
        else void this.pump();
      }, BUSY_CLAIM_DELAY_MS);
      return;
    }
    void this.pump();
  }

  /** Stops claiming, lets running messages finish for up to `graceMs`, and releases the rest. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), deadline]);
    const unfinished = [...this.inFlight.keys()];
    if (unfinished.length > 0) await this.options.queue.release(unfinished);
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopping && !this.strandedInFlight) {
          const room = this.options.concurrency - this.inFlight.size;
          if (room <= 0) break;
          const { leaseMs, maxAttempts } = this.options;
          const jobs = await this.options.queue.claim(room, { leaseMs, maxAttempts, busy: this.inFlight.size > 0 });
          for (const job of jobs) this.run(job);
          if (jobs.length < room) break;
        }
      } while (this.wakeAgain && !this.stopping);
    } catch (err) {
      this.options.logger.error({ error: errorText(err) }, 'claiming work failed; will retry on the next tick');
    } finally {
      this.pumping = false;
    }
  }

  private run(job: ReplyJob): void {
    this.options.logger.debug(
      { tenantId: job.tenantId, messageId: job.whatsappMessageId, attempt: job.attempts, stranded: job.stranded },
      'message claimed',
    );
    if (job.stranded) this.strandedInFlight = true;
    const task = this.options.processor
      .process(job)
      .catch((err: unknown) => {
        // The lease expires and another attempt picks the message up again.
        this.options.logger.error(
          { tenantId: job.tenantId, messageId: job.whatsappMessageId, error: errorText(err) },
          'processing crashed',
        );
      })
      .finally(() => {
        this.inFlight.delete(job.id);
        if (job.stranded) this.strandedInFlight = false;
        this.wake();
      });
    this.inFlight.set(job.id, task);
  }
}
