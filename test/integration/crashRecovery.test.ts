import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { lit, textMessage } from '../support/seed.js';
import { eventually } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';
import { postMessages, serverEnv, startServerProcess, type ServerProcess } from '../support/serverProcess.js';

describe.each(testEngines())('a crash with messages in flight (%s)', (engine) => {
  let server: ServerProcess | null = null;
  let database: TestDatabase | null = null;
  const graph = new FakeGraphApi();
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await graph.stop();
    await database?.drop();
  });

  it('answers every message exactly once after SIGKILL and a restart', async () => {
    database = await createTestDatabase(engine);
    const seeded = await openDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? '' });
    await seeded.runScript(`
      INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token)
      VALUES ('Crash Test Shop', '254711555000', 'PNID-CRASH', 'EAAcrash');
      INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer)
      SELECT id, 'What are your business hours?', ${lit('Nine to six.')} FROM alphadome.bot_tenants WHERE client_phone = '254711555000';`);
    await seeded.close();

    graph.delayMs = 300;
    const env = serverEnv(database, await graph.start(), { WORKER_LEASE_MS: '2000', WORKER_CONCURRENCY: '4' });
    server = await startServerProcess(env);

    const wamids: string[] = [];
    for (let c = 0; c < 10; c++) {
      const messages = [0, 1, 2, 3].map((i) =>
        textMessage(
          `2547005550${String(c).padStart(2, '0')}`,
          i % 2 ? 'what are your hours?' : 'What are your business hours?',
        ),
      );
      wamids.push(...messages.map((m) => String(m['id'])));
      expect(
        await postMessages(server.baseUrl, { phoneNumberId: 'PNID-CRASH', display: '254711555000' }, messages),
      ).toBe(200);
    }

    // Kill when every worker slot is waiting on Meta with its answer: those sends have reached
    // "Meta" and must not be repeated. Read receipts go beside the answer, so they do not count:
    // a slot waiting on one may have written its part without sending it yet. (A kill between writing an outbound row and the request leaving the
    // process cannot be told apart from one after it; the server then prefers not to resend.)
    await eventually(() => graph.sentTexts().length >= 6 && graph.pendingSends === 4, 15_000);
    server.child.kill('SIGKILL');
    await server.exited;
    const answeredBeforeCrash = new Set(graph.sentTexts().map((s) => s.replyTo)).size;
    expect(answeredBeforeCrash).toBeLessThan(wamids.length);

    server = await startServerProcess(env);
    const replied = () => graph.sentTexts().map((s) => s.replyTo);
    await eventually(() => wamids.every((id) => replied().includes(id)), 30_000).catch(async (err: unknown) => {
      const missing = wamids.filter((id) => !replied().includes(id));
      throw new Error(`${String(err)}; unanswered: ${missing.join(', ')}\n${server?.output() ?? ''}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = new Map<string, number>();
    for (const id of replied()) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(wamids.filter((id) => counts.get(id) !== 1)).toEqual([]);
  }, 90_000);
});
