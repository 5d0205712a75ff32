// A dedicated PostgreSQL connection for LISTEN that reconnects (and re-listens) when it drops.
import pg from 'pg';

export class PostgresListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly onError?: (err: Error) => void,
  ) {}

  async listen(channel: string, handler: (payload: string) => void): Promise<void> {
    const first = !this.handlers.has(channel);
    const set = this.handlers.get(channel) ?? new Set();
    set.add(handler);
    this.handlers.set(channel, set);
    const client = await this.connected();
    if (first) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      for (const handler of this.handlers.get(msg.channel) ?? []) handler(msg.payload ?? '');
    });
    client.on('error', (err) => {
      this.onError?.(err);
      this.client = null;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.reconnect(), 1_000).unref();
    });
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    this.client = client;
    return client;
  }

  private async reconnect(): Promise<void> {
    if (this.closed || this.client) return;
    try {
      await this.connected();
      // Anything announced while we were away is still in the tables; tell listeners to look.
      for (const [channel, set] of this.handlers)
        for (const handler of set) handler(channel === 'alphadome_work' ? '' : '*');
    } catch (err) {
      this.onError?.(err as Error);
      if (!this.closed) setTimeout(() => void this.reconnect(), 2_000).unref();
    }
  }
}
