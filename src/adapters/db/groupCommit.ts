// Group commit: writes that arrive while one is in flight go together in the next statement, so
// under load one commit serves many callers (webhooks stored, messages finished), and an idle
// server still writes each one at once. A caller's promise resolves only once its rows are
// committed (for ingest, a 200 still means "durable").

interface Waiting<T> {
  records: T[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_ROWS_PER_WRITE = 500;

export class GroupCommit<T> {
  private readonly waiting: Waiting<T>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (records: T[]) => Promise<void>,
    private readonly maxParallelWrites: number,
  ) {}

  enqueue(records: T[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxParallelWrites && this.waiting.length > 0) {
      const batch: Waiting<T>[] = [];
      let rows = 0;
      while (
        this.waiting.length > 0 &&
        (batch.length === 0 || rows + (this.waiting[0]?.records.length ?? 0) <= MAX_ROWS_PER_WRITE)
      ) {
        const next = this.waiting.shift() as Waiting<T>;
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

  private async writeBatch(batch: Waiting<T>[]): Promise<void> {
    try {
      await this.write(batch.flatMap((w) => w.records));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      // One bad write must not fail the others that happened to share its write.
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
