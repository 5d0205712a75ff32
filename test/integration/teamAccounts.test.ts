// Team accounts and dashboard sessions over real HTTP: invitation, the one-time setup link, sign-in
// with the cookie's attributes, CSRF refusal, what an agent may not do, disabling and removing
// people, throttled failed sign-ins, and no password, setup token or session token in clear in the
// database or in the logs.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from '../../src/logger.js';
import { ADMIN_TOKEN } from '../support/adminClient.js';
import { everyRow } from '../support/isolationRoutes.js';
import { seedTenant, type SeededTenant } from '../support/seed.js';
import { invite, invitedAndSignedIn, request, sessionOf, sessionTokenOf, signIn } from '../support/teamSession.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('team accounts and sessions (%s)', (engine) => {
  let t: TestApp;
  let tenant: SeededTenant;
  const lines: string[] = [];
  const secrets: string[] = [];
  const api = (path: string) => `/api/v1/tenants/${tenant.id}${path}`;
  const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
    t = await startTestApp({
      engine,
      logger,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        AUTH_FAILURE_BURST: '6',
        AUTH_FAILURE_WINDOW_S: '600',
        PUBLIC_BASE_URL: 'https://bot.example.com',
      },
    });
    tenant = await seedTenant(t, { name: 'Team Shop' });
  }, 60_000);
  afterAll(async () => t?.stop());

  it('invites a person with a one-time setup link, sets the password once, and signs in with a strict cookie', async () => {
    const { setupToken, body } = await invite(t.baseUrl, tenant.id, {
      email: 'Owner@Example.com',
      name: 'Olga Owner',
      role: 'owner',
    });
    secrets.push(setupToken);
    expect(body).toMatchObject({
      email: 'owner@example.com',
      role: 'owner',
      state: 'invited',
      setup_url: `https://bot.example.com/dashboard/setup#token=${setupToken}`,
    });
    expect(Date.parse(body.setup_expires_at) - Date.now()).toBeGreaterThan(71 * 3_600_000);
    const short = await request(
      t.baseUrl,
      'POST',
      '/api/v1/auth/setup',
      {},
      { token: setupToken, password: 'too-short' },
    );
    expect(short.status).toBe(400);
    const password = 'correct horse battery staple';
    secrets.push(password);
    expect((await request(t.baseUrl, 'POST', '/api/v1/auth/setup', {}, { token: setupToken, password })).status).toBe(
      200,
    );
    // Used up: the same link sets no second password.
    const again = await request(
      t.baseUrl,
      'POST',
      '/api/v1/auth/setup',
      {},
      { token: setupToken, password: 'another long password' },
    );
    expect(again.status).toBe(400);

    const login = await signIn(t.baseUrl, 'OWNER@example.com', password);
    expect(login.status, login.text).toBe(200);
    expect(login.body).toMatchObject({ tenant_id: tenant.id, role: 'owner' });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('alphadome_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\/api\/v1/);
    const token = sessionTokenOf(login);
    secrets.push(token);
    const me = await sessionOf(t.baseUrl, token).call('GET', '/api/v1/me');
    expect(me.body).toMatchObject({
      role: 'tenant',
      tenant_id: tenant.id,
      user: { email: 'owner@example.com', role: 'owner' },
    });
    expect((await signIn(t.baseUrl, 'owner@example.com', 'wrong password here')).status).toBe(401);
  });

  it('refuses an expired setup link, and a new link replaces the old one', async () => {
    const { userId, setupToken } = await invite(t.baseUrl, tenant.id, {
      email: 'late@example.com',
      name: 'Late',
      role: 'agent',
    });
    secrets.push(setupToken);
    await t.rows(
      `UPDATE alphadome.team_users SET setup_expires_at = now() - interval '1 second' WHERE id = '${userId}'`,
    );
    expect(
      (
        await request(
          t.baseUrl,
          'POST',
          '/api/v1/auth/setup',
          {},
          { token: setupToken, password: 'a long enough password' },
        )
      ).status,
    ).toBe(400);
    const fresh = await request(t.baseUrl, 'POST', api(`/users/${userId}/setup-link`), asAdmin);
    expect(fresh.status, fresh.text).toBe(200);
    secrets.push(fresh.body.setup_token);
    await t.rows(`UPDATE alphadome.team_users SET setup_expires_at = now() + interval '1 hour' WHERE id = '${userId}'`);
    // The first token stays dead even inside the window: only the newest link works.
    expect(
      (
        await request(
          t.baseUrl,
          'POST',
          '/api/v1/auth/setup',
          {},
          { token: setupToken, password: 'a long enough password' },
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await request(
          t.baseUrl,
          'POST',
          '/api/v1/auth/setup',
          {},
          { token: fresh.body.setup_token, password: 'a long enough password' },
        )
      ).status,
    ).toBe(200);
  });

  it('lets an owner manage people and settings, an agent none of it (403), and refuses cookie writes without the CSRF header', async () => {
    const owner = await invitedAndSignedIn(t.baseUrl, tenant.id, {
      email: 'boss@example.com',
      name: 'Boss',
      role: 'owner',
    });
    const agent = await invitedAndSignedIn(t.baseUrl, tenant.id, {
      email: 'agent@example.com',
      name: 'Agnes Agent',
      role: 'agent',
    });
    secrets.push(
      owner.password,
      owner.sessionToken,
      owner.setupToken,
      agent.password,
      agent.sessionToken,
      agent.setupToken,
    );

    const ownerRoutes: [string, string, unknown?][] = [
      ['GET', api('/users')],
      ['POST', api('/users'), { email: 'x@example.com', name: 'X', role: 'agent' }],
      ['PATCH', api(`/users/${owner.userId}`), { name: 'Boss 2' }],
      ['DELETE', api(`/users/${owner.userId}`)],
      ['GET', api('/api-keys')],
      ['POST', api('/api-keys'), { name: 'laptop' }],
      ['GET', api('/credentials')],
      ['PUT', api('/credentials'), { ai_api_key: 'sk-agent-planted' }],
      ['PUT', api('/settings'), { is_bot_enabled: false }],
      ['PATCH', api('/settings'), { escalation_email: 'agent@example.com' }],
      ['GET', api('/audit')],
      ['PATCH', api(''), { client_name: 'Agent Shop' }],
    ];
    for (const [method, path, body] of ownerRoutes) {
      const res = await agent.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body, `${method} ${path}`).toEqual({
        error: 'Forbidden',
        details: "An agent answers customers; users, keys, credentials and settings are managed by the tenant's owners",
      });
    }
    expect((await agent.call('GET', api('/conversations'))).status).toBe(200);
    expect((await agent.call('GET', api('/settings'))).status).toBe(200);
    expect((await agent.call('POST', api('/conversations/254700111222/resolve'))).status).toBe(200);

    // A forged page can make the browser send the cookie, but not the header.
    for (const [method, path, body] of [
      ['PATCH', api('/settings'), { escalation_email: 'forged@example.com' }],
      ['POST', api('/users'), { email: 'forged@example.com', name: 'F', role: 'owner' }],
      ['POST', '/api/v1/auth/logout'],
    ] as const) {
      const res = await owner.call(method, path, body, { csrf: false });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.details).toMatch(/x-alphadome-csrf/);
    }
    expect(
      (await request(t.baseUrl, 'GET', `/api/v1/tenants/${tenant.id}/users?limit=1`, { cookie: owner.headers.cookie }))
        .status,
    ).toBe(200);
    const settings = await owner.call('PATCH', api('/settings'), { escalation_email: 'boss@example.com' });
    expect(settings.status, settings.text).toBe(200);
    const invited = await owner.call('POST', api('/users'), {
      email: 'new-agent@example.com',
      name: 'New',
      role: 'agent',
    });
    expect(invited.status, invited.text).toBe(201);
    secrets.push(invited.body.setup_token);
    // The owner cannot lock themselves out.
    expect((await owner.call('PATCH', api(`/users/${owner.userId}`), { disabled: true })).status).toBe(409);

    // Audited with the person's id.
    const audit = await t.rows<{ actor: string; entity: string }>(
      `SELECT actor, entity FROM alphadome.audit_log WHERE bot_tenant_id = '${tenant.id}' AND actor = 'user:${owner.userId}'`,
    );
    expect(audit.map((a) => a.entity)).toEqual(expect.arrayContaining(['settings', 'team_user']));

    // Disabling ends the agent's session at once and refuses the next sign-in; removing ends everything.
    expect((await owner.call('PATCH', api(`/users/${agent.userId}`), { disabled: true })).body).toMatchObject({
      state: 'disabled',
    });
    expect((await agent.call('GET', api('/conversations'))).status).toBe(401);
    expect((await signIn(t.baseUrl, agent.email, agent.password)).status).toBe(403);
    expect((await owner.call('PATCH', api(`/users/${agent.userId}`), { disabled: false })).status).toBe(200);
    const back = await signIn(t.baseUrl, agent.email, agent.password);
    expect(back.status).toBe(200);
    secrets.push(sessionTokenOf(back));
    expect((await owner.call('DELETE', api(`/users/${agent.userId}`))).status).toBe(204);
    expect((await sessionOf(t.baseUrl, sessionTokenOf(back)).call('GET', api('/conversations'))).status).toBe(401);
    expect((await signIn(t.baseUrl, agent.email, agent.password)).status).toBe(401);

    // Signing out ends the session.
    expect((await owner.call('POST', '/api/v1/auth/logout')).status).toBe(204);
    expect((await owner.call('GET', api('/users'))).status).toBe(401);
  });

  it('keeps no password, setup token or session token in clear in the database or the logs', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    const rows = JSON.stringify(await everyRow(t));
    expect(rows).toContain('scrypt$');
    expect(secrets.filter((s) => rows.includes(s))).toEqual([]);
    const log = lines.join('');
    expect(log).toContain('dashboard sign-in failed');
    expect(secrets.filter((s) => log.includes(s))).toEqual([]);
    expect(log).not.toContain('owner@example.com');
  });

  it('throttles failed sign-ins per address: after the burst even the right password waits', async () => {
    const person = await invitedAndSignedIn(t.baseUrl, tenant.id, {
      email: 'throttled@example.com',
      name: 'T',
      role: 'agent',
    });
    // The burst (6) is shared with every failure of this run's address: use up what is left of it.
    let answer = 0;
    for (let i = 0; i < 8 && answer !== 429; i++)
      answer = (await signIn(t.baseUrl, person.email, `wrong password ${i}`)).status;
    expect(answer).toBe(429);
    const right = await signIn(t.baseUrl, person.email, person.password);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
