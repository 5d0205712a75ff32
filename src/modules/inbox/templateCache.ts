// The tenant's approved templates change rarely and Meta rate-limits the listing: each account's
// list is kept for a few minutes (a failed listing is not kept).
import type { WhatsAppCredentials } from '../replies/ports.js';
import type { TemplateLister, WhatsAppTemplate } from './inboxPorts.js';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 1_000;

export class TemplateCache implements TemplateLister {
  private readonly entries = new Map<string, { at: number; list: Promise<WhatsAppTemplate[]> }>();

  constructor(
    private readonly source: TemplateLister,
    private readonly now: () => number = Date.now,
  ) {}

  approvedTemplates(credentials: WhatsAppCredentials, businessAccountId: string): Promise<WhatsAppTemplate[]> {
    // The token is part of the key: a rotated token is not answered from the old one's listing.
    const key = `${businessAccountId}\u0000${credentials.accessToken}`;
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.at < TTL_MS) return cached.list;
    const list = this.source.approvedTemplates(credentials, businessAccountId);
    const entry = { at: this.now(), list };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    list.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return list;
  }
}
