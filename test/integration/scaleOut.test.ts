import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.js';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { valueOf } from '../support/prometheusText.js';
import { lit, textMessage } from '../support/seed.js';
import { eventually } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';
import { postMessages, serverEnv, startServerProcess, type ServerProcess } from '../support/serverProcess.js';

// PGlite allows one process per folder: scale-out is a PostgreSQL matter.
const engines = testEngines().filter((engine) => engine === 'postgres');
const CUSTOMERS = 30;
const MESSAGES_EACH = 4;
const NUMBER = { phoneNumberId: 'PNID-SCALE', display: '254711777000' };

describe.skipIf(engines.length === 0)('two server processes on one PostgreSQL (postgres)', () => {
  const servers: ServerProcess[] = [];
  let database: TestDatabase | null = null;
  const graph = new FakeGraphApi();
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await graph.stop();
    await database?.drop();
  });

  it('answer every message exactly once, each conversation in order, both taking part', async () => {
    database = await createTestDatabase('postgres');
    const seeded = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    await seeded.runScript(`
      INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token)
      VALUES ('Scale Shop', '${NUMBER.display}', '${NUMBER.phoneNumberId}', 'EAAscale');
      INSERT INTO alphadome.bot_control_settings (bot_tenant_id, max_messages_per_hour, max_messages_per_user_per_day)
      SELECT id, 100000, 100000 FROM alphadome.bot_tenants WHERE client_phone = '${NUMBER.display}';
      INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer)
      SELECT id, 'What are your business hours?', ${lit('Nine to six.')} FROM alphadome.bot_tenants WHERE client_phone = '${NUMBER.display}';`);
    await seeded.close();

    // Meta takes a moment per send, so both processes have conversations in flight at once.
    graph.delayMs = 40;
    const env = serverEnv(database, await graph.start(), { WORKER_CONCURRENCY: '8' });
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));

    // Each customer's messages go in turn to one process, then the other: whichever claims a
    // message, the conversation's earlier one must have been answered first.
    const sent = new Map<string, string[]>();
    await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, c) => {
        const customer = `2547007${String(c).padStart(5, '0')}`;
        for (let i = 0; i < MESSAGES_EACH; i++) {
          const message = textMessage(customer, i % 2 ? 'what are your hours?' : 'What are your business hours?');
          const server = servers[(c + i) % 2];
          expect(await postMessages(server?.baseUrl ?? '', NUMBER, [message])).toBe(200);
          sent.set(customer, [...(sent.get(customer) ?? []), String(message['id'])]);
        }
      }),
    );
    const all = [...sent.values()].flat();
    const replied = () => graph.sentTexts().map((s) => s.replyTo);
    await eventually(() => all.every((id) => replied().includes(id)), 60_000).catch((err: unknown) => {
      throw new Error(
        `${String(err)}; unanswered: ${all.filter((id) => !replied().includes(id)).length}\n${servers.map((s) => s.output()).join('\n')}`,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const counts = new Map<string, number>();
    for (const id of replied()) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(all.filter((id) => counts.get(id) !== 1)).toEqual([]);
    // Graph saw each customer's answers in the order the customer wrote.
    for (const [customer, ids] of sent) {
      const answeredInOrder = graph
        .sentTexts()
        .filter((s) => s.to === customer)
        .map((s) => s.replyTo);
      expect(answeredInOrder, customer).toEqual(ids);
    }
    const answeredBy = await Promise.all(
      servers.map(async (server) =>
        valueOf(await (await fetch(`${server.baseUrl}/metrics`)).text(), 'alphadome_replies_sent_total', {
          source: 'faq',
        }),
      ),
    );
    expect(answeredBy.reduce((a, b) => a + b, 0)).toBe(all.length);
    for (const answered of answeredBy) expect(answered).toBeGreaterThan(0);
  }, 120_000);
});
