import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedEscalation, seedLog } from '../support/analyticsLog.js';
import {
  EXPECTED_BREAKDOWNS,
  EXPECTED_DAILY,
  EXPECTED_QUESTIONS,
  EXPECTED_TOTALS,
  SEEDED_ESCALATIONS,
  SEEDED_LOG,
} from '../support/analyticsFixture.js';
import { lit, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const RANGE = 'from=2025-01-10&to=2025-01-13';
const MISSING_ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

describe.each(testEngines())('analytics API (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let shop: SeededTenant;
  let other: SeededTenant;
  let shopKey: string;
  let otherKey: string;

  const newKey = async (tenantId: string) => {
    const res = await api.call('POST', `/api/v1/tenants/${tenantId}/api-keys`, { body: { name: 'dashboard' } });
    expect(res.status, res.text).toBe(201);
    return String(res.body.key);
  };

  beforeAll(async () => {
    t = await startTestApp({
      engine,
      env: { ADMIN_API_TOKEN: ADMIN_TOKEN, AI_PRICES: JSON.stringify({ 'openai:gpt-test': { input: 2, output: 4 } }) },
    });
    api = adminClient(t.baseUrl);
    shop = await seedTenant(t, { name: 'Analytics Music Shop' });
    other = await seedTenant(t, { name: 'Other Shop' });
    // The other tenant has the very same log: any figure that leaked across would come out doubled.
    for (const tenant of [shop, other]) {
      await seedLog(t, tenant.id, SEEDED_LOG);
      for (const [customer, at, reason] of SEEDED_ESCALATIONS) await seedEscalation(t, tenant.id, customer, at, reason);
    }
    shopKey = await newKey(shop.id);
    otherKey = await newKey(other.id);
  });
  afterAll(async () => t?.stop());

  it('computes every figure of a seeded log exactly, for each day of the range and in total', async () => {
    const expected = {
      tenant_id: shop.id,
      from: '2025-01-10',
      to: '2025-01-13',
      totals: EXPECTED_TOTALS,
      daily: EXPECTED_DAILY,
      ...EXPECTED_BREAKDOWNS,
    };
    const asAdmin = await api.call('GET', `/api/v1/tenants/${shop.id}/analytics?${RANGE}`);
    expect(asAdmin.status, asAdmin.text).toBe(200);
    expect(asAdmin.body).toEqual(expected);
    const asTenant = await api.call('GET', `/api/v1/tenants/${shop.id}/analytics?${RANGE}`, { token: shopKey });
    expect(asTenant.body).toEqual(expected);

    const oneDay = await api.call('GET', `/api/v1/tenants/${shop.id}/analytics?from=2025-01-12&to=2025-01-12`);
    expect(oneDay.body.daily).toEqual([EXPECTED_DAILY[2]]);
    expect(oneDay.body.totals).toMatchObject({
      messages_in: 0,
      faq_hit_rate: null,
      estimated_cost_usd: 0,
      reply_latency_ms: { median: null, p95: null },
    });
    expect(oneDay.body).toMatchObject({
      ai_usage: [],
      unpriced_models: [],
      provider_failures: [],
      escalations: [],
      delivery_failures: [],
    });
    expect(oneDay.body.busiest_hours).toHaveLength(24);
  });

  it('lists the questions to teach, grouped and most frequent first, and drops one once it is made an FAQ', async () => {
    const path = `/api/v1/tenants/${shop.id}/analytics/questions?${RANGE}`;
    const before = await api.call('GET', path, { token: shopKey });
    expect(before.status, before.text).toBe(200);
    expect(before.body).toEqual({
      tenant_id: shop.id,
      from: '2025-01-10',
      to: '2025-01-13',
      questions: EXPECTED_QUESTIONS,
    });
    expect((await api.call('GET', `${path}&limit=1`, { token: shopKey })).body.questions).toEqual([
      EXPECTED_QUESTIONS[0],
    ]);

    // The dashboard's one step: the training endpoint, prefilled with the group's question and suggested answer.
    const violins = EXPECTED_QUESTIONS[1]!;
    const made = await api.call('POST', `/api/v1/tenants/${shop.id}/training`, {
      token: shopKey,
      body: { question: violins.question, answer: `${violins.suggested_answer} Visit us to try one.` },
    });
    expect(made.status, made.text).toBe(201);
    const after = await api.call('GET', path, { token: shopKey });
    expect(after.body.questions).toEqual([EXPECTED_QUESTIONS[0], EXPECTED_QUESTIONS[2]]);
    // The other tenant taught nothing.
    expect(
      (await api.call('GET', `/api/v1/tenants/${other.id}/analytics/questions?${RANGE}`, { token: otherKey })).body
        .questions,
    ).toEqual(EXPECTED_QUESTIONS);
  });

  it("answers another tenant's analytics exactly like a missing tenant's, and nothing without a key", async () => {
    for (const route of ['analytics', 'analytics/questions']) {
      const theirs = await api.call('GET', `/api/v1/tenants/${shop.id}/${route}?${RANGE}`, { token: otherKey });
      const missing = await api.call('GET', `/api/v1/tenants/${MISSING_ID}/${route}?${RANGE}`, { token: otherKey });
      const missingAsAdmin = await api.call('GET', `/api/v1/tenants/${MISSING_ID}/${route}?${RANGE}`);
      expect(theirs.status, route).toBe(404);
      expect(theirs.body).toEqual({ error: 'Not found', details: `Tenant ${shop.id} does not exist` });
      expect(missing.body).toEqual({ error: 'Not found', details: `Tenant ${MISSING_ID} does not exist` });
      expect(missingAsAdmin.body).toEqual(missing.body);
      expect(theirs.text).not.toContain('Music');

      const anonymous = await api.call('GET', `/api/v1/tenants/${shop.id}/${route}?${RANGE}`, { token: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ error: 'Unauthorized', details: expect.any(String) });
    }
  });

  it('refuses bad dates, reversed or too long ranges and bad limits with a 400 naming the field', async () => {
    const cases: [route: string, query: string, details: string][] = [
      ['analytics', 'from=2025-02-30', 'query.from: must be a date written YYYY-MM-DD'],
      ['analytics', 'to=13-01-2025', 'query.to: must be a date written YYYY-MM-DD'],
      ['analytics', 'from=2025-01-10T00:00:00Z', 'query.from: must be a date written YYYY-MM-DD'],
      ['analytics', 'from=2025-01-14&to=2025-01-13', 'query.from: must be on or before to (2025-01-13)'],
      ['analytics', 'from=2024-01-01&to=2025-01-01', 'query.to: the range holds 367 days; at most 366 are allowed'],
      ['analytics', 'from=2025-01-10&days=3', 'query.days: is not a known field'],
      ['analytics/questions', 'limit=0', 'query.limit: must be a whole number from 1 to 100'],
      ['analytics/questions', 'limit=101', 'query.limit: must be a whole number from 1 to 100'],
      ['analytics/questions', 'limit=ten', 'query.limit: must be a whole number from 1 to 100'],
      ['analytics/questions', 'limit=2.5', 'query.limit: must be a whole number from 1 to 100'],
      ['analytics/questions', 'from=yesterday', 'query.from: must be a date written YYYY-MM-DD'],
    ];
    for (const [route, query, details] of cases) {
      const res = await api.call('GET', `/api/v1/tenants/${shop.id}/${route}?${query}`, { token: shopKey });
      expect(res.status, query).toBe(400);
      expect(res.body, query).toEqual({ error: 'Invalid request', details });
    }
    // A full leap year is allowed.
    expect(
      (await api.call('GET', `/api/v1/tenants/${shop.id}/analytics?from=2024-01-01&to=2024-12-31`)).body.daily,
    ).toHaveLength(366);
  });

  it('counts real traffic over the last 30 days by default: AI tokens and cost, a fallback, an escalation, reply latency', async () => {
    const tenant = await seedTenant(t, { name: 'Live Shop' });
    await t.rows(
      `INSERT INTO alphadome.bot_control_settings (bot_tenant_id, escalation_phone) VALUES (${lit(tenant.id)}, '254711900077')`,
    );
    const say = async (customer: string, text: string) => {
      const message = textMessage(customer, text);
      expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
      await eventually(() => t.graph.sentTexts().some((s) => s.replyTo === message['id']));
    };
    t.ai.openai.reply = 'Yes, we stock ukuleles from KES 4,000.';
    await say('254722000001', 'Do you stock ukuleles?');
    t.ai.openai.failNext(1, { status: 500 });
    t.ai.openrouter.reply = 'We rent drum kits by the day.';
    await say('254722000002', 'Do you rent drums?');
    await say('254722000003', 'I want to talk to a human');

    const path = `/api/v1/tenants/${tenant.id}/analytics`;
    // The last part's sent time is written just after Meta's answer reaches the worker.
    const report = await eventually(async () => {
      const res = await api.call('GET', path);
      return res.body?.totals?.messages_out === 3 && res.body.totals.reply_latency_ms.p95 !== null ? res.body : null;
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(report.to).toBe(today);
    expect(report.daily).toHaveLength(30);
    expect(report.daily[29].date).toBe(today);
    expect(report.totals).toMatchObject({
      messages_in: 3,
      unique_customers: 3,
      answered_ai: 2,
      answered_faq: 0,
      not_answered: 1,
      ai_calls: 2,
      prompt_tokens: 24,
      completion_tokens: 14,
      fallbacks: 1,
      provider_failures: 1,
      escalations: 1,
    });
    expect(report.totals.reply_latency_ms.median).toBeGreaterThanOrEqual(0);
    // The fake providers report 12 prompt and 7 completion tokens per answer; built-in prices apply.
    expect(report.ai_usage).toEqual([
      {
        provider: 'openai',
        model: 'gpt-3.5-turbo',
        calls: 1,
        prompt_tokens: 12,
        completion_tokens: 7,
        estimated_cost_usd: 0.0000165,
      },
      {
        provider: 'openrouter',
        model: 'mistralai/mistral-large',
        calls: 1,
        prompt_tokens: 12,
        completion_tokens: 7,
        estimated_cost_usd: 0.000066,
      },
    ]);
    expect(report.totals.estimated_cost_usd).toBeCloseTo(0.0000825, 10);
    expect(report.provider_failures).toEqual([{ provider: 'openai', model: 'gpt-3.5-turbo', failures: 1 }]);
    expect(report.escalations).toEqual([{ reason: 'the customer asked for a person', count: 1 }]);

    const questions = (await api.call('GET', `${path}/questions`)).body.questions;
    expect(
      questions.map((q: { question: string; suggested_answer: string }) => [q.question, q.suggested_answer]).sort(),
    ).toEqual([
      ['Do you rent drums?', 'We rent drum kits by the day.'],
      ['Do you stock ukuleles?', 'Yes, we stock ukuleles from KES 4,000.'],
    ]);
  });
});
