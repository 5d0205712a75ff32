import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/adapters/db/database.js';
import { sql } from 'drizzle-orm';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { lit, textMessage } from '../support/seed.js';
import { TEST_APP_SECRET, eventually } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';
import { freePort, postMessages, serverEnv, startServerProcess, type ServerProcess } from '../support/serverProcess.js';

const CUSTOMERS = 100;

describe.each(testEngines())('SIGKILL with a hundred messages in flight, Meta sending statuses (%s)', (engine) => {
  let server: ServerProcess | null = null;
  let database: TestDatabase | null = null;
  const graph = new FakeGraphApi();
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await graph.stop();
    await database?.drop();
  });

  it('answers every acknowledged message, none twice', async () => {
    database = await createTestDatabase(engine);
    const seeded = await openDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? '' });
    await seeded.runScript(`
      INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token)
      VALUES ('Confirm Crash Shop', '254711555111', 'PNID-CONFIRM', 'EAAconfirm');
      INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer)
      SELECT id, 'What are your business hours?', ${lit('Nine to six.')} FROM alphadome.bot_tenants WHERE client_phone = '254711555111';`);
    await seeded.close();

    const port = await freePort();
    graph.delayMs = 300;
    // Statuses lag behind the send: those of the parts in flight at the kill reach the restarted server.
    graph.statusDelayMs = 1_000;
    graph.statusWebhooks = { url: `http://127.0.0.1:${port}/webhook`, secret: TEST_APP_SECRET };
    const env = serverEnv(database, await graph.start(), {
      WORKER_LEASE_MS: '2000',
      WORKER_CONCURRENCY: '8',
      SEND_CONFIRM_WAIT_S: '2',
    });
    server = await startServerProcess(env, port);

    const wamids: string[] = [];
    for (let batch = 0; batch < CUSTOMERS / 10; batch++) {
      const messages = Array.from({ length: 10 }, (_, i) =>
        textMessage(`2547006${String(batch * 10 + i).padStart(5, '0')}`, 'What are your business hours?'),
      );
      wamids.push(...messages.map((m) => String(m['id'])));
      expect(
        await postMessages(server.baseUrl, { phoneNumberId: 'PNID-CONFIRM', display: '254711555111' }, messages),
      ).toBe(200);
    }

    // Killed while every worker slot waits on Meta with an answer (read receipts, sent beside it,
    // not counted): Meta has those parts, their answers are lost.
    await eventually(() => graph.sentTexts().length >= 16 && graph.pendingSends === 8, 20_000);
    server.child.kill('SIGKILL');
    await server.exited;
    const inFlight = graph.sentTexts().length;
    expect(new Set(graph.sentTexts().map((s) => s.replyTo)).size).toBeLessThan(CUSTOMERS);

    server = await startServerProcess(env, port);
    const replied = () => graph.sentTexts().map((s) => s.replyTo);
    await eventually(() => wamids.every((id) => replied().includes(id)), 60_000).catch((err: unknown) => {
      const missing = wamids.filter((id) => !replied().includes(id));
      throw new Error(`${String(err)}; unanswered: ${missing.join(', ')}\n${server?.output() ?? ''}`);
    });
    // Past the wait and two sweeps: any wrong resend would have happened by now.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    server.child.kill('SIGTERM');
    await server.exited;
    server = null;

    const counts = new Map<string, number>();
    for (const id of replied()) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(wamids.filter((id) => counts.get(id) !== 1)).toEqual([]);

    const check = await openDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? '' });
    try {
      const rows = await queryRows<{ status: string; resent: boolean; n: number }>(
        check.db,
        sql`
        SELECT status, metadata ? 'resent_at' AS resent, count(*)::int AS n FROM alphadome.bot_message_logs
        WHERE direction = 'outbound' GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      // Every part settled: none left sending or unconfirmed.
      expect(rows.filter((r) => r.status === 'sending' || r.status === 'unconfirmed')).toEqual([]);
      expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(CUSTOMERS);
      expect(inFlight).toBeGreaterThan(0);
    } finally {
      await check.close();
    }
  }, 150_000);
});
