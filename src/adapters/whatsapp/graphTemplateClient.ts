// Lists a WhatsApp Business Account's approved message templates (GET /{waba-id}/message_templates),
// with the access token in a header only. One page of up to 200 is plenty for a picker.
import { z } from 'zod';
import type { TemplateLister, WhatsAppTemplate } from '../../modules/inbox/inboxPorts.js';
import type { WhatsAppCredentials } from '../../modules/replies/ports.js';
import { graphApiErrorFromResponse } from './graphErrorBody.js';

const templatesSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      name: z.string(),
      language: z.string(),
      status: z.string().optional(),
      category: z.string().optional(),
      components: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
    }),
  ),
});

export class GraphTemplateClient implements TemplateLister {
  constructor(private readonly options: { baseUrl: string; apiVersion: string; timeoutMs: number }) {}

  async approvedTemplates(credentials: WhatsAppCredentials, businessAccountId: string): Promise<WhatsAppTemplate[]> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const url = `${base}/${this.options.apiVersion}/${encodeURIComponent(businessAccountId)}/message_templates?status=APPROVED&limit=200&fields=name,language,status,category,components`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${credentials.accessToken}` },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw graphApiErrorFromResponse(response.status, text);
    const parsed = templatesSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new Error('Graph API answered the template list in an unexpected shape');
    return parsed.data.data
      .filter((t) => (t.status ?? 'APPROVED').toUpperCase() === 'APPROVED')
      .map((t) => {
        const body = t.components?.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? null;
        return {
          name: t.name,
          language: t.language,
          category: t.category ?? null,
          body,
          parameter_count: new Set(body?.match(/\{\{\s*\d+\s*\}\}/g) ?? []).size,
        };
      });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
