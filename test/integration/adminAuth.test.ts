import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/modules/tenants/apiKeyFormat.js';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import { lit } from '../support/seed.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const MISSING_ID = '0b7e5a52-1f0c-4c1e-9e4b-5d8a33f0a9c1';

describe.each(testEngines())('admin API: who may call what (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
  });
  afterAll(async () => t?.stop());

  const newTenant = async (name = 'Scoped Shop') => {
    const res = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: name, client_phone: uniquePhone(), credentials: { ai_api_key: 'sk-tenant-secret-9876' } },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; client_name: string; client_phone: string; updated_at: string };
  };
  const newKey = async (tenantId: string, token: string = ADMIN_TOKEN) => {
    const res = await api.call('POST', `/api/v1/tenants/${tenantId}/api-keys`, { token, body: { name: 'dashboard' } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; key: string; prefix: string };
  };
  const auditOf = (tenantId: string) =>
    t.rows<{ actor: string; action: string; entity: string; text: string }>(
      `SELECT actor, action, entity, coalesce(before::text, '') || coalesce(after::text, '') AS text
       FROM alphadome.audit_log WHERE bot_tenant_id = '${tenantId}' ORDER BY created_at`,
    );

  it('lets a tenant key change its own name but not its routing or whether it is switched on', async () => {
    const tenant = await newTenant('Self-service Shop');
    const { key } = await newKey(tenant.id);
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { token: key, body: { client_name: 'Renamed Shop' } }))
        .status,
    ).toBe(200);
    for (const body of [
      { is_active: true },
      { whatsapp_phone_number_id: '999000111' },
      { client_phone: uniquePhone() },
      { brand_id: 'other' },
    ]) {
      const res = await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { token: key, body });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.details).toContain(Object.keys(body)[0]);
    }
    const after = (await api.call('GET', `/api/v1/tenants/${tenant.id}`)).body;
    expect(after).toMatchObject({
      client_name: 'Renamed Shop',
      client_phone: tenant.client_phone,
      whatsapp_phone_number_id: null,
      brand_id: null,
    });
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { body: { whatsapp_phone_number_id: '999000111' } }))
        .status,
    ).toBe(200);
  });

  it('answers 401 without a token, with a wrong one or a revoked-looking one, before any validation', async () => {
    for (const token of [null, 'wrong-token', `${ADMIN_TOKEN}x`, generateApiKey().key]) {
      const res = await api.call('GET', '/api/v1/tenants', { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.body.error).toBe('Unauthorized');
      expect(typeof res.body.details).toBe('string');
    }
    const basic = await fetch(`${t.baseUrl}/api/v1/tenants`, { headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
    const invalidBody = await api.call('POST', '/api/v1/tenants', { token: null, body: { nonsense: true } });
    expect(invalidBody.status).toBe(401);
  });

  it('creates a key shown once, keeps only its hash, lists it by prefix, and notes its last use', async () => {
    const tenant = await newTenant();
    const created = await newKey(tenant.id);
    expect(created.key).toMatch(/^adk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    expect(created).not.toHaveProperty('key_hash');

    const [row] = await t.rows<{ key_hash: string; text: string }>(
      `SELECT key_hash, row_to_json(k)::text AS text FROM alphadome.api_keys k WHERE id = '${created.id}'`,
    );
    expect(row?.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(row?.text).not.toContain(created.key);
    expect(row?.text).not.toContain(created.key.slice(13));

    const listed = await api.call('GET', `/api/v1/tenants/${tenant.id}/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      {
        id: created.id,
        name: 'dashboard',
        prefix: created.prefix,
        created_by: 'admin',
        created_at: expect.any(String),
        last_used_at: null,
        revoked_at: null,
      },
    ]);
    expect(listed.text).not.toContain(created.key.slice(13));
    expect(listed.text).not.toContain(row?.key_hash);

    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}`, { token: created.key })).status).toBe(200);
    const used = (await api.call('GET', `/api/v1/tenants/${tenant.id}/api-keys`)).body.data[0];
    expect(used.last_used_at).not.toBeNull();
    // At most one write a minute per key: an immediate second use leaves the time as it was.
    await api.call('GET', `/api/v1/tenants/${tenant.id}`, { token: created.key });
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}/api-keys`)).body.data[0].last_used_at).toBe(
      used.last_used_at,
    );
    expect((await auditOf(tenant.id)).map((a) => `${a.actor} ${a.action} ${a.entity}`)).toEqual([
      'admin create tenant',
      'admin create api_key',
    ]);
  });

  it('lets a tenant key manage its own tenant, audited as api_key:<prefix>, with no secret in the audit', async () => {
    const tenant = await newTenant();
    const { key, prefix } = await newKey(tenant.id);
    const as = { token: key };
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { ...as, body: { ai_model: 'gpt-4o' } })).status,
    ).toBe(200);
    const creds = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
      ...as,
      body: { whatsapp_access_token: 'EAAG-own-token-5555' },
    });
    expect(creds.body.whatsapp_access_token).toEqual({ set: true, last4: '5555' });
    const second = await newKey(tenant.id, key);
    expect((await api.call('DELETE', `/api/v1/tenants/${tenant.id}/api-keys/${second.id}`, as)).status).toBe(204);
    expect((await api.call('POST', `/api/v1/tenants/${tenant.id}/deactivate`, as)).status).toBe(200);
    // Switched off, its own key is refused too (tenantKeyBoundary.test.ts); the administrator reads the trail.
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}/audit`, as)).status).toBe(403);
    const trail = await api.call('GET', `/api/v1/tenants/${tenant.id}/audit`);
    expect(trail.status).toBe(200);
    expect(
      trail.body.data
        .map((a: { actor: string; action: string; entity: string }) => `${a.actor} ${a.action} ${a.entity}`)
        .reverse(),
    ).toEqual([
      'admin create tenant',
      'admin create api_key',
      `api_key:${prefix} update tenant`,
      `api_key:${prefix} update credentials`,
      `api_key:${prefix} create api_key`,
      `api_key:${prefix} revoke api_key`,
      `api_key:${prefix} update tenant`,
    ]);
    for (const entry of await auditOf(tenant.id)) {
      for (const secret of ['EAAG-own-token-5555', 'sk-tenant-secret-9876', key, second.key])
        expect(entry.text).not.toContain(secret);
    }
  });

  it('stops a revoked key at once (401); revoking is idempotent and scoped to the tenant', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const keyA = await newKey(a.id);
    const keyB = await newKey(b.id);
    // B's key id through A's path is not A's key.
    expect((await api.call('DELETE', `/api/v1/tenants/${a.id}/api-keys/${keyB.id}`)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/tenants/${b.id}`, { token: keyB.key })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/tenants/${a.id}/api-keys/not-a-uuid`)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/tenants/${a.id}/api-keys/${MISSING_ID}`)).status).toBe(404);

    expect((await api.call('DELETE', `/api/v1/tenants/${a.id}/api-keys/${keyA.id}`)).status).toBe(204);
    const refused = await api.call('GET', `/api/v1/tenants/${a.id}`, { token: keyA.key });
    expect(refused).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
    expect((await api.call('DELETE', `/api/v1/tenants/${a.id}/api-keys/${keyA.id}`)).status).toBe(204);
    const listed = await api.call('GET', `/api/v1/tenants/${a.id}/api-keys`);
    expect(listed.body.data[0].revoked_at).not.toBeNull();
    expect((await auditOf(a.id)).filter((e) => e.action === 'revoke')).toHaveLength(1);
  });

  it('answers 404 to a tenant key on every endpoint of another tenant, exactly as for a missing one, and changes nothing', async () => {
    const mine = await newTenant('Mine Ltd');
    const theirs = await newTenant('Theirs Secretive Ltd');
    const { key } = await newKey(mine.id);
    const theirKey = await newKey(theirs.id);
    const auditBefore = await auditOf(theirs.id);
    const [rowBefore] = await t.rows(`SELECT * FROM alphadome.bot_tenants WHERE id = '${theirs.id}'`);

    const endpoints = (id: string): [string, string, unknown][] => [
      ['GET', `/api/v1/tenants/${id}`, undefined],
      ['PATCH', `/api/v1/tenants/${id}`, { client_name: 'Hijacked' }],
      ['PATCH', `/api/v1/tenants/${id}`, { client_name: 42 }],
      ['POST', `/api/v1/tenants/${id}/deactivate`, undefined],
      ['GET', `/api/v1/tenants/${id}/credentials`, undefined],
      ['PUT', `/api/v1/tenants/${id}/credentials`, { ai_api_key: 'sk-hijacker-000000' }],
      ['GET', `/api/v1/tenants/${id}/api-keys`, undefined],
      ['POST', `/api/v1/tenants/${id}/api-keys`, { name: 'backdoor' }],
      ['DELETE', `/api/v1/tenants/${id}/api-keys/${theirKey.id}`, undefined],
      ['GET', `/api/v1/tenants/${id}/audit`, undefined],
    ];
    for (const id of [theirs.id, MISSING_ID, 'not-a-uuid']) {
      for (const [method, path, body] of endpoints(id)) {
        const res = await api.call(method, path, { token: key, ...(body === undefined ? {} : { body }) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body).toEqual({ error: 'Not found', details: `Tenant ${id} does not exist` });
        expect(res.text).not.toContain('Theirs');
      }
    }
    expect(await auditOf(theirs.id)).toEqual(auditBefore);
    expect((await t.rows(`SELECT * FROM alphadome.bot_tenants WHERE id = '${theirs.id}'`))[0]).toEqual(rowBefore);
    expect((await api.call('GET', `/api/v1/tenants/${theirs.id}`, { token: theirKey.key })).status).toBe(200);
  });

  it('answers 403 to a tenant key on administrator-only endpoints, and changes nothing', async () => {
    const mine = await newTenant();
    const other = await newTenant();
    const { key } = await newKey(mine.id);
    const [before] = await t.rows<{ n: number }>('SELECT count(*)::int AS n FROM alphadome.bot_tenants');
    const calls: [string, string, unknown][] = [
      ['GET', '/api/v1/tenants', undefined],
      ['POST', '/api/v1/tenants', { client_name: 'Sneaky', client_phone: uniquePhone() }],
      ['DELETE', `/api/v1/tenants/${mine.id}`, undefined],
      ['DELETE', `/api/v1/tenants/${other.id}`, undefined],
      ['POST', '/api/v1/admin/encryption/rotate', undefined],
    ];
    for (const [method, path, body] of calls) {
      const res = await api.call(method, path, { token: key, ...(body === undefined ? {} : { body }) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toEqual({
        error: 'Forbidden',
        details: 'Only the platform administrator may call this endpoint',
      });
    }
    const [after] = await t.rows<{ n: number }>('SELECT count(*)::int AS n FROM alphadome.bot_tenants');
    expect(after?.n).toBe(before?.n);
  });

  it("ends a deleted tenant's keys", async () => {
    const tenant = await newTenant();
    const { key } = await newKey(tenant.id);
    expect((await api.call('DELETE', `/api/v1/tenants/${tenant.id}`)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/tenants/${tenant.id}`, { token: key })).status).toBe(401);
  });

  it('lets the administrator rotate the encryption of every stored secret', async () => {
    const res = await api.call('POST', '/api/v1/admin/encryption/rotate');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ rewritten: expect.any(Number) });
  });

  it('turns administrator access off when ADMIN_API_TOKEN is unset; tenant keys still work', async () => {
    const bare = await startTestApp({ engine });
    try {
      const client = adminClient(bare.baseUrl);
      for (const token of [ADMIN_TOKEN, 'undefined', 'null'])
        expect((await client.call('GET', '/api/v1/tenants', { token })).status).toBe(401);
      const [tenant] = await bare.rows<{ id: string }>(
        `INSERT INTO alphadome.bot_tenants (client_name, client_phone) VALUES ('Keyed', ${lit(uniquePhone())}) RETURNING id`,
      );
      const key = generateApiKey();
      await bare.rows(`INSERT INTO alphadome.api_keys (bot_tenant_id, name, prefix, key_hash, created_by)
        VALUES ('${tenant?.id}', 'seeded', '${key.prefix}', '${key.hash}', 'test')`);
      expect((await client.call('GET', `/api/v1/tenants/${tenant?.id}`, { token: key.key })).status).toBe(200);
      expect((await client.call('GET', '/api/v1/tenants', { token: key.key })).status).toBe(403);
    } finally {
      await bare.stop();
    }
  });
});
