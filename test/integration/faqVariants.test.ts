// Alternative questions of an FAQ (variants): stored with the row through the admin API and the
// CSV/JSON import and export, appended by "This is FAQ X", bounded, and answered by the bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient, type CallOptions } from '../support/adminClient.js';
import { lit, seedTenant, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const MISSING_ID = '5b0f6f0e-8f5d-4c43-9d7e-000000000000';

describe.each(testEngines())('FAQ variants (%s)', (engine) => {
  let t: TestApp;
  let client: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    client = adminClient(t.baseUrl);
  }, 60_000);
  afterAll(async () => t?.stop());

  const api = (method: string, path: string, options?: CallOptions) => client.call(method, `/api/v1${path}`, options);
  const storedVariants = async (rowId: string) =>
    (
      await t.rows<{ variants: string[] }>(`SELECT variants FROM alphadome.bot_training_data WHERE id = ${lit(rowId)}`)
    )[0]?.variants;

  it('creates, reads, lists and replaces variants; bad variants are a 400 and nothing is written', async () => {
    const tenant = await seedTenant(t);
    const base = `/tenants/${tenant.id}/training`;
    const created = await api('POST', base, {
      body: {
        question: 'Can I rent equipment?',
        answer: 'From KES 3,500 a day.',
        variants: [' Do you hire out PA systems? ', 'do you hire out PA systems', 'Mnakodisha speakers?'],
      },
    });
    expect(created.status, created.text).toBe(201);
    // Trimmed, and a wording that differs only in case or punctuation is kept once.
    expect(created.body.variants).toEqual(['Do you hire out PA systems?', 'Mnakodisha speakers?']);
    expect(await storedVariants(created.body.id)).toEqual(['Do you hire out PA systems?', 'Mnakodisha speakers?']);
    expect((await api('GET', `${base}/${created.body.id}`)).body.variants).toEqual([
      'Do you hire out PA systems?',
      'Mnakodisha speakers?',
    ]);
    const plain = await api('POST', base, { body: { question: 'Hours?', answer: '9 to 6.' } });
    expect(plain.body.variants).toEqual([]);
    expect((await api('GET', base)).body.data.map((row: { variants: string[] }) => row.variants)).toEqual([
      created.body.variants,
      [],
    ]);

    const patched = await api('PATCH', `${base}/${created.body.id}`, {
      body: { variants: ['Can I lease a drum kit?'] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ question: 'Can I rent equipment?', variants: ['Can I lease a drum kit?'] });
    const cleared = await api('PATCH', `${base}/${created.body.id}`, { body: { variants: [] } });
    expect(cleared.body.variants).toEqual([]);
    await api('PATCH', `${base}/${created.body.id}`, { body: { variants: ['Can I lease a drum kit?'] } });

    const tooMany = Array.from({ length: 21 }, (_, i) => `Wording number ${i}?`);
    const bad: [unknown, string][] = [
      [tooMany, 'at most 20'],
      [['x'.repeat(301)], 'at most 300 characters'],
      [[''], 'must not be empty'],
      [['ok?', 42], 'variants'],
      ['Do you hire?', 'list of questions'],
      [['nul \u0000 inside'], 'NUL'],
    ];
    for (const [variants, message] of bad) {
      for (const [method, path, body] of [
        ['POST', base, { question: 'New?', answer: 'No.', variants }],
        ['PATCH', `${base}/${created.body.id}`, { variants }],
      ] as const) {
        const res = await api(method, path, { body });
        expect(res.status, `${method} ${JSON.stringify(variants)}: ${res.text}`).toBe(400);
        expect(res.body).toMatchObject({ error: expect.any(String), details: expect.stringContaining(message) });
      }
    }
    expect(await storedVariants(created.body.id)).toEqual(['Can I lease a drum kit?']);
    const rows = await t.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM alphadome.bot_training_data WHERE bot_tenant_id = ${lit(tenant.id)}`,
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('adds wordings to a row ("This is FAQ X"), skipping known ones, within the bound', async () => {
    const tenant = await seedTenant(t);
    const base = `/tenants/${tenant.id}/training`;
    const row = (
      await api('POST', base, {
        body: { question: 'Do you deliver?', answer: 'Yes, same day.', variants: ['Do you ship?'] },
      })
    ).body;
    const added = await api('POST', `${base}/${row.id}/variants`, {
      body: { variants: ['Mna delivery Thika?', 'do you ship', 'DO YOU DELIVER', 'Can you bring it to Rongai?'] },
    });
    expect(added.status, added.text).toBe(200);
    expect(added.body.variants).toEqual(['Do you ship?', 'Mna delivery Thika?', 'Can you bring it to Rongai?']);
    const audit = await t.rows<{ action: string; after: { variants: string[] } }>(
      `SELECT action, after FROM alphadome.audit_log WHERE entity_id = ${lit(row.id)} ORDER BY created_at, id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]?.after.variants).toHaveLength(3);

    const over = await api('POST', `${base}/${row.id}/variants`, {
      body: { variants: Array.from({ length: 18 }, (_, i) => `Delivery question ${i}?`) },
    });
    expect(over.status).toBe(400);
    expect(over.body.details).toContain('more than 20');
    expect(await storedVariants(row.id)).toHaveLength(3);
    expect((await api('POST', `${base}/${row.id}/variants`, { body: { variants: [] } })).status).toBe(400);
    expect((await api('POST', `${base}/${row.id}/variants`, { body: { variants: ['x'], extra: 1 } })).status).toBe(400);
    expect((await api('POST', `${base}/${MISSING_ID}/variants`, { body: { variants: ['Where?'] } })).status).toBe(404);
    // Another tenant's row is not found under this tenant, and stays as it was.
    const other = await seedTenant(t);
    expect(
      (await api('POST', `/tenants/${other.id}/training/${row.id}/variants`, { body: { variants: ['Planted?'] } }))
        .status,
    ).toBe(404);
    expect(await storedVariants(row.id)).toHaveLength(3);
  });

  it('imports and exports variants as a |-separated CSV column, with a quoted | kept inside a wording', async () => {
    const tenant = await seedTenant(t);
    const base = `/tenants/${tenant.id}/training`;
    const csv = [
      'question,answer,variants',
      'Opening hours?,"Mon-Sat 9-6","When do you open?|""Open 24|7?""| What time do you close, please? "',
      'Do you deliver?,Yes.,',
      'Payment?,M-Pesa.,=cmd|lipa na mpesa?',
    ].join('\r\n');
    const imported = await api('POST', `${base}/import`, { rawBody: csv, contentType: 'text/csv' });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject({ imported: 3, errors: [] });
    const json = async () =>
      (await api('GET', `${base}/export?format=json`)).body.rows.map((r: { question: string; variants: string[] }) => [
        r.question,
        r.variants,
      ]);
    const expected = [
      ['Opening hours?', ['When do you open?', 'Open 24|7?', 'What time do you close, please?']],
      ['Do you deliver?', []],
      ['Payment?', ['=cmd', 'lipa na mpesa?']],
    ];
    expect(await json()).toEqual(expected);

    const exported = await api('GET', `${base}/export?format=csv`);
    const lines = exported.text.split('\r\n');
    expect(lines[0]).toBe('question,answer,data_type,category,priority,confidence_score,is_active,variants');
    expect(lines[1]).toContain(',"When do you open?|""Open 24|7?""|What time do you close, please?"');
    // A cell a spreadsheet would run as a formula is exported with a leading quote, and read back without it.
    expect(lines[3]?.endsWith(",'=cmd|lipa na mpesa?")).toBe(true);
    const replaced = await api('POST', `${base}/import?mode=replace`, {
      rawBody: exported.text,
      contentType: 'text/csv',
    });
    expect(replaced.body).toMatchObject({ imported: 3, replaced: 3, errors: [] });
    expect(await json()).toEqual(expected);

    const tooMany = `question,answer,variants\r\nHours?,9-6,${Array.from({ length: 21 }, (_, i) => `Wording ${i}`).join('|')}`;
    const rejected = await api('POST', `${base}/import`, { rawBody: tooMany, contentType: 'text/csv' });
    expect(rejected.status).toBe(422);
    expect(rejected.body.errors).toEqual([{ row: 1, field: 'variants', message: 'must hold at most 20 questions' }]);
    expect(await json()).toEqual(expected);
  });

  it('answers a webhook message that matches a variant with the FAQ, from the next message on', async () => {
    const shop = await seedTenant(t, { name: 'Sauti Music' });
    const base = `/tenants/${shop.id}/training`;
    const row = (
      await api('POST', base, {
        body: { question: 'Can I rent equipment?', answer: 'We hire out PA systems from KES 3,500 a day.' },
      })
    ).body;
    t.ai.openai.reply = 'Let me check that for you.';
    const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);
    const ask = async (customer: string, text: string) => {
      const message = textMessage(customer, text);
      expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
      const [sent] = await eventually(() =>
        repliesTo(String(message['id'])).length ? repliesTo(String(message['id'])) : null,
      );
      const [log] = await eventually(async () => {
        const r = await t.rows<{ status: string; training_data_id: string | null }>(
          `SELECT status, training_data_id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(String(message['id']))}`,
        );
        return r[0]?.status === 'answered' ? r : null;
      });
      return { body: sent?.body, faq: log?.training_data_id ?? null };
    };
    const wording = 'Mnakodisha speakers za harusi?';
    // Without the variant the wording is not this FAQ's: the AI answers.
    expect(await ask('254700333001', wording)).toEqual({ body: 'Let me check that for you.', faq: null });
    const toTeach = async () =>
      (await api('GET', `/tenants/${shop.id}/analytics/questions`)).body.questions.map(
        (q: { question: string }) => q.question,
      );
    expect(await toTeach()).toEqual([wording]);
    const added = await api('POST', `${base}/${row.id}/variants`, { body: { variants: [wording] } });
    expect(added.status, added.text).toBe(200);
    const answered = await eventually(async () => {
      const reply = await ask('254700333002', wording);
      return reply.faq ? reply : null;
    });
    expect(answered).toEqual({ body: 'We hire out PA systems from KES 3,500 a day.', faq: row.id });
    // The FAQ answers that question now: it is no longer one to teach.
    expect(await toTeach()).toEqual([]);
    // A variant given when the row is created works the same way.
    const hours = (
      await api('POST', base, {
        body: { question: 'Opening hours', answer: 'Mon-Sat 9am-7pm.', variants: ['Mnafungua saa ngapi?'] },
      })
    ).body;
    const fromCreate = await eventually(async () => {
      const reply = await ask('254700333003', 'mnafungua saa ngapi');
      return reply.faq ? reply : null;
    });
    expect(fromCreate).toEqual({ body: 'Mon-Sat 9am-7pm.', faq: hours.id });
  });
});
