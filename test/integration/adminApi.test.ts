import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const SECRETS = {
  whatsapp_access_token: 'EAAGsecret-token-0001-WXYZ',
  ai_api_key: 'sk-secret-ai-key-0002-ABCD',
  whatsapp_app_secret: 'app-secret-value-0003-EFGH',
  openrouter: 'sk-or-fallback-key-0004-IJKL',
};

describe.each(testEngines())('admin API: tenants, credentials, audit, docs (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
  });
  afterAll(async () => t?.stop());

  const tenantCount = async () =>
    Number((await t.rows<{ n: number }>('SELECT count(*)::int AS n FROM alphadome.bot_tenants'))[0]?.n);
  const auditRows = (tenantId: string) =>
    t.rows<{ actor: string; action: string; entity: string; before: unknown; after: unknown; text: string }>(
      `SELECT actor, action, entity, before, after, coalesce(before::text, '') || ' ' || coalesce(after::text, '') AS text
       FROM alphadome.audit_log WHERE bot_tenant_id = '${tenantId}' ORDER BY created_at`,
    );
  const createTenant = async (fields: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Acme Music', client_phone: uniquePhone(), ...fields },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; client_phone: string; client_name: string };
  };

  it('creates a tenant with credentials and never shows a secret: only whether it is set and its last four', async () => {
    const res = await api.call('POST', '/api/v1/tenants', {
      body: {
        client_name: 'Nairobi Music Store',
        client_phone: uniquePhone(),
        whatsapp_phone_number_id: '119202345670001',
        ai_provider: 'openai',
        ai_model: 'gpt-4o-mini',
        metadata: { city: 'Nairobi' },
        credentials: {
          whatsapp_access_token: SECRETS.whatsapp_access_token,
          ai_api_key: SECRETS.ai_api_key,
          whatsapp_app_secret: SECRETS.whatsapp_app_secret,
          fallback_keys: { openrouter: SECRETS.openrouter },
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      client_name: 'Nairobi Music Store',
      ai_provider: 'openai',
      is_active: true,
      metadata: { city: 'Nairobi' },
    });
    expect(res.body.credentials).toEqual({
      whatsapp_access_token: { set: true, last4: 'WXYZ' },
      ai_api_key: { set: true, last4: 'ABCD' },
      whatsapp_app_secret: { set: true, last4: 'EFGH' },
      fallback_keys: {
        openai: { set: false, last4: null },
        openrouter: { set: true, last4: 'IJKL' },
        huggingface: { set: false, last4: null },
      },
      mpesa_consumer_key: { set: false, last4: null },
      mpesa_consumer_secret: { set: false, last4: null },
      mpesa_passkey: { set: false, last4: null },
    });
    const id = res.body.id as string;
    for (const path of [
      `/api/v1/tenants/${id}`,
      `/api/v1/tenants/${id}/credentials`,
      `/api/v1/tenants?q=Nairobi`,
      `/api/v1/tenants/${id}/audit`,
    ]) {
      const read = await api.call('GET', path);
      expect(read.status).toBe(200);
      for (const secret of Object.values(SECRETS)) expect(read.text).not.toContain(secret);
    }
    for (const secret of Object.values(SECRETS)) expect(res.text).not.toContain(secret);
    // At rest too, nothing is in clear.
    const [row] = await t.rows<{ text: string }>(
      `SELECT row_to_json(t)::text AS text FROM alphadome.bot_tenants t WHERE id = '${id}'`,
    );
    for (const secret of Object.values(SECRETS)) expect(row?.text).not.toContain(secret);
  });

  it('lists, searches by name or phone digits, and paginates', async () => {
    const tag = `Zebra${Date.now()}`;
    const made = [];
    for (const n of [1, 2, 3]) made.push(await createTenant({ client_name: `${tag} Shop ${n}` }));
    const page1 = await api.call('GET', `/api/v1/tenants?q=${tag.toLowerCase()}&limit=2&page=1`);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(page1.body.data.map((x: { client_name: string }) => x.client_name)).toEqual([
      `${tag} Shop 1`,
      `${tag} Shop 2`,
    ]);
    const page2 = await api.call('GET', `/api/v1/tenants?q=${tag}&limit=2&page=2`);
    expect(page2.body.data.map((x: { client_name: string }) => x.client_name)).toEqual([`${tag} Shop 3`]);
    const digits = made[1]!.client_phone.replace(/\D/g, '');
    const byPhone = await api.call('GET', `/api/v1/tenants?q=${digits}`);
    expect(byPhone.body.data.map((x: { id: string }) => x.id)).toEqual([made[1]!.id]);
    const all = await api.call('GET', '/api/v1/tenants');
    expect(all.body).toMatchObject({ page: 1, limit: 20 });
    expect(all.body.total).toBeGreaterThanOrEqual(3);
  });

  it('reads, updates, deactivates and deletes a tenant, writing an audit row for each change', async () => {
    const tenant = await createTenant();
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}`)).body.client_name).toBe('Acme Music');
    const patched = await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, {
      body: { client_name: 'Acme Music & Co', ai_provider: 'openrouter', webhook_url: 'https://example.com/hook' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      client_name: 'Acme Music & Co',
      ai_provider: 'openrouter',
      webhook_url: 'https://example.com/hook',
    });
    const deactivated = await api.call('POST', `/api/v1/tenants/${tenant.id}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.is_active).toBe(false);
    // A second deactivation changes nothing and writes nothing.
    expect((await api.call('POST', `/api/v1/tenants/${tenant.id}/deactivate`)).body.is_active).toBe(false);
    const removed = await api.call('DELETE', `/api/v1/tenants/${tenant.id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(await api.call('GET', `/api/v1/tenants/${tenant.id}`)).toMatchObject({
      status: 404,
      body: { error: 'Not found', details: `Tenant ${tenant.id} does not exist` },
    });
    expect((await api.call('DELETE', `/api/v1/tenants/${tenant.id}`)).status).toBe(404);

    const audit = await auditRows(tenant.id);
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.entity}`)).toEqual([
      'admin create tenant',
      'admin update tenant',
      'admin update tenant',
      'admin delete tenant',
    ]);
    expect(audit[1]).toMatchObject({
      before: { client_name: 'Acme Music' },
      after: { client_name: 'Acme Music & Co' },
    });
    expect(audit[2]).toMatchObject({ before: { is_active: true }, after: { is_active: false } });
    // The trail outlives the tenant and stays readable, newest first.
    const trail = await api.call('GET', `/api/v1/tenants/${tenant.id}/audit?limit=2`);
    expect(trail.status).toBe(200);
    expect(trail.body).toMatchObject({ total: 4, limit: 2 });
    expect(trail.body.data.map((a: { action: string }) => a.action)).toEqual(['delete', 'update']);
  });

  it('sets, keeps and clears credentials; the audit holds no secret', async () => {
    const tenant = await createTenant();
    const set = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
      body: { whatsapp_access_token: SECRETS.whatsapp_access_token, fallback_keys: { openrouter: SECRETS.openrouter } },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.whatsapp_access_token).toEqual({ set: true, last4: 'WXYZ' });
    expect(set.body.fallback_keys.openrouter).toEqual({ set: true, last4: 'IJKL' });
    const second = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
      body: { ai_api_key: SECRETS.ai_api_key, fallback_keys: { openrouter: null } },
    });
    expect(second.body).toMatchObject({
      whatsapp_access_token: { set: true, last4: 'WXYZ' },
      ai_api_key: { set: true, last4: 'ABCD' },
      fallback_keys: { openrouter: { set: false, last4: null } },
    });
    const cleared = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
      body: { whatsapp_access_token: null },
    });
    expect(cleared.body.whatsapp_access_token).toEqual({ set: false, last4: null });
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}/credentials`)).body).toEqual(cleared.body);

    const audit = await auditRows(tenant.id);
    expect(audit.filter((a) => a.entity === 'credentials')).toHaveLength(3);
    for (const row of audit) for (const secret of Object.values(SECRETS)) expect(row.text).not.toContain(secret);
  });

  it('refuses a duplicate phone number (also written differently) with 409 and writes nothing', async () => {
    const first = await createTenant();
    const before = await tenantCount();
    const auditBefore = (await t.rows('SELECT id FROM alphadome.audit_log')).length;
    const same = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Copycat', client_phone: first.client_phone },
    });
    expect(same.status).toBe(409);
    expect(same.body).toEqual({ error: 'Conflict', details: 'client_phone is already used by another tenant' });
    const digitsOnly = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Copycat', client_phone: first.client_phone.replace(/\D/g, '') },
    });
    expect(digitsOnly.status).toBe(409);
    const other = await createTenant();
    const patch = await api.call('PATCH', `/api/v1/tenants/${other.id}`, {
      body: { client_phone: first.client_phone },
    });
    expect(patch.status).toBe(409);
    expect(await tenantCount()).toBe(before + 1);
    expect((await t.rows('SELECT id FROM alphadome.audit_log')).length).toBe(auditBefore + 1);
    expect((await api.call('GET', `/api/v1/tenants/${other.id}`)).body.client_phone).toBe(other.client_phone);
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const tenant = await createTenant();
    const before = await tenantCount();
    const cases: [string, string, string, unknown, string][] = [
      ['POST', '/api/v1/tenants', 'wrong type', { client_name: 123, client_phone: uniquePhone() }, 'body.client_name'],
      ['POST', '/api/v1/tenants', 'missing field', { client_name: 'No Phone' }, 'body.client_phone'],
      [
        'POST',
        '/api/v1/tenants',
        'unknown field',
        { client_name: 'X', client_phone: uniquePhone(), is_admin: true },
        'body.is_admin: is not a known field',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'unknown credential',
        { client_name: 'X', client_phone: uniquePhone(), credentials: { password: 'x' } },
        'body.credentials.password',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'long name',
        { client_name: 'n'.repeat(256), client_phone: uniquePhone() },
        'body.client_name',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'empty name',
        { client_name: '   ', client_phone: uniquePhone() },
        'body.client_name',
      ],
      ['POST', '/api/v1/tenants', 'bad phone', { client_name: 'X', client_phone: '12ab' }, 'body.client_phone'],
      [
        'POST',
        '/api/v1/tenants',
        'short phone',
        { client_name: 'X', client_phone: '+1 234' },
        'body.client_phone: must have 7 to 20 digits',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'provider',
        { client_name: 'X', client_phone: uniquePhone(), ai_provider: 'anthropic' },
        'body.ai_provider',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'long token',
        { client_name: 'X', client_phone: uniquePhone(), credentials: { ai_api_key: 'k'.repeat(4097) } },
        'body.credentials.ai_api_key',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'big metadata',
        { client_name: 'X', client_phone: uniquePhone(), metadata: { blob: 'm'.repeat(17_000) } },
        'body.metadata: must be at most 16 KB',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'metadata array',
        { client_name: 'X', client_phone: uniquePhone(), metadata: [1, 2] },
        'body.metadata',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'keys in metadata',
        { client_name: 'X', client_phone: uniquePhone(), metadata: { fallback_keys: { openai: 'sk' } } },
        'body.metadata',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'NUL byte',
        { client_name: 'A\u0000B', client_phone: uniquePhone() },
        'body.client_name',
      ],
      [
        'POST',
        '/api/v1/tenants',
        'url',
        { client_name: 'X', client_phone: uniquePhone(), webhook_url: 'javascript:alert(1)' },
        'body.webhook_url',
      ],
      ['POST', '/api/v1/tenants', 'not an object', [1, 2, 3], 'body:'],
      ['PATCH', `/api/v1/tenants/${tenant.id}`, 'empty patch', {}, 'body: give at least one field'],
      ['PATCH', `/api/v1/tenants/${tenant.id}`, 'wrong type', { is_active: 'yes' }, 'body.is_active'],
      [
        'PATCH',
        `/api/v1/tenants/${tenant.id}`,
        'tenant id in body',
        { id: '00000000-0000-0000-0000-000000000000' },
        'body.id: is not a known field',
      ],
      ['PUT', `/api/v1/tenants/${tenant.id}/credentials`, 'empty secret', { ai_api_key: '' }, 'body.ai_api_key'],
      [
        'PUT',
        `/api/v1/tenants/${tenant.id}/credentials`,
        'unknown provider',
        { fallback_keys: { anthropic: 'sk-1234567890' } },
        'body.fallback_keys.anthropic',
      ],
      ['GET', '/api/v1/tenants?limit=101', 'limit', undefined, 'query.limit'],
      ['GET', '/api/v1/tenants?page=0', 'page', undefined, 'query.page'],
      ['GET', '/api/v1/tenants?page=abc', 'page type', undefined, 'query.page'],
      ['POST', `/api/v1/tenants/${tenant.id}/api-keys`, 'key name', { name: 7 }, 'body.name'],
    ];
    for (const [method, path, label, body, expected] of cases) {
      const res = await api.call(method, path, body === undefined ? {} : { body });
      expect(res.status, `${label}: ${res.text}`).toBe(400);
      expect(res.body.error, label).toBe('Invalid request');
      expect(res.body.details, label).toContain(expected);
    }
    const malformed = await api.call('POST', '/api/v1/tenants', { rawBody: '{"client_name": "x",' });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'Invalid request' } });
    const huge = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'X', client_phone: uniquePhone(), metadata: { blob: 'm'.repeat(70_000) } },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('Payload too large');
    expect(await tenantCount()).toBe(before);
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}`)).body.client_name).toBe('Acme Music');
    expect((await auditRows(tenant.id)).map((a) => a.action)).toEqual(['create']);
  });

  it('stores SQL injection strings literally: no error, no effect', async () => {
    const nasty = "Robert'); DROP TABLE alphadome.bot_tenants; --";
    const tenant = await createTenant({
      client_name: nasty,
      ai_model: "gpt' OR '1'='1",
      metadata: { note: "'; DELETE FROM alphadome.audit_log; --" },
    });
    expect(tenant.client_name).toBe(nasty);
    const [row] = await t.rows<{ client_name: string; ai_model: string }>(
      `SELECT client_name, ai_model FROM alphadome.bot_tenants WHERE id = '${tenant.id}'`,
    );
    expect(row).toEqual({ client_name: nasty, ai_model: "gpt' OR '1'='1" });
    const search = await api.call('GET', `/api/v1/tenants?q=${encodeURIComponent("%' OR 'a'='a' --")}`);
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(0);
    const wildcard = await api.call('GET', `/api/v1/tenants?q=${encodeURIComponent('%')}`);
    expect(wildcard.body.total).toBe(0);
    const found = await api.call('GET', `/api/v1/tenants?q=${encodeURIComponent("Robert');")}`);
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([tenant.id]);
    expect(await tenantCount()).toBeGreaterThan(0);
    expect((await auditRows(tenant.id)).length).toBe(1);
  });

  it('answers 404 in the spec shape for unknown and malformed tenant ids', async () => {
    for (const id of ['5b0f6f0e-8f5d-4c43-9d7e-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
      const res = await api.call('GET', `/api/v1/tenants/${encodeURIComponent(id)}/credentials`);
      expect(res).toMatchObject({ status: 404, body: { error: 'Not found', details: `Tenant ${id} does not exist` } });
    }
    const audit = await api.call('GET', '/api/v1/tenants/5b0f6f0e-8f5d-4c43-9d7e-000000000000/audit');
    expect(audit.status).toBe(404);
  });

  it('serves the OpenAPI document and the UI at /docs, without a CDN', async () => {
    const doc = await api.call('GET', '/docs/json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/api/v1/tenants',
      '/api/v1/tenants/{tenantId}',
      '/api/v1/tenants/{tenantId}/deactivate',
      '/api/v1/tenants/{tenantId}/credentials',
      '/api/v1/tenants/{tenantId}/api-keys',
      '/api/v1/tenants/{tenantId}/api-keys/{keyId}',
      '/api/v1/tenants/{tenantId}/audit',
      '/api/v1/admin/encryption/rotate',
    ])
      expect(paths).toContain(path);
    expect(paths).not.toContain('/webhook');
    expect(doc.body.paths['/api/v1/tenants'].post.requestBody.content['application/json'].schema.required).toEqual([
      'client_name',
      'client_phone',
    ]);
    const html = await fetch(`${t.baseUrl}/docs/static/index.html`);
    expect(html.status).toBe(200);
    const page = await html.text();
    expect(page).not.toMatch(/https?:\/\/(unpkg|cdn)/);
    const bundle = await fetch(`${t.baseUrl}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
