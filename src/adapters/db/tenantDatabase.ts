// Hands out repositories built for one tenant: the only way the worker reaches tenant data.
import type { TenantStores } from '../../modules/replies/ports.js';
import type { CredentialVault } from './credentialVault.js';
import type { AppDb } from './database.js';
import { DbTenantReplyStore } from './tenantReplyStore.js';

export class TenantDatabase implements TenantStores {
  constructor(
    private readonly db: AppDb,
    private readonly vault: CredentialVault,
  ) {}

  forTenant(tenantId: string): DbTenantReplyStore {
    return new DbTenantReplyStore(this.db, tenantId, this.vault);
  }
}
