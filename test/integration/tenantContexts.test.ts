import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadKeyring } from '../../src/adapters/crypto/encryptionKeys.js';
import { SecretCipher } from '../../src/adapters/crypto/secretCipher.js';
import { VerifyTokenHasher } from '../../src/adapters/crypto/verifyTokenHasher.js';
import { CredentialVault } from '../../src/adapters/db/credentialVault.js';
import { queryRows } from '../../src/adapters/db/database.js';
import { TenantDatabase } from '../../src/adapters/db/tenantDatabase.js';
import { TRAINING_PAGE_ROWS } from '../../src/adapters/db/tenantReplyStore.js';
import { TenantContextCache } from '../../src/modules/replies/tenantContextCache.js';
import { openCountedDatabase, type CountedDatabase } from '../support/countedDatabase.js';
import { largeFaq, seedLargeFaq } from '../support/largeFaq.js';
import { eventually } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

const BIG_TENANT_ROWS = 50_000;
/** A notification payload that is no tenant id, sent after the set-up to know its own notifications have arrived. */
const SETTLED = 'set-up notifications delivered';

describe.each(testEngines())('tenant contexts on a real database (%s)', (engine) => {
  let database: TestDatabase | null = null;
  let counted: CountedDatabase | null = null;
  afterEach(async () => {
    await counted?.close();
    counted = null;
    await database?.drop();
  });

  /** With `listen`, change notifications reach the cache; without, a late notification of the set-up cannot add a rebuild to the count. */
  async function setUp({ listen }: { listen: boolean }) {
    database = await createTestDatabase(engine);
    counted = await openCountedDatabase(database);
    const { db } = counted;
    const keyring = await loadKeyring({
      encryptionKeys: `test:${'ab'.repeat(32)}`,
      nodeEnv: 'test',
      dataDir: database.dataDir ?? '',
      warn: () => undefined,
    });
    const vault = new CredentialVault(
      db,
      new SecretCipher(keyring),
      pino({ level: 'silent' }),
      new VerifyTokenHasher(keyring),
    );
    const cache = new TenantContextCache({ stores: new TenantDatabase(db, vault), environmentCredentials: null });
    const settled: Array<() => void> = [];
    if (listen) {
      await counted.listen('alphadome_tenant_changed', (payload) =>
        payload === SETTLED ? settled.shift()?.() : cache.invalidate(payload),
      );
    }
    /** Resolves once every change notification committed so far has reached the cache (they arrive in commit order). */
    const notificationsDelivered = async (): Promise<void> => {
      const arrived = new Promise<void>((resolve) => settled.push(resolve));
      await db.execute(sql`SELECT pg_notify('alphadome_tenant_changed', ${SETTLED})`);
      await arrived;
    };
    return { db, cache, counted, vault, notificationsDelivered };
  }

  async function tenant(db: CountedDatabase['db'], name: string): Promise<string> {
    // Credentials sealed already: a plaintext token would be rewritten (and announced) at the first load.
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`
      INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id) VALUES (${name}, ${`2547${Math.floor(Math.random() * 1e8)}`}, ${`PNID-${name}`})
      RETURNING id`,
    );
    if (!row) throw new Error('no tenant');
    await db.execute(sql`INSERT INTO alphadome.bot_templates (bot_tenant_id, template_name, system_prompt, is_default, is_active)
      VALUES (${row.id}, 'main', ${`You help ${name}.`}, true, true)`);
    await db.execute(
      sql`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, max_messages_per_hour) VALUES (${row.id}, 77)`,
    );
    return row.id;
  }

  it('loads a cold tenant (tenant, template, settings, FAQs) in two statements', async () => {
    const { db, cache, counted: c } = await setUp({ listen: false });
    const id = await tenant(db, 'Cold Shop');
    await db.execute(
      sql`INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer) VALUES (${id}, 'Do you deliver?', 'Yes, in Nairobi.'), (${id}, 'Are you open on Sunday?', 'No.')`,
    );
    const before = c.statements();
    const context = await cache.get(id);
    expect(c.statements() - before).toBe(2);
    expect(context?.configuration.template?.systemPrompt).toBe('You help Cold Shop.');
    expect(context?.configuration.settings.maxMessagesPerHour).toBe(77);
    expect(context?.faq.match('do you deliver', 0.65)?.entry.answer).toBe('Yes, in Nairobi.');
    const missing = c.statements();
    expect(await cache.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(c.statements() - missing).toBe(2);
  });

  it(`builds a ${BIG_TENANT_ROWS.toLocaleString('en')}-row tenant while the event loop keeps turning, and answers other tenants meanwhile`, async () => {
    const { db, cache, counted: c, vault } = await setUp({ listen: false });
    const big = await tenant(db, 'Big Shop');
    const small = await tenant(db, 'Small Shop');
    await seedLargeFaq(db, big, BIG_TENANT_ROWS);
    await db.execute(
      sql`INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer) VALUES (${small}, 'Do you deliver?', 'Small: yes.')`,
    );

    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const order: string[] = [];
    try {
      // Reading the rows alone turns the loop too, page after page (PGlite settles its queries by
      // microtasks: without a turn between pages the timer would not fire until the last one).
      const reading = ticks;
      const read = await new TenantDatabase(db, vault).forTenant(big).loadConfiguration();
      expect(read?.training).toHaveLength(BIG_TENANT_ROWS);
      expect(ticks - reading).toBeGreaterThan(BIG_TENANT_ROWS / TRAINING_PAGE_ROWS / 4);
      const before = c.statements();
      const bigLoaded = cache.get(big).then((context) => {
        order.push('big');
        return context;
      });
      // Started after the big one, answered before it is built: nothing waits behind it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const smallLoaded = cache.get(small).then((context) => {
        order.push('small');
        return context;
      });
      const [bigContext, smallContext] = await Promise.all([bigLoaded, smallLoaded]);
      const ticksDuringBuild = ticks;
      expect(order).toEqual(['small', 'big']);
      expect(bigContext?.configuration.training).toHaveLength(BIG_TENANT_ROWS);
      const probe = largeFaq(BIG_TENANT_ROWS)[31_337];
      expect(bigContext?.faq.match(probe?.question ?? '', 0.65)?.entry.answer).toBe(probe?.answer);
      expect(smallContext?.faq.match('do you deliver', 0.65)?.entry.answer).toBe('Small: yes.');
      // Pages of rows, then slices of index building, each a turn of the loop: the 5 ms timer
      // fired all along (a single blocking build would let it fire about once).
      expect(ticksDuringBuild).toBeGreaterThan(20);
      // The small tenant's two statements; the big one's tenant row and its pages (the last one short).
      expect(c.statements() - before).toBe(2 + 1 + Math.floor(BIG_TENANT_ROWS / TRAINING_PAGE_ROWS) + 1);
    } finally {
      clearInterval(timer);
    }
    expect(cache.usage().entries).toBe(2);
    expect(cache.usage().bytes).toBeGreaterThan(BIG_TENANT_ROWS * 200);
  }, 120_000);

  it('rebuilds only the tenant a change notification names', async () => {
    const { db, cache, counted: c, notificationsDelivered } = await setUp({ listen: true });
    const changed = await tenant(db, 'Changed Shop');
    const untouched = await tenant(db, 'Untouched Shop');
    const [faq] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer) VALUES (${changed}, 'Do you deliver?', 'Old answer.') RETURNING id`,
    );
    await db.execute(
      sql`INSERT INTO alphadome.bot_training_data (bot_tenant_id, question, answer) VALUES (${untouched}, 'Do you deliver?', 'Untouched answer.')`,
    );
    await notificationsDelivered();
    await cache.get(changed);
    await cache.get(untouched);
    const before = c.statements();

    await db.execute(sql`UPDATE alphadome.bot_training_data SET answer = 'New answer.' WHERE id = ${faq?.id ?? ''}`);
    await eventually(
      async () => (await cache.get(changed))?.faq.match('do you deliver', 0.65)?.entry.answer === 'New answer.',
    );
    expect((await cache.get(untouched))?.faq.match('do you deliver', 0.65)?.entry.answer).toBe('Untouched answer.');
    // The update, then one rebuild (two statements) of the changed tenant; nothing for the other.
    expect(c.statements() - before).toBe(3);
  });
});
