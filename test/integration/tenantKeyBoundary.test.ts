// What a tenant API key may not do (README: "What a tenant key may change"), through real HTTP:
// each refusal answers 403/400 with a clear body and writes nothing (row and audit log unchanged),
// and the administrator can still do it. Then the same rules at message time, and the AI circuit
// breaker that one tenant's slow model must not open for the others.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('tenant key boundary (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({
      engine,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        PLATFORM_MAX_MESSAGES_PER_HOUR: '500',
        PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY: '50',
        AI_SERVER_ALLOWED_MODELS: 'gpt-4o-mini, gpt-4.1-mini',
      },
    });
    api = adminClient(t.baseUrl);
  });
  afterAll(async () => t?.stop());
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
  });

  const newTenant = async (body: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Boundary Shop', client_phone: uniquePhone(), ...body },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string };
  };
  const newKey = async (tenantId: string, token: string = ADMIN_TOKEN) => {
    const res = await api.call('POST', `/api/v1/tenants/${tenantId}/api-keys`, { token, body: { name: 'key' } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; key: string; prefix: string; created_by: string };
  };
  /** The tenant's row, its settings and its audit trail: what a refused call must leave as it was. */
  // (A key's last_used_at is a hint that its first use sets: left out.)
  const snapshot = async (tenantId: string) =>
    t.rows(`SELECT (SELECT row_to_json(b)::text FROM alphadome.bot_tenants b WHERE id = '${tenantId}') AS tenant,
      (SELECT row_to_json(s)::text FROM alphadome.bot_control_settings s WHERE bot_tenant_id = '${tenantId}') AS settings,
      (SELECT json_agg(json_build_object('id', k.id, 'created_by', k.created_by, 'revoked_at', k.revoked_at) ORDER BY k.id)::text
        FROM alphadome.api_keys k WHERE bot_tenant_id = '${tenantId}') AS keys,
      (SELECT count(*)::int FROM alphadome.audit_log WHERE bot_tenant_id = '${tenantId}') AS audit`);
  const refused = async (
    tenantId: string,
    key: string,
    method: string,
    path: string,
    body: unknown,
    status: number,
    mention: string[],
  ) => {
    const before = await snapshot(tenantId);
    const res = await api.call(method, `/api/v1/tenants/${tenantId}${path}`, { token: key, body });
    expect(res.status, res.text).toBe(status);
    expect(res.body.error).toBe(status === 403 ? 'Forbidden' : 'Invalid request');
    for (const word of mention) expect(res.body.details).toContain(word);
    expect(await snapshot(tenantId)).toEqual(before);
  };

  it('refuses a tenant key the app secret and the verify token, on every route that sets them; the administrator sets both', async () => {
    const tenant = await newTenant();
    const { key } = await newKey(tenant.id);
    await refused(tenant.id, key, 'PUT', '/credentials', { whatsapp_app_secret: 'x' }, 403, ['whatsapp_app_secret']);
    // Nothing of a mixed body is written either.
    await refused(
      tenant.id,
      key,
      'PUT',
      '/credentials',
      { whatsapp_access_token: 'EAAnew', whatsapp_app_secret: 'a'.repeat(40) },
      403,
      ['whatsapp_app_secret'],
    );
    await refused(tenant.id, key, 'PATCH', '', { webhook_verify_token: 'v'.repeat(40) }, 403, ['webhook_verify_token']);
    await refused(tenant.id, key, 'PATCH', '', { client_name: 'Renamed', webhook_verify_token: 'v'.repeat(40) }, 403, [
      'webhook_verify_token',
    ]);
    // Creating a tenant (which takes credentials and a verify token) is the administrator's alone.
    const created = await api.call('POST', '/api/v1/tenants', {
      token: key,
      body: { client_name: 'X', client_phone: uniquePhone(), credentials: { whatsapp_app_secret: 'x' } },
    });
    expect(created.status).toBe(403);

    // Its own access token is still the tenant's to set.
    expect(
      (
        await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
          token: key,
          body: { whatsapp_access_token: 'EAAmine' },
        })
      ).status,
    ).toBe(200);
    const secret = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
      body: { whatsapp_app_secret: 'admin-set-app-secret-0123456789abcdef' },
    });
    expect(secret.status, secret.text).toBe(200);
    expect(secret.body.whatsapp_app_secret).toEqual({ set: true, last4: 'cdef' });
    const token = await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, {
      body: { webhook_verify_token: `verify-${tenant.id}` },
    });
    expect(token.status, token.text).toBe(200);
    expect(token.body.webhook_verify_token).toBe('[set]');
  });

  it("caps a tenant key's limits at the platform's maxima, naming the cap; the administrator may set more", async () => {
    const tenant = await newTenant();
    const { key } = await newKey(tenant.id);
    expect(
      (
        await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
          token: key,
          body: { max_messages_per_hour: 400 },
        })
      ).status,
    ).toBe(200);
    await refused(tenant.id, key, 'PATCH', '/settings', { max_messages_per_hour: 1_000_000 }, 400, [
      'max_messages_per_hour',
      '500',
      'PLATFORM_MAX_MESSAGES_PER_HOUR',
    ]);
    await refused(tenant.id, key, 'PUT', '/settings', { max_messages_per_user_per_day: 51 }, 400, [
      'max_messages_per_user_per_day',
      '50',
      'PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY',
    ]);
    // Nothing of a body with one limit too high is written.
    await refused(tenant.id, key, 'PATCH', '/settings', { max_messages_per_hour: 501, is_bot_enabled: false }, 400, [
      'max_messages_per_hour',
    ]);
    const atCap = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
      token: key,
      body: { max_messages_per_hour: 500, max_messages_per_user_per_day: 50 },
    });
    expect(atCap.status, atCap.text).toBe(200);

    const admin = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
      body: { max_messages_per_hour: 1_000_000 },
    });
    expect(admin.status, admin.text).toBe(200);
    expect(admin.body.max_messages_per_hour).toBe(1_000_000);
  });

  it("lets only the administrator decide whether the server's AI keys pay for a tenant, and then only for the allowed models", async () => {
    const tenant = await newTenant({ ai_provider: 'openai' });
    const { key } = await newKey(tenant.id);
    await refused(tenant.id, key, 'PATCH', '', { server_ai_allowed: true }, 403, ['server_ai_allowed']);
    const allowed = await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { body: { server_ai_allowed: true } });
    expect(allowed.body.server_ai_allowed).toBe(true);

    // Without a key of its own, the tenant picks only what the server pays for.
    await refused(tenant.id, key, 'PATCH', '', { ai_model: 'o1-pro' }, 400, [
      'ai_model o1-pro',
      'gpt-4o-mini',
      'gpt-4.1-mini',
      'own key',
    ]);
    await refused(
      tenant.id,
      key,
      'PATCH',
      '',
      { metadata: { fallback_models: { openrouter: 'anthropic/claude-opus-4' } } },
      400,
      ['metadata.fallback_models.openrouter'],
    );
    await refused(tenant.id, key, 'PATCH', '', { metadata: { vision_model: 'gpt-4o' } }, 400, [
      'metadata.vision_model',
    ]);
    await refused(tenant.id, key, 'PATCH', '', { ai_provider: 'huggingface', ai_model: 'Qwen/Qwen3-235B' }, 400, [
      'Qwen/Qwen3-235B',
    ]);
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { token: key, body: { ai_model: 'gpt-4.1-mini' } }))
        .status,
    ).toBe(200);

    // With its own key it pays for any model; clearing that key would leave the server paying, so it is refused.
    expect(
      (
        await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
          token: key,
          body: { ai_api_key: 'sk-own-key-1234' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { token: key, body: { ai_model: 'o1-pro' } })).status,
    ).toBe(200);
    await refused(tenant.id, key, 'PUT', '/credentials', { ai_api_key: null }, 400, ['ai_model o1-pro']);
  });

  it('answers 403 to every route for the keys of a deactivated tenant, until the administrator turns it back on', async () => {
    const tenant = await newTenant();
    const { key } = await newKey(tenant.id);
    expect((await api.call('POST', `/api/v1/tenants/${tenant.id}/deactivate`, { token: key })).status).toBe(200);
    const before = await snapshot(tenant.id);
    for (const [method, path, body] of [
      ['GET', '/api/v1/me', undefined],
      ['GET', `/api/v1/tenants/${tenant.id}`, undefined],
      ['PATCH', `/api/v1/tenants/${tenant.id}/settings`, { is_bot_enabled: true }],
      ['POST', `/api/v1/tenants/${tenant.id}/api-keys`, { name: 'escape hatch' }],
      ['GET', '/api/v1/tenants/0b7e5a52-1f0c-4c1e-9e4b-5d8a33f0a9c1', undefined],
    ] as const) {
      const res = await api.call(method, path, { token: key, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toEqual({ error: 'Forbidden', details: expect.stringContaining('deactivated') });
    }
    expect(await snapshot(tenant.id)).toEqual(before);
    expect((await api.call('PATCH', `/api/v1/tenants/${tenant.id}`, { body: { is_active: true } })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/me', { token: key })).status).toBe(200);
  });

  it("ties keys minted by a tenant key to it: they die with it, and a tenant key cannot revoke the administrator's keys", async () => {
    const tenant = await newTenant();
    const root = await newKey(tenant.id);
    const child = await newKey(tenant.id, root.key);
    const grandchild = await newKey(tenant.id, child.key);
    expect(child.created_by).toBe(`api_key:${root.prefix}`);
    await refused(tenant.id, child.key, 'DELETE', `/api-keys/${root.id}`, undefined, 403, ['administrator']);
    await refused(tenant.id, root.key, 'DELETE', `/api-keys/${root.id}`, undefined, 403, ['administrator']);

    const revoked = await api.call('DELETE', `/api/v1/tenants/${tenant.id}/api-keys/${root.id}`);
    expect(revoked.status).toBe(204);
    for (const key of [root, child, grandchild])
      expect((await api.call('GET', '/api/v1/me', { token: key.key })).status).toBe(401);
    const rows = await t.rows<{ id: string; revoked: boolean }>(
      `SELECT id, revoked_at IS NOT NULL AS revoked FROM alphadome.api_keys WHERE bot_tenant_id = '${tenant.id}'`,
    );
    expect(rows.every((r) => r.revoked)).toBe(true);
    const audit = await t.rows<{ entity_id: string }>(
      `SELECT entity_id FROM alphadome.audit_log WHERE bot_tenant_id = '${tenant.id}' AND action = 'revoke'`,
    );
    expect(audit.map((a) => a.entity_id).sort()).toEqual([root.id, child.id, grandchild.id].sort());
  });

  it('lets a tenant key revoke the keys minted through it, and refuses keys whose maker was revoked behind their back', async () => {
    const tenant = await newTenant();
    const root = await newKey(tenant.id);
    const child = await newKey(tenant.id, root.key);
    const grandchild = await newKey(tenant.id, child.key);
    expect(
      (await api.call('DELETE', `/api/v1/tenants/${tenant.id}/api-keys/${child.id}`, { token: root.key })).status,
    ).toBe(204);
    expect((await api.call('GET', '/api/v1/me', { token: grandchild.key })).status).toBe(401);
    expect((await api.call('GET', '/api/v1/me', { token: root.key })).status).toBe(200);

    // A maker revoked in SQL (or before keys were tied to it) still takes its keys with it.
    const other = await newKey(tenant.id, root.key);
    await t.rows(`UPDATE alphadome.api_keys SET revoked_at = now() WHERE id = '${root.id}'`);
    expect((await api.call('GET', '/api/v1/me', { token: other.key })).status).toBe(401);
  });

  describe('at message time', () => {
    const answered = (wamid: string) => eventually(() => t.graph.sentTexts().find((s) => s.replyTo === wamid), 15_000);
    const send = async (tenant: SeededTenant, customer: string, text: string) => {
      const message = textMessage(customer, text);
      expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
      return String(message['id']);
    };
    const requestsWith = (text: string) =>
      Object.values(t.ai).flatMap((provider) =>
        provider.requests
          .filter((r) => JSON.stringify(r.body).includes(text))
          .map((r) => ({ provider: provider.name, model: r.body.model, authorization: r.headers.authorization })),
      );

    it("pays with the server's keys only for an allowed tenant and allowed models, whatever the row says", async () => {
      const picky = await seedTenant(t, { name: 'Picky Shop' });
      const refusedTenant = await seedTenant(t, { name: 'Unpaid Shop', serverAiAllowed: false });
      // Written in SQL, past the admin API: no key of its own and a model the server does not pay for.
      await t.rows(
        `UPDATE alphadome.bot_tenants SET ai_api_key = NULL, ai_model = 'o1-pro' WHERE id IN ('${picky.id}', '${refusedTenant.id}')`,
      );

      const pickyText = 'picky question about delivery';
      const sent = await answered(await send(picky, '254700333001', pickyText));
      const calls = requestsWith(pickyText);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.map((c) => c.model)).not.toContain('o1-pro');
      // The primary (openai, o1-pro on the server's key) is skipped; the next provider's default model answers.
      expect(calls[0]).toEqual({
        provider: 'openrouter',
        model: 'mistralai/mistral-large',
        authorization: 'Bearer sk-server-openrouter',
      });
      expect(sent.body).toBe('Fake answer from openrouter');

      const unpaidText = 'unpaid question about delivery';
      const apology = await answered(await send(refusedTenant, '254700333002', unpaidText));
      expect(requestsWith(unpaidText)).toEqual([]);
      expect(apology.body).toContain('Sorry');
    });

    it("keeps one tenant's slow model from opening the AI circuit for every other tenant", async () => {
      // Only OpenAI, as in the attack: every tenant's first and only provider.
      const slowModel = 'gpt-4.1-mini';
      const slow = await seedTenant(t, { name: 'Slow Shop', aiModel: slowModel });
      const other = await seedTenant(t, { name: 'Other Shop', aiModel: 'gpt-4o-mini' });
      await t.rows(`UPDATE alphadome.bot_tenants SET ai_api_key = NULL WHERE id IN ('${slow.id}', '${other.id}')`);
      await t.rows(`UPDATE alphadome.bot_tenants SET ai_provider = 'openai' WHERE id IN ('${slow.id}', '${other.id}')`);
      t.ai.openai.modelDelaysMs.set(slowModel, 5_000);
      t.ai.openrouter.failAll(503);
      t.ai.huggingface.failAll(503);

      // More timeouts than the breaker's threshold (5), each from a different customer (an apology pauses that customer).
      const slowIds = await Promise.all(
        Array.from({ length: 7 }, (_, i) => send(slow, `25470044${String(i).padStart(4, '0')}`, `slow question ${i}`)),
      );
      for (const id of slowIds) await answered(id);

      const customer = '254700449999';
      const otherText = 'other shop question after the slow one';
      const reply = await answered(await send(other, customer, otherText));
      expect(reply.body).toBe('Fake answer from openai');
      expect(requestsWith(otherText)[0]).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o-mini',
        authorization: 'Bearer sk-server-openai',
      });
      const [conversation] = await t.rows<{ paused: boolean }>(
        `SELECT paused_until IS NOT NULL AS paused FROM alphadome.conversations WHERE bot_tenant_id = '${other.id}' AND user_phone = '${customer}'`,
      );
      expect(conversation?.paused ?? false).toBe(false);
      expect(t.graph.sentTexts().filter((s) => s.phoneNumberId === other.phoneNumberId && s.to !== customer)).toEqual(
        [],
      );
    }, 60_000);
  });
});
