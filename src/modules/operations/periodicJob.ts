// A background job run every so often (sweeps, housekeeping): one run at a time, so a tick that
// comes while a run is still going is skipped; the timer never keeps the process alive; stop()
// waits for the run in flight, so shutdown does not close the database under it.
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly everyMs: number,
  ) {}

  /** Starts the ticks; with `runNow`, the first run starts at once rather than after one interval. */
  start(options: { runNow?: boolean } = {}): void {
    if (options.runNow) this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }
}
