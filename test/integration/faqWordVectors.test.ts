// The server's FAQ matcher uses the offline word vectors once they are loaded (after the server listens):
// a message word no FAQ question uses is matched through its vector, through the real webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import { testWordVectors, testWordVectorsFile } from '../support/wordVectorsForTests.js';

describe.each(testEngines())('FAQ answers through word vectors (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let faqId: string;

  beforeAll(async () => {
    // Makes sure the table exists, so the app only reads it.
    await testWordVectors();
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    t = await startTestApp({ engine, env: { WORD_VECTORS: 'on', WORD_VECTORS_FILE: testWordVectorsFile }, logger });
    // The server answers at once, lexically, and loads the vectors in the background: wait for them.
    await eventually(() => lines.some((line) => line.includes('FAQ word vectors loaded')), 60_000);
    shop = await seedTenant(t, { name: 'Fixit Computers' });
    faqId = await seedFaq(
      t,
      shop.id,
      'Do you repair laptops?',
      'Yes, laptops and desktops, usually within 2 days.',
      10,
      0.95,
    );
  }, 180_000);
  afterAll(async () => {
    await t.stop();
  });

  it('answers "computers" from the "laptops" FAQ without calling any AI', async () => {
    const aiCalls = t.ai.openai.requests.length;
    const message = textMessage('254700222001', 'do you repair computers');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const [sent] = await eventually(() => {
      const replies = t.graph.sentTexts().filter((s) => s.replyTo === message['id']);
      return replies.length > 0 ? replies : null;
    });
    expect(sent?.body).toBe('Yes, laptops and desktops, usually within 2 days.');
    expect(t.ai.openai.requests.length).toBe(aiCalls);
    const [row] = await t.rows<{ training_data_id: string | null }>(
      `SELECT training_data_id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${String(message['id'])}'`,
    );
    expect(row?.training_data_id).toBe(faqId);
  });
});
