// A background job run every so often (sweeps, housekeeping): one run at a time, so a tick that
// comes while a run is still going is skipped; the timer never keeps the process alive; stop()
// waits for the run in flight, so shutdown does not close the database under it.
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private nudgeTimer: NodeJS.Timeout | null = null;
  /** A nudge came while a run was going: what it asks for may have been missed, so one more run follows. */
  private again = false;

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

  /**
   * Asks for a run soon (after `delayMs`, so a burst of changes makes one run) between the ticks.
   * Nudges while one is pending coalesce; one during a run makes one more run after it. Ignored when not started.
   */
  nudge(delayMs = 0): void {
    if (this.timer === null || this.nudgeTimer !== null) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = null;
      if (this.running) this.again = true;
      else this.tick();
    }, delayMs);
    this.nudgeTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.timer = null;
    this.nudgeTimer = null;
    this.again = false;
    await this.running;
  }

  private tick(): void {
    this.running ??= this.run().finally(() => {
      this.running = null;
      if (this.again && this.timer !== null) {
        this.again = false;
        this.tick();
      }
    });
  }
}
