// A client phone is unique by its digits in the database itself (migration 0012), because routing
// compares digits: SQL, the admin API and every process see one rule, so one number can never
// belong to two tenants, however it is written.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminClient, uniquePhone } from '../support/adminClient.js';
import { lit, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

/** "254712345678" as a person might type it: "+254 712 345678". */
const spaced = (digits: string) => `+${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;

const insertTenant = (t: TestApp, name: string, phone: string, phoneNumberId: string | null = null) =>
  t.rows<{ id: string }>(
    `INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token)
     VALUES (${lit(name)}, ${lit(phone)}, ${phoneNumberId ? lit(phoneNumberId) : 'NULL'}, 'EAAdummy') RETURNING id`,
  );

/** The error a statement fails with (or null when it succeeds). */
async function failureOf(run: Promise<unknown>): Promise<string | null> {
  try {
    await run;
    return null;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return [err instanceof Error ? err.message : String(err), cause instanceof Error ? cause.message : ''].join(' | ');
  }
}

describe.each(testEngines())('client phones are unique by their digits in the database (%s)', (engine) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  it("refuses an SQL insert or update of '+254 7.. ...' beside the same digits, and routing keeps the first tenant", async () => {
    t = await startTestApp({ engine });
    const digits = uniquePhone();
    const [first] = await insertTenant(t, 'First Shop', spaced(digits));
    expect(first).toBeDefined();

    const insert = await failureOf(insertTenant(t, 'Copycat', digits));
    expect(insert).toMatch(/bot_tenants_client_phone_digits_key|duplicate key/);
    const [other] = await insertTenant(t, 'Other Shop', uniquePhone());
    const update = await failureOf(
      t.rows(
        `UPDATE alphadome.bot_tenants SET client_phone = ${lit(`${digits.slice(0, 6)}-${digits.slice(6)}`)} WHERE id = ${lit(other!.id)}`,
      ),
    );
    expect(update).toMatch(/bot_tenants_client_phone_digits_key|duplicate key/);
    const holders = await t.rows<{ id: string }>(
      `SELECT id FROM alphadome.bot_tenants WHERE client_phone_digits = ${lit(digits)}`,
    );
    expect(holders.map((h) => h.id)).toEqual([first!.id]);

    // A message to that number, by its display number only, is the first tenant's.
    const message = textMessage('254799000777', 'hello');
    const res = await t.postWebhook(
      webhookPayload({ tenant: { id: '', phone: digits, phoneNumberId: '', accessToken: '' }, messages: [message] }),
    );
    expect(res.status).toBe(200);
    const stored = await eventually(
      async () =>
        (
          await t!.rows<{ bot_tenant_id: string }>(
            `SELECT bot_tenant_id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(String(message['id']))}`,
          )
        )[0],
    );
    expect(stored.bot_tenant_id).toBe(first!.id);
  });

  it('the admin API still answers 409 for a number another tenant has written differently', async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: 'test-admin-token-0123456789abcdef' } });
    const api = adminClient(t.baseUrl);
    const digits = uniquePhone();
    await insertTenant(t, 'First Shop', spaced(digits));
    const created = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Copycat', client_phone: digits },
    });
    expect(created.status).toBe(409);
    expect(created.body).toEqual({ error: 'Conflict', details: 'client_phone is already used by another tenant' });
    const other = await api.call('POST', '/api/v1/tenants', {
      body: { client_name: 'Other', client_phone: uniquePhone() },
    });
    expect(other.status, other.text).toBe(201);
    const patched = await api.call('PATCH', `/api/v1/tenants/${other.body.id}`, {
      body: { client_phone: `(${digits.slice(0, 3)}) ${digits.slice(3)}` },
    });
    expect(patched.status).toBe(409);
    // Numbers without digits are not numbers routing can use: they do not clash with each other.
    const [a, b] = [
      await failureOf(insertTenant(t, 'No number A', 'unknown-a')),
      await failureOf(insertTenant(t, 'No number B', 'unknown-b')),
    ];
    expect([a, b]).toEqual([null, null]);
  });

  it('the migration stops on tenants that already share a number, naming them, and changes nothing', async () => {
    t = await startTestApp({ engine });
    // The database as it was before migration 0012, with two spellings of one number.
    await t.rows('DROP INDEX alphadome.bot_tenants_client_phone_digits_key');
    await t.rows('ALTER TABLE alphadome.bot_tenants DROP COLUMN client_phone_digits');
    const digits = uniquePhone();
    const [first] = await insertTenant(t, 'First Shop', spaced(digits));
    const [second] = await insertTenant(t, 'Second Shop', digits);

    const migration = await readFile(path.resolve('drizzle/0011_client_phone_digits.sql'), 'utf8');
    const [check] = migration.split('--> statement-breakpoint');
    const failure = await failureOf(t.rows(check!));
    expect(failure).toContain('Tenants share a client_phone written differently');
    expect(failure).toContain(
      `${digits}: tenant ${first!.id} ('${spaced(digits)}'), tenant ${second!.id} ('${digits}')`,
    );

    // Once the operator gives one of them another number, the whole migration applies.
    await t.rows(`UPDATE alphadome.bot_tenants SET client_phone = ${lit(uniquePhone())} WHERE id = ${lit(second!.id)}`);
    for (const statement of migration.split('--> statement-breakpoint')) await t.rows(statement);
    expect(await failureOf(insertTenant(t, 'Copycat', spaced(digits)))).toMatch(
      /bot_tenants_client_phone_digits_key|duplicate key/,
    );
  });
});
