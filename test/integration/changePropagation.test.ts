import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient } from '../support/adminClient.js';
import { seedFaq, seedTenant, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

// Several server processes share one PostgreSQL; PGlite allows a single process per folder.
const engines = testEngines().filter((engine) => engine === 'postgres');

describe.skipIf(engines.length === 0)('changes reach every server process at once (postgres)', () => {
  let ingestNode: TestApp | null = null;
  let workerNode: TestApp | null = null;
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await ingestNode?.stop();
    await workerNode?.stop();
    await database?.drop();
  });

  it('an FAQ changed through one process answers the next message handled by another', async () => {
    database = await createTestDatabase('postgres');
    const shared = { ADMIN_API_TOKEN: ADMIN_TOKEN };
    // One node only takes webhooks; the other only answers: the message must cross processes.
    ingestNode = await startTestApp({ engine: 'postgres', database, env: { ...shared, WORKER_ENABLED: 'false' } });
    workerNode = await startTestApp({ engine: 'postgres', database, env: shared });
    const shop = await seedTenant(ingestNode);
    const faqId = await seedFaq(ingestNode, shop.id, 'Do you deliver to Mombasa?', 'Old answer: no.');
    const worker = workerNode;

    const ask = async () => {
      const message = textMessage('254700777001', 'Do you deliver to Mombasa?');
      expect((await ingestNode?.postWebhook(webhookPayload({ tenant: shop, messages: [message] })))?.status).toBe(200);
      const sent = await eventually(() => worker.graph.sentTexts().find((s) => s.replyTo === message['id']));
      return sent.body;
    };
    expect(await ask()).toBe('Old answer: no.');

    const api = adminClient(ingestNode.baseUrl);
    const res = await api.call('PATCH', `/api/v1/tenants/${shop.id}/training/${faqId}`, {
      body: { answer: 'New answer: yes, in 3 days.' },
    });
    expect(res.status).toBe(200);
    expect(await ask()).toBe('New answer: yes, in 3 days.');

    // A change made with plain SQL (psql, another tool) is seen the same way.
    await ingestNode.rows(`UPDATE alphadome.bot_training_data SET answer = 'SQL answer.' WHERE id = '${faqId}'`);
    expect(await ask()).toBe('SQL answer.');
  });
});
