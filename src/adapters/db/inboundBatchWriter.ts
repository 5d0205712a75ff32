// Group commit for ingest: requests that arrive while a write is in flight are stored together
// in the next multi-row INSERT, so under load one commit serves many webhooks, and an idle
// server still writes each one at once. A request's promise resolves only once its rows are
// committed, so a 200 still means "durable".
import type { InboundRecord } from '../../modules/ingest/ports.js';

interface Waiting {
  records: InboundRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_ROWS_PER_WRITE = 500;

export class InboundBatchWriter {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (records: InboundRecord[]) => Promise<void>,
    private readonly maxParallelWrites: number,
  ) {}

  enqueue(records: InboundRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxParallelWrites && this.waiting.length > 0) {
      const batch: Waiting[] = [];
      let rows = 0;
      while (
        this.waiting.length > 0 &&
        (batch.length === 0 || rows + (this.waiting[0]?.records.length ?? 0) <= MAX_ROWS_PER_WRITE)
      ) {
        const next = this.waiting.shift() as Waiting;
        batch.push(next);
        rows += next.records.length;
      }
      this.inFlight += 1;
      void this.writeBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    try {
      await this.write(batch.flatMap((w) => w.records));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      // One bad request must not fail the others that happened to share its write.
      await Promise.all(
        batch.map((w) =>
          this.write(w.records).then(
            () => w.resolve(),
            (single: unknown) => w.reject(single),
          ),
        ),
      );
    }
  }
}
