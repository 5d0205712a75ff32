// GET .../messages?q=: the dashboard's text search over one tenant's message log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('message log text search (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let mine: SeededTenant;
  let theirs: SeededTenant;

  const texts = (body: { data: { message_text: string | null }[] }) => body.data.map((m) => m.message_text).sort();

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN, WORKER_ENABLED: 'false' } });
    api = adminClient(t.baseUrl);
    mine = await seedTenant(t);
    theirs = await seedTenant(t);
    const messages = [
      textMessage('254755000001', 'Is the 100% cotton SHIRT in stock?'),
      textMessage('254755000002', 'shirt_size large please'),
      textMessage('254755000002', 'Hello'),
    ];
    expect(
      (
        await t.postWebhook(
          webhookPayload(
            { tenant: mine, messages },
            { tenant: theirs, messages: [textMessage('254755000009', 'A shirt for me too')] },
          ),
        )
      ).status,
    ).toBe(200);
    await eventually(async () => (await api.call('GET', `/api/v1/tenants/${mine.id}/messages`)).body.total === 3);
  });
  afterAll(() => t.stop());

  it('finds text case-insensitively, within one tenant, combined with the customer filter', async () => {
    expect(texts((await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=shirt`)).body)).toEqual([
      'Is the 100% cotton SHIRT in stock?',
      'shirt_size large please',
    ]);
    expect(
      texts((await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=SHIRT&user_phone=%2B254755000002`)).body),
    ).toEqual(['shirt_size large please']);
    expect(texts((await api.call('GET', `/api/v1/tenants/${theirs.id}/messages?q=shirt`)).body)).toEqual([
      'A shirt for me too',
    ]);
  });

  it('takes % and _ as themselves, not as wildcards', async () => {
    expect(
      texts((await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=${encodeURIComponent('100%')}`)).body),
    ).toEqual(['Is the 100% cotton SHIRT in stock?']);
    expect(
      texts((await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=${encodeURIComponent('t_s')}`)).body),
    ).toEqual(['shirt_size large please']);
    expect((await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=${encodeURIComponent('%')}`)).body.total).toBe(
      1,
    );
  });

  it('refuses an empty or oversized search, naming the field', async () => {
    for (const q of ['', ' ', 'x'.repeat(256)]) {
      const res = await api.call('GET', `/api/v1/tenants/${mine.id}/messages?q=${encodeURIComponent(q)}`);
      expect(res.status, JSON.stringify(q)).toBe(400);
      expect(res.body).toEqual({ error: 'Invalid request', details: expect.stringMatching(/^query\.q: /) });
    }
  });
});
