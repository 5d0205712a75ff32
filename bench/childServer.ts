// Parent side of a server under test: spawns it as a separate Node process (its own event loop,
// away from the load generator), waits for its URL, sends it commands, stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

type Message = { bench: string } & Record<string, unknown>;

export class ChildServer {
  private readonly waiters: { kind: string; resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    // The app's warnings and errors stay visible, tagged with the scenario.
    createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`[${label}] ${line}\n`));
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`${label} exited (code ${code}, signal ${signal})`));
    });
  }

  url = '';

  /** Starts `bench/<script>` under tsx with `env` added; resolves once it reports its URL. */
  static async start(
    script: string,
    env: Record<string, string>,
    label: string,
    timeoutMs = 90_000,
  ): Promise<ChildServer> {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server (open in Chrome DevTools).
    const profile = process.env['BENCH_CPU_PROF']
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`]
      : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', `bench/${script}`], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'production', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const server = new ChildServer(child, label);
    const ready = await server.next('ready', timeoutMs);
    server.url = String(ready['url']);
    return server;
  }

  /** Sends a command and waits for the answer of the same kind. */
  async request(cmd: string, timeoutMs = 30_000): Promise<Message> {
    const answer = this.next(cmd, timeoutMs);
    this.child.stdin!.write(`${JSON.stringify({ cmd })}\n`);
    return answer;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'stop' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private next(kind: string, timeoutMs: number): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      if (this.exited) return reject(new Error(`${this.label} is not running`));
      const timer = setTimeout(
        () => reject(new Error(`${this.label}: no "${kind}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        kind,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  private onLine(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      process.stderr.write(`[${this.label}] ${line}\n`);
      return;
    }
    const index = this.waiters.findIndex((w) => w.kind === message.bench || message.bench === 'error');
    const waiter = index >= 0 ? this.waiters.splice(index, 1)[0] : undefined;
    if (!waiter) return;
    if (message.bench === 'error') waiter.reject(new Error(`${this.label}: ${String(message['error'])}`));
    else waiter.resolve(message);
  }
}
