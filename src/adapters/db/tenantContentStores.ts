// Hands the admin API one tenant's content stores: templates, training rows, settings, message log.
import type { TenantContentStores } from '../../modules/tenants/ports.js';
import { DbAdminSettingsStore } from './adminSettingsStore.js';
import { DbAdminTemplateStore } from './adminTemplateStore.js';
import { DbAdminTrainingStore } from './adminTrainingStore.js';
import type { AppDb } from './database.js';
import { DbMessageLogStore } from './messageLogStore.js';

export class DbTenantContentStores implements TenantContentStores {
  constructor(private readonly db: AppDb) {}

  templates(tenantId: string): DbAdminTemplateStore {
    return new DbAdminTemplateStore(this.db, tenantId);
  }

  training(tenantId: string): DbAdminTrainingStore {
    return new DbAdminTrainingStore(this.db, tenantId);
  }

  settings(tenantId: string): DbAdminSettingsStore {
    return new DbAdminSettingsStore(this.db, tenantId);
  }

  messages(tenantId: string): DbMessageLogStore {
    return new DbMessageLogStore(this.db, tenantId);
  }
}
