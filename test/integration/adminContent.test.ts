import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient, type CallOptions } from '../support/adminClient.js';
import { BAD_CSV_CASES, badInputCases } from '../support/adminContentCases.js';
import { lit, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const MISSING_ID = '5b0f6f0e-8f5d-4c43-9d7e-000000000000';
const CSV_HEADER = 'question,answer,data_type,category,priority,confidence_score,is_active';

describe.each(testEngines())('admin API: templates, training, settings, message logs (%s)', (engine) => {
  let t: TestApp;
  let client: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    client = adminClient(t.baseUrl);
  }, 60_000);
  afterAll(async () => t?.stop());

  const api = (method: string, path: string, options?: CallOptions) => client.call(method, `/api/v1${path}`, options);
  const count = async (table: string, tenantId: string) =>
    Number(
      (
        await t.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM alphadome.${table} WHERE bot_tenant_id = ${lit(tenantId)}`,
        )
      )[0]?.n,
    );
  const audit = (tenantId: string, entity: string) =>
    t.rows<{ actor: string; action: string; entity_id: string | null; before: any; after: any }>(
      `SELECT actor, action, entity_id, before, after FROM alphadome.audit_log
       WHERE bot_tenant_id = ${lit(tenantId)} AND entity = ${lit(entity)} ORDER BY created_at, id`,
    );
  const activeDefaults = async (tenantId: string) =>
    (
      await t.rows<{ template_name: string }>(`SELECT template_name FROM alphadome.bot_templates
      WHERE bot_tenant_id = ${lit(tenantId)} AND is_active AND is_default`)
    ).map((r) => r.template_name);
  const newKey = async (tenantId: string) => {
    const res = await api('POST', `/tenants/${tenantId}/api-keys`, { body: { name: 'dashboard' } });
    expect(res.status, res.text).toBe(201);
    return res.body as { key: string; prefix: string };
  };
  const csvImport = (tenantId: string, csv: string, query = '') =>
    api('POST', `/tenants/${tenantId}/training/import${query}`, { rawBody: csv, contentType: 'text/csv' });

  it('keeps exactly one default among active templates, and audits every change', async () => {
    const tenant = await seedTenant(t);
    const base = `/tenants/${tenant.id}/templates`;
    const first = await api('POST', base, {
      body: { template_name: 'Greeting', system_prompt: 'Be warm.', tone: 'friendly', max_response_length: 300 },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({
      template_name: 'Greeting',
      is_default: true,
      is_active: true,
      max_response_length: 300,
    });
    const second = await api('POST', base, {
      body: { template_name: 'Support', is_default: true, metadata: { lang: 'sw' } },
    });
    expect(second.body).toMatchObject({ is_default: true, metadata: { lang: 'sw' } });
    expect(await activeDefaults(tenant.id)).toEqual(['Support']);
    const listed = await api('GET', base);
    expect(listed.body.data.map((x: { template_name: string }) => x.template_name)).toEqual(['Support', 'Greeting']);

    const moved = await api('PATCH', `${base}/${first.body.id}`, { body: { is_default: true } });
    expect(moved.status, moved.text).toBe(200);
    expect(await activeDefaults(tenant.id)).toEqual(['Greeting']);
    // Unsetting the only default would leave the bot without one.
    const unset = await api('PATCH', `${base}/${first.body.id}`, { body: { is_default: false } });
    expect(unset.status).toBe(409);
    expect(unset.body.error).toBe('Conflict');
    const inactiveDefault = await api('POST', base, {
      body: { template_name: 'Off', is_active: false, is_default: true },
    });
    expect(inactiveDefault.status).toBe(400);
    // Deactivating the default hands the flag to the remaining active template.
    const off = await api('PUT', `${base}/${first.body.id}`, { body: { is_active: false } });
    expect(off.body).toMatchObject({ is_active: false, is_default: false });
    expect(await activeDefaults(tenant.id)).toEqual(['Support']);
    expect((await api('DELETE', `${base}/${second.body.id}`)).status).toBe(204);
    expect(await activeDefaults(tenant.id)).toEqual([]);
    expect((await api('GET', `${base}/${second.body.id}`)).status).toBe(404);
    expect((await api('GET', `${base}/not-a-uuid`)).status).toBe(404);
    expect((await api('DELETE', `${base}/${second.body.id}`)).status).toBe(404);
    expect((await api('GET', `${base}/${first.body.id}`)).body).toMatchObject({
      template_name: 'Greeting',
      system_prompt: 'Be warm.',
    });

    const trail = await audit(tenant.id, 'template');
    // Rows of one transaction share created_at, so compare each template's changes, not one global order.
    const changes = (id: string) =>
      trail
        .filter((a) => a.entity_id === id)
        .map((a) => `${a.action}:${a.before?.is_default ?? '-'}>${a.after?.is_default ?? '-'}`)
        .sort();
    expect(trail).toHaveLength(8);
    expect(trail.every((a) => a.actor === 'admin')).toBe(true);
    // Greeting: created default, lost it to Support, took it back, was deactivated.
    expect(changes(first.body.id)).toEqual([
      'create:->true',
      'update:false>true',
      'update:true>false',
      'update:true>false',
    ]);
    // Support: created default, lost it, was promoted when Greeting went inactive, was deleted.
    expect(changes(second.body.id)).toEqual([
      'create:->true',
      'delete:true>-',
      'update:false>true',
      'update:true>false',
    ]);
  });

  it('creates, reads, filters, pages, updates and deletes training rows, with audit rows naming the key', async () => {
    const tenant = await seedTenant(t);
    const key = await newKey(tenant.id);
    const base = `/tenants/${tenant.id}/training`;
    const as = { token: key.key };
    const made = [];
    for (const [question, data_type, category, is_active] of [
      ['Where is the shop?', 'faq', 'general', true],
      ['Do you deliver?', 'faq', 'delivery', true],
      ['Always greet in Swahili', 'rule', 'general', true],
      ['Old delivery prices', 'faq', 'delivery', false],
    ] as const) {
      const res = await api('POST', base, {
        ...as,
        body: {
          question,
          answer: `Answer to ${question}`,
          data_type,
          category,
          is_active,
          priority: 7,
          confidence_score: 0.9,
        },
      });
      expect(res.status, res.text).toBe(201);
      made.push(res.body);
    }
    expect(made[0]).toMatchObject({
      question: 'Where is the shop?',
      priority: 7,
      confidence_score: 0.9,
      data_type: 'faq',
      is_active: true,
    });
    const defaults = await api('POST', base, { body: { question: '  Plain?  ', answer: 'Plain.' } });
    expect(defaults.body).toMatchObject({
      question: 'Plain?',
      data_type: 'faq',
      category: 'general',
      priority: 5,
      confidence_score: 1,
      is_active: true,
    });

    const names = async (query: string) =>
      (await api('GET', `${base}${query}`)).body.data.map((r: { question: string }) => r.question);
    expect(await names('?data_type=rule')).toEqual(['Always greet in Swahili']);
    expect(await names('?category=delivery&is_active=true')).toEqual(['Do you deliver?']);
    expect(await names('?is_active=false')).toEqual(['Old delivery prices']);
    expect(await names(`?q=${encodeURIComponent('DELIVER')}`)).toEqual(['Do you deliver?', 'Old delivery prices']);
    expect(await names(`?q=${encodeURIComponent('%')}`)).toEqual([]);
    const page = await api('GET', `${base}?limit=2&page=2`);
    expect(page.body).toMatchObject({ page: 2, limit: 2, total: 5 });
    expect(page.body.data.map((r: { question: string }) => r.question)).toEqual([
      'Always greet in Swahili',
      'Old delivery prices',
    ]);

    const id = made[1].id as string;
    const patched = await api('PATCH', `${base}/${id}`, {
      ...as,
      body: { answer: 'Yes, within Nairobi.', priority: 9 },
    });
    expect(patched.body).toMatchObject({ question: 'Do you deliver?', answer: 'Yes, within Nairobi.', priority: 9 });
    expect((await api('GET', `${base}/${id}`, as)).body.answer).toBe('Yes, within Nairobi.');
    expect((await api('DELETE', `${base}/${id}`, as)).status).toBe(204);
    expect((await api('GET', `${base}/${id}`)).status).toBe(404);

    const trail = await audit(tenant.id, 'training_data');
    expect(trail.map((a) => a.action)).toEqual(['create', 'create', 'create', 'create', 'create', 'update', 'delete']);
    expect(trail[0]?.actor).toBe(`api_key:${key.prefix}`);
    expect(trail[4]?.actor).toBe('admin');
    expect(trail[5]).toMatchObject({
      entity_id: id,
      before: { answer: 'Answer to Do you deliver?', priority: 7 },
      after: { answer: 'Yes, within Nairobi.', priority: 9 },
    });
  });

  it('reads default settings, changes only the named ones, merges metadata, and audits', async () => {
    const tenant = await seedTenant(t);
    expect(await count('bot_control_settings', tenant.id)).toBe(0);
    const read = await api('GET', `/tenants/${tenant.id}/settings`);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({
      is_bot_enabled: true,
      max_messages_per_hour: 100,
      max_messages_per_user_per_day: 50,
      enable_ai_responses: true,
      escalation_phone: null,
      metadata: {},
    });
    const put = await api('PUT', `/tenants/${tenant.id}/settings`, {
      body: {
        max_messages_per_hour: 250,
        escalation_email: 'owner@example.com',
        escalation_phone: '+254 700-123-456',
        metadata: { faq_threshold: 0.6, fallback_message: 'We will call you back.', shop_hours: 'all day' },
      },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({
      max_messages_per_hour: 250,
      max_messages_per_user_per_day: 50,
      escalation_phone: '254700123456',
      escalation_email: 'owner@example.com',
    });
    const merged = await api('PUT', `/tenants/${tenant.id}/settings`, {
      body: { enable_ai_responses: false, metadata: { shop_hours: null, faq_threshold: 0.8 } },
    });
    expect(merged.body).toMatchObject({
      enable_ai_responses: false,
      max_messages_per_hour: 250,
      metadata: { faq_threshold: 0.8, fallback_message: 'We will call you back.' },
    });
    expect(merged.body.metadata).not.toHaveProperty('shop_hours');
    const cleared = await api('PUT', `/tenants/${tenant.id}/settings`, { body: { escalation_email: null } });
    expect(cleared.body.escalation_email).toBeNull();
    const trail = await audit(tenant.id, 'settings');
    expect(trail.map((a) => a.action)).toEqual(['update', 'update', 'update']);
    expect(trail[0]).toMatchObject({ before: { max_messages_per_hour: 100 }, after: { max_messages_per_hour: 250 } });
    expect(await count('bot_control_settings', tenant.id)).toBe(1);
  });

  it('rejects a CSV import with bad rows as a whole, reporting each; partial=true writes the good rows', async () => {
    const tenant = await seedTenant(t);
    await api('POST', `/tenants/${tenant.id}/training`, { body: { question: 'Existing?', answer: 'Yes.' } });
    const csv = [
      CSV_HEADER,
      'Do you repair guitars?,"Yes, in 3 days, from KES 1,500.",faq,repairs,8,0.9,true',
      ',no question here,faq,general,5,1,true',
      'Bad priority?,Answer,faq,general,eleven,0.5,true',
      'Bad type?,Answer,poem,general,5,0.5,maybe',
      '"Multi-line?","Line one\nLine two, with ""quotes""",example,,3,,',
      'Too few fields?,Answer',
    ].join('\r\n');
    const rejected = await csvImport(tenant.id, csv);
    expect(rejected.status, rejected.text).toBe(422);
    expect(rejected.body).toMatchObject({ error: 'Import rejected', imported: 0 });
    expect(rejected.body.details).toContain('4 of 6 rows are invalid');
    expect(rejected.body.errors).toEqual([
      { row: 2, field: 'question', message: 'is required' },
      { row: 3, field: 'priority', message: expect.stringContaining('1 to 10') },
      { row: 4, field: 'data_type', message: expect.stringContaining('faq, example, rule') },
      { row: 4, field: 'is_active', message: 'must be true or false' },
      { row: 5 + 1, field: null, message: 'has 2 fields but the header has 7' },
    ]);
    expect(await count('bot_training_data', tenant.id)).toBe(1);
    expect((await audit(tenant.id, 'training_data')).map((a) => a.action)).toEqual(['create']);

    const partial = await csvImport(tenant.id, csv, '?partial=true');
    expect(partial.status, partial.text).toBe(200);
    expect(partial.body).toMatchObject({ imported: 2, replaced: 0 });
    expect(partial.body.errors).toHaveLength(5);
    const rows = await t.rows<{ question: string; answer: string; category: string | null; priority: number }>(
      `SELECT question, answer, category, priority FROM alphadome.bot_training_data WHERE bot_tenant_id = ${lit(tenant.id)} ORDER BY created_at`,
    );
    expect(rows).toEqual([
      { question: 'Existing?', answer: 'Yes.', category: 'general', priority: 5 },
      {
        question: 'Do you repair guitars?',
        answer: 'Yes, in 3 days, from KES 1,500.',
        category: 'repairs',
        priority: 8,
      },
      { question: 'Multi-line?', answer: 'Line one\nLine two, with "quotes"', category: 'general', priority: 3 },
    ]);
    const trail = await audit(tenant.id, 'training_data');
    expect(trail.at(-1)).toMatchObject({
      action: 'import',
      after: { mode: 'append', imported: 2, rejected_rows: 4, row_count: 3 },
    });
  });

  it('imports JSON, and round-trips CSV and JSON exports through a replace import', async () => {
    const tenant = await seedTenant(t);
    const base = `/tenants/${tenant.id}/training`;
    const json = await api('POST', `${base}/import`, {
      body: {
        rows: [
          { question: 'Hours?', answer: 'Mon-Fri 9-6, Sat 10-4', priority: 10, confidence_score: 0.95 },
          {
            question: 'Formula =1+2?',
            answer: '=HYPERLINK("x") stays text',
            data_type: 'example',
            category: null,
            is_active: false,
          },
          {
            question: 'Comma, quote " and\nnewline?',
            answer: 'All, "kept"\r\nverbatim',
            data_type: 'rule',
            category: 'edge',
          },
        ],
      },
    });
    expect(json.status, json.text).toBe(200);
    expect(json.body).toEqual({ imported: 3, replaced: 0, errors: [] });
    const bare = await api('POST', `${base}/import`, { body: [{ question: 'Array form?', answer: 'Works too.' }] });
    expect(bare.body.imported).toBe(1);
    // An API-created row has the category default; the null category came through the import.
    const snapshot = async () => (await api('GET', `${base}/export?format=json`)).body.rows;
    const original = await snapshot();
    expect(original).toHaveLength(4);
    expect(original[1]).toEqual({
      question: 'Formula =1+2?',
      answer: '=HYPERLINK("x") stays text',
      data_type: 'example',
      category: null,
      priority: 5,
      confidence_score: 1,
      is_active: false,
      variants: [],
    });

    const csvExport = await api('GET', `${base}/export?format=csv`);
    expect(csvExport.status).toBe(200);
    expect(csvExport.headers.get('content-type')).toContain('text/csv');
    expect(csvExport.headers.get('content-disposition')).toMatch(/^attachment; filename="training-.*\.csv"$/);
    expect(csvExport.text.split('\r\n')[0]).toBe(`${CSV_HEADER},variants`);
    const replaced = await csvImport(tenant.id, csvExport.text, '?mode=replace');
    expect(replaced.body).toMatchObject({ imported: 4, replaced: 4, errors: [] });
    // CSV has no null: the empty category cell comes back as the default category.
    expect(await snapshot()).toEqual(
      original.map((r: { category: string | null }) => ({ ...r, category: r.category ?? 'general' })),
    );

    const jsonExport = await api('GET', `${base}/export`);
    expect(jsonExport.headers.get('content-type')).toContain('application/json');
    expect(jsonExport.headers.get('content-disposition')).toMatch(/filename="training-.*\.json"$/);
    const again = await api('POST', `${base}/import?mode=replace`, { rawBody: jsonExport.text });
    expect(again.body).toMatchObject({ imported: 4, replaced: 4 });
    expect(await snapshot()).toEqual(jsonExport.body.rows);
    expect(await count('bot_training_data', tenant.id)).toBe(4);
    const imports = (await audit(tenant.id, 'training_data')).filter((a) => a.action === 'import');
    expect(imports).toHaveLength(4);
    expect(imports[2]).toMatchObject({
      before: { row_count: 4, replaced_rows_omitted: 0 },
      after: { mode: 'replace', imported: 4 },
    });
    expect(imports[2]?.before.replaced_rows).toHaveLength(4);
  });

  it('takes a CSV import of close to 5 MB in one go', async () => {
    const tenant = await seedTenant(t);
    const answer = 'a'.repeat(300);
    const lines = Array.from({ length: 15_000 }, (_, i) => `Question number ${i}?,${answer}`);
    const csv = `question,answer\n${lines.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(4.5 * 1024 * 1024);
    const res = await csvImport(tenant.id, csv);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ imported: 15_000, errors: [] });
    const exported = await api('GET', `/tenants/${tenant.id}/training/export?format=json`);
    expect(exported.body.rows.map((r: { question: string }) => r.question)).toEqual(lines.map((l) => l.split(',')[0]));
  }, 60_000);

  it('lists message logs newest first, filtered by phone, direction, date, type and status', async () => {
    const tenant = await seedTenant(t);
    const other = await seedTenant(t);
    const insert = (
      tenantId: string,
      phone: string,
      direction: string,
      type: string,
      status: string,
      at: string,
      text: string,
    ) =>
      t.rows(`INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_type, status, created_at, message_text, whatsapp_message_id)
        VALUES (${lit(tenantId)}, ${lit(phone)}, ${lit(direction)}, ${lit(type)}, ${lit(status)}, ${lit(at)}, ${lit(text)}, ${lit(`wamid.${text}`)})`);
    await insert(tenant.id, '254700000001', 'inbound', 'text', 'answered', '2024-03-01T08:00:00Z', 'm1');
    await insert(tenant.id, '254700000001', 'outbound', 'text', 'delivered', '2024-03-01T08:00:05Z', 'm2');
    await insert(tenant.id, '254700000002', 'inbound', 'image', 'skipped', '2024-03-02T12:00:00Z', 'm3');
    await insert(tenant.id, '254700000002', 'outbound', 'text', 'failed', '2024-03-03T23:59:59Z', 'm4');
    await insert(other.id, '254700000001', 'inbound', 'text', 'answered', '2024-03-02T00:00:00Z', 'theirs');
    const texts = async (query: string) => {
      const res = await api('GET', `/tenants/${tenant.id}/messages${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body.data.map((m: { message_text: string }) => m.message_text);
    };
    expect(await texts('')).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(await texts(`?user_phone=${encodeURIComponent('+254 700 000001')}`)).toEqual(['m2', 'm1']);
    expect(await texts('?direction=inbound')).toEqual(['m3', 'm1']);
    expect(await texts('?message_type=image')).toEqual(['m3']);
    expect(await texts('?status=failed')).toEqual(['m4']);
    expect(await texts('?from=2024-03-02&to=2024-03-03')).toEqual(['m4', 'm3']);
    expect(
      await texts(
        `?from=${encodeURIComponent('2024-03-01T08:00:01Z')}&to=${encodeURIComponent('2024-03-03T00:00:00+00:00')}`,
      ),
    ).toEqual(['m3', 'm2']);
    const paged = await api('GET', `/tenants/${tenant.id}/messages?limit=3&page=2`);
    expect(paged.body).toMatchObject({ page: 2, limit: 3, total: 4 });
    expect(paged.body.data[0]).toMatchObject({
      message_text: 'm1',
      direction: 'inbound',
      user_phone: '254700000001',
      status: 'answered',
      created_at: '2024-03-01T08:00:00.000Z',
    });
    expect((await api('GET', `/tenants/${MISSING_ID}/messages`)).status).toBe(404);
  });

  it('answers the very next webhook message with an FAQ added through the API', async () => {
    const tenant: SeededTenant = await seedTenant(t);
    const customer = '254799000111';
    const question = 'Do you sell violin strings?';
    // A first message loads (and caches) the tenant's context before the FAQ exists.
    const before = textMessage(customer, question);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [before] }))).status).toBe(200);
    await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === before['id']));
    expect(t.graph.sentTexts().find((s) => s.replyTo === before['id'])?.body).toContain('Fake answer');

    const faq = await api('POST', `/tenants/${tenant.id}/training`, {
      body: {
        question,
        answer: "Yes: D'Addario and Pirastro, from KES 2,000 a set.",
        priority: 10,
        confidence_score: 0.95,
      },
    });
    expect(faq.status, faq.text).toBe(201);
    const next = textMessage(customer, 'do you sell violin strings');
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [next] }))).status).toBe(200);
    const sent = await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === next['id']));
    expect(sent.body).toBe("Yes: D'Addario and Pirastro, from KES 2,000 a set.");
  });

  it('answers bad input on every endpoint with 4xx naming the problem, and writes nothing', async () => {
    const tenant = await seedTenant(t);
    const tpl = (await api('POST', `/tenants/${tenant.id}/templates`, { body: { template_name: 'Main' } })).body;
    const row = (await api('POST', `/tenants/${tenant.id}/training`, { body: { question: 'Q?', answer: 'A.' } })).body;
    await api('GET', `/tenants/${tenant.id}/settings`);
    const snapshot = async () => ({
      counts: await Promise.all(
        ['bot_templates', 'bot_training_data', 'bot_control_settings'].map((table) => count(table, tenant.id)),
      ),
      audit: Number(
        (
          await t.rows<{ n: number }>(
            `SELECT count(*)::int AS n FROM alphadome.audit_log WHERE bot_tenant_id = ${lit(tenant.id)}`,
          )
        )[0]?.n,
      ),
      rows: await t.rows(`SELECT t.template_name, t.updated_at, d.question, d.answer, d.updated_at AS d_updated, s.updated_at AS s_updated
        FROM alphadome.bot_templates t, alphadome.bot_training_data d, alphadome.bot_control_settings s
        WHERE t.bot_tenant_id = ${lit(tenant.id)} AND d.bot_tenant_id = t.bot_tenant_id AND s.bot_tenant_id = t.bot_tenant_id`),
    });
    const before = await snapshot();
    const templates = `/tenants/${tenant.id}/templates`;
    const training = `/tenants/${tenant.id}/training`;
    const cases = badInputCases({ tenantId: tenant.id, templateId: tpl.id, rowId: row.id });
    for (const [method, path, body, expected] of cases) {
      const res = await api(method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}: ${res.text}`).toBe(400);
      expect(res.body.error).toBe('Invalid request');
      expect(res.body.details, `${method} ${path}`).toContain(expected);
    }
    for (const [csv, status, expected] of BAD_CSV_CASES) {
      const res = await csvImport(tenant.id, csv);
      expect(res.status, res.text).toBe(status);
      expect(res.body.details).toContain(expected);
    }
    const malformed = await api('POST', training, { rawBody: '{"question": "Q?",' });
    expect(malformed.status).toBe(400);
    const xml = await api('POST', `${training}/import`, { rawBody: '<rows/>', contentType: 'application/xml' });
    expect(xml.status).toBe(415);
    const huge = await csvImport(tenant.id, `question,answer\n${'Q?,A.\n'.repeat(900_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('Payload too large');
    const tooBigForJson = await api('POST', training, { body: { question: 'Q?', answer: 'a'.repeat(70_000) } });
    expect(tooBigForJson.status).toBe(413);
    expect(await snapshot()).toEqual(before);

    // Injection strings are data: stored and returned literally, with no effect.
    const nasty = {
      question: "'; DROP TABLE alphadome.bot_training_data; --",
      answer: "<script>alert(1)</script> {{7*7}} ${process.env.X} ' OR 1=1",
    };
    const stored = await api('POST', training, { body: { ...nasty, category: "x' OR 'a'='a" } });
    expect(stored.status, stored.text).toBe(201);
    expect(
      await t.rows(`SELECT question, answer FROM alphadome.bot_training_data WHERE id = ${lit(stored.body.id)}`),
    ).toEqual([nasty]);
    expect(await count('bot_training_data', tenant.id)).toBe(2);
    const search = await api(
      'GET',
      `${training}?q=${encodeURIComponent("' OR '1'='1")}&category=${encodeURIComponent("x' OR 'a'='a")}`,
    );
    expect(search.body.total).toBe(0);
    const literal = await api(
      'GET',
      `${training}?q=${encodeURIComponent("' OR 1=1")}&category=${encodeURIComponent("x' OR 'a'='a")}`,
    );
    expect(literal.body.data.map((r: { id: string }) => r.id)).toEqual([stored.body.id]);
    const named = await api('PATCH', `${templates}/${tpl.id}`, {
      body: { template_name: 'Robert"); DELETE FROM alphadome.audit_log; --' },
    });
    expect(named.body.template_name).toBe('Robert"); DELETE FROM alphadome.audit_log; --');
    expect((await snapshot()).audit).toBe(before.audit + 2);
  });

  it('documents every endpoint in the OpenAPI document', async () => {
    const doc = await client.call('GET', '/docs/json', { token: null });
    expect(doc.status, doc.text).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      'templates',
      'templates/{templateId}',
      'training',
      'training/{rowId}',
      'training/import',
      'training/export',
      'settings',
      'messages',
    ]) {
      expect(paths).toContain(`/api/v1/tenants/{tenantId}/${path}`);
    }
    const settings =
      doc.body.paths['/api/v1/tenants/{tenantId}/settings'].put.requestBody.content['application/json'].schema;
    expect(settings.properties.max_messages_per_hour).toMatchObject({ minimum: 0, maximum: 1_000_000 });
  });

  it("answers 404 for another tenant's template and row ids, and for another tenant through a key", async () => {
    const mine = await seedTenant(t);
    const theirs = await seedTenant(t);
    const template = (await api('POST', `/tenants/${theirs.id}/templates`, { body: { template_name: 'Theirs' } })).body;
    const row = (
      await api('POST', `/tenants/${theirs.id}/training`, { body: { question: 'Theirs?', answer: 'Theirs.' } })
    ).body;
    for (const [method, path, body] of [
      ['GET', `/tenants/${mine.id}/templates/${template.id}`],
      ['PATCH', `/tenants/${mine.id}/templates/${template.id}`, { template_name: 'Stolen' }],
      ['DELETE', `/tenants/${mine.id}/templates/${template.id}`],
      ['GET', `/tenants/${mine.id}/training/${row.id}`],
      ['PUT', `/tenants/${mine.id}/training/${row.id}`, { answer: 'Stolen.' }],
      ['DELETE', `/tenants/${mine.id}/training/${row.id}`],
    ] as const) {
      const res = await api(method, path, body ? { body } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error).toBe('Not found');
    }
    const key = await newKey(mine.id);
    for (const path of [
      'templates',
      'training',
      'training/export',
      'settings',
      'messages',
      `templates/${template.id}`,
    ]) {
      const res = await api('GET', `/tenants/${theirs.id}/${path}`, { token: key.key });
      const missing = await api('GET', `/tenants/${MISSING_ID}/${path}`, { token: key.key });
      expect(res.status, path).toBe(404);
      expect(res.body.details.replace(theirs.id, 'ID'), path).toBe(missing.body.details.replace(MISSING_ID, 'ID'));
    }
    expect(
      (await api('POST', `/tenants/${theirs.id}/training`, { token: key.key, body: { question: 'x', answer: 'y' } }))
        .status,
    ).toBe(404);
    expect((await api('GET', `/tenants/${MISSING_ID}/templates`)).status).toBe(404);
    expect((await api('POST', `/tenants/${MISSING_ID}/templates`, { body: { template_name: 'Ghost' } })).status).toBe(
      404,
    );
    expect((await api('GET', `/tenants/${MISSING_ID}/settings`)).status).toBe(404);
    expect(
      await t.rows(
        `SELECT 1 FROM alphadome.bot_templates WHERE bot_tenant_id = ${lit(theirs.id)} AND template_name = 'Theirs'`,
      ),
    ).toHaveLength(1);
    expect(await count('bot_control_settings', MISSING_ID)).toBe(0);
  });
});
