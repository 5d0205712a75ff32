// The worker's one door to a tenant's data: every store it uses, each built for that tenant.
import type { TenantData, TenantDataDoors } from '../../modules/replies/turn.js';
import { CompletionWriter } from './completionWriter.js';
import { DecisionWriter } from './decisionWriter.js';
import type { CredentialVault } from './credentialVault.js';
import type { AppDb } from './database.js';
import { DbTenantControlStore } from './tenantControlStore.js';
import { DbConversationStore } from './tenantConversationStore.js';
import { DbNoticeStore } from './tenantNoticeStore.js';
import { DbTenantReplyStore } from './tenantReplyStore.js';

export class DbTenantDataDoors implements TenantDataDoors {
  private readonly completions: CompletionWriter;
  private readonly decisions: DecisionWriter;

  constructor(
    private readonly db: AppDb,
    private readonly vault: CredentialVault,
  ) {
    this.completions = new CompletionWriter(db);
    this.decisions = new DecisionWriter(db);
  }

  forTenant(tenantId: string): TenantData {
    return {
      replies: new DbTenantReplyStore(this.db, tenantId, this.vault, this.completions, this.decisions),
      controls: new DbTenantControlStore(this.db, tenantId),
      conversations: new DbConversationStore(this.db, tenantId),
      notices: new DbNoticeStore(this.db, tenantId),
    };
  }
}
