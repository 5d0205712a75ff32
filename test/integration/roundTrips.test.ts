import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueOf } from '../support/prometheusText.js';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const BATCH = 40;
// The target of issue 11: claim, controls, decision and completion within four statements a message.
const MAX_TRIPS_PER_MESSAGE = 4;
const ANSWER = 'We are open Monday to Friday, 8am to 6pm.';

describe.each(testEngines())('database round trips per answered FAQ message (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  beforeAll(async () => {
    t = await startTestApp({ engine });
    shop = await seedTenant(t, { name: 'Round Trip Shop' });
    await seedFaq(t, shop.id, 'What are your business hours?', ANSWER, 10, 0.95);
  }, 60_000);
  afterAll(async () => t?.stop());

  let probes = 0;
  const answeredCount = async () => {
    probes += 1;
    return Number(
      (
        await t.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND status = 'answered'`,
        )
      )[0]?.n,
    );
  };
  const trips = () => {
    const counts = t.app.database.roundTrips();
    return counts.main + counts.ingest;
  };

  it(`answers a batch of ${BATCH} FAQ questions in at most ${MAX_TRIPS_PER_MESSAGE} round trips each, ingest included`, async () => {
    // Warm-up: the tenant's context and the pools' connections are made once, not per message.
    const warm = textMessage('254722000000', 'what are your business hours?');
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [warm] }))).status).toBe(200);
    await eventually(async () => (await answeredCount()) === 1);

    const messages = Array.from({ length: BATCH }, (_, i) =>
      textMessage(`2547220${String(i + 1).padStart(5, '0')}`, 'What are your business hours?'),
    );
    const before = trips();
    const probesBefore = probes;
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages }))).status).toBe(200);
    await eventually(async () => (await answeredCount()) === BATCH + 1, 20_000);
    // This test's own probes go through the app's handle: they are not the worker's.
    const spent = trips() - before - (probes - probesBefore);

    const answers = t.graph.requests.filter((r) => r.body?.type === 'text' && r.body.text?.body === ANSWER);
    expect(answers).toHaveLength(BATCH + 1);
    // The count includes the webhook's write, the claims and the timers' polling meanwhile.
    expect(spent / BATCH, `${spent} round trips for ${BATCH} messages`).toBeLessThanOrEqual(MAX_TRIPS_PER_MESSAGE);
  });

  it('exposes the count as alphadome_db_round_trips_total', async () => {
    const scrape = async () => await (await fetch(`${t.baseUrl}/metrics`)).text();
    const first = valueOf(await scrape(), 'alphadome_db_round_trips_total', { pool: 'main' });
    expect(first).toBeGreaterThan(0);
    const second = valueOf(await scrape(), 'alphadome_db_round_trips_total', { pool: 'main' });
    // Each scrape reads the queue backlog: the counter moves with it.
    expect(second).toBeGreaterThan(first);
  });
});
