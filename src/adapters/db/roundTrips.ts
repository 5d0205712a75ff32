// Counts database round trips: every statement (or script) submitted to the server and waited
// for, whichever driver carries it. The worker's cost is mostly these waits, so the count per
// answered message is the figure to watch (alphadome_db_round_trips_total, and the bench).
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

/** Which connections: the worker's and the admin API's (main), or the webhook writes' (ingest). */
export type RoundTripPool = 'main' | 'ingest';

export class RoundTripCounter {
  private readonly counts: Record<RoundTripPool, number> = { main: 0, ingest: 0 };

  add(pool: RoundTripPool, n = 1): void {
    this.counts[pool] += n;
  }

  read(): Readonly<Record<RoundTripPool, number>> {
    return { ...this.counts };
  }

  /** Counts every query of every client the pool opens (pool.query goes through one of them). */
  watchPool(pool: pg.Pool, name: RoundTripPool): void {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        this.add(name);
        return query(...args);
      };
    });
  }

  /** PGlite runs in this process, but each statement is still a trip through its protocol and executor. */
  watchPglite(client: PGlite): void {
    const count = <T extends (...args: never[]) => unknown>(fn: T): T =>
      ((...args: Parameters<T>) => {
        this.add('main');
        return fn(...args);
      }) as T;
    const watchTx = (tx: Transaction): Transaction =>
      Object.assign(tx, { query: count(tx.query.bind(tx)), exec: count(tx.exec.bind(tx)) });
    client.query = count(client.query.bind(client));
    client.exec = count(client.exec.bind(client));
    const transaction = client.transaction.bind(client);
    client.transaction = <T>(callback: (tx: Transaction) => Promise<T>) => {
      // BEGIN and COMMIT (or ROLLBACK).
      this.add('main', 2);
      return transaction((tx) => callback(watchTx(tx)));
    };
  }
}
