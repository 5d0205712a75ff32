import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadKeyring } from '../../src/adapters/crypto/encryptionKeys.js';
import { SecretCipher } from '../../src/adapters/crypto/secretCipher.js';
import { VerifyTokenHasher } from '../../src/adapters/crypto/verifyTokenHasher.js';
import { CredentialVault, credentialLocation } from '../../src/adapters/db/credentialVault.js';
import { queryRows } from '../../src/adapters/db/database.js';
import { DbTenantDirectory } from '../../src/adapters/db/tenantDirectory.js';
import { openCountedDatabase, type CountedDatabase } from '../support/countedDatabase.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

describe.each(testEngines())('the routing directory after a tenant change (%s)', (engine) => {
  let database: TestDatabase | null = null;
  let counted: CountedDatabase | null = null;
  afterEach(async () => {
    await counted?.close();
    counted = null;
    await database?.drop();
  });

  it('decrypts only the app secrets that changed', async () => {
    database = await createTestDatabase(engine);
    counted = await openCountedDatabase(database);
    const { db } = counted;
    const keyring = await loadKeyring({
      encryptionKeys: `test:${'ab'.repeat(32)}`,
      nodeEnv: 'test',
      dataDir: '',
      warn: () => undefined,
    });
    const cipher = new SecretCipher(keyring);
    const vault = new CredentialVault(db, cipher, pino({ level: 'silent' }), new VerifyTokenHasher(keyring));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [row] = await queryRows<{ id: string }>(
        db,
        sql`INSERT INTO alphadome.bot_tenants (client_name, client_phone) VALUES (${`Shop ${i}`}, ${`25471100${String(i).padStart(4, '0')}`}) RETURNING id`,
      );
      const id = row?.id ?? '';
      ids.push(id);
      const sealed = cipher.encrypt(`app-secret-${i % 5}`, credentialLocation(id, 'whatsapp_app_secret'));
      await db.execute(sql`UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${sealed} WHERE id = ${id}`);
    }
    const directory = new DbTenantDirectory(db, null, vault, new VerifyTokenHasher(keyring));
    const opened = vi.spyOn(vault, 'revealOrNull');

    expect([...(await directory.knownAppSecrets())].sort()).toEqual([
      'app-secret-0',
      'app-secret-1',
      'app-secret-2',
      'app-secret-3',
      'app-secret-4',
    ]);
    expect(opened).toHaveBeenCalledTimes(20);

    const changed = ids[3] ?? '';
    const resealed = cipher.encrypt('app-secret-new', credentialLocation(changed, 'whatsapp_app_secret'));
    await db.execute(sql`UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${resealed} WHERE id = ${changed}`);
    await db.execute(sql`UPDATE alphadome.bot_tenants SET whatsapp_app_secret = NULL WHERE id = ${ids[4] ?? ''}`);
    directory.invalidate();
    const secrets = await directory.knownAppSecrets();
    expect(secrets.has('app-secret-new')).toBe(true);
    // Tenants 8 and 13 still hold secret 3; 4's secret was removed but 9, 14 and 19 share it.
    expect(secrets.has('app-secret-3')).toBe(true);
    expect(secrets.size).toBe(6);
    expect(opened).toHaveBeenCalledTimes(21);
    expect(opened).toHaveBeenLastCalledWith(changed, 'whatsapp_app_secret', resealed);
  });
});
