import { afterEach, describe, expect, it } from 'vitest';
import { seedTenant, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines, type TestDatabase } from '../support/testDatabase.js';

describe.each(testEngines())('graceful shutdown (%s)', (engine) => {
  let t: TestApp | null = null;
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await t?.stop();
    await database?.drop();
    t = null;
    database = null;
  });

  it('finishes a message being answered before stopping', async () => {
    t = await startTestApp({ engine });
    const shop = await seedTenant(t);
    t.ai.openai.delayMs = 600;
    const message = textMessage('254700666001', 'Tell me about your pianos');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const app = t;
    await eventually(() => app.ai.openai.requests.length === 1);
    await t.app.stop(5_000);
    expect(t.graph.sentTexts().filter((s) => s.replyTo === message['id'])).toHaveLength(1);
    const [row] = await queryAfterStop(t, String(message['id']));
    expect(row?.status).toBe('answered');
  });

  it('releases a message it could not finish in time, and the next start answers it once', async () => {
    const first = await startTestApp({ engine });
    database = first.database;
    const shop = await seedTenant(first);
    first.ai.openai.delayMs = 3_000;
    const message = textMessage('254700666002', 'Tell me about your drums');
    await first.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    await eventually(() => first.ai.openai.requests.length === 1);
    await first.app.stop(100);
    await first.graph.stop();
    await Promise.all(Object.values(first.ai).map((p) => p.stop()));

    t = await startTestApp({ engine, database });
    const second = t;
    await eventually(() => second.graph.sentTexts().some((s) => s.replyTo === message['id']));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.graph.sentTexts().filter((s) => s.replyTo === message['id'])).toHaveLength(1);
    expect(first.graph.sentTexts()).toHaveLength(0);
  });
});

/** After app.stop() the database is closed; read through a fresh app on the same data instead. */
async function queryAfterStop(t: TestApp, wamid: string): Promise<{ status: string }[]> {
  const reopened = await startTestApp({
    engine: t.database.engine,
    database: t.database,
    env: { WORKER_ENABLED: 'false' },
  });
  try {
    return await reopened.rows<{ status: string }>(
      `SELECT status FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${wamid}'`,
    );
  } finally {
    await reopened.stop();
  }
}
