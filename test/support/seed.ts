// Tenants, templates, FAQs and webhook payloads for tests, written the way an operator would.
import type { TestApp } from './testApp.js';

export interface SeededTenant {
  id: string;
  phone: string;
  phoneNumberId: string;
  accessToken: string;
}

let counter = 0;

export async function seedTenant(
  t: TestApp,
  options: {
    name?: string;
    phone?: string;
    phoneNumberId?: string;
    aiProvider?: string;
    aiModel?: string;
    aiApiKey?: string;
    extra?: string;
    /** server_ai_allowed: on by default, as for every tenant that existed before the column did. */
    serverAiAllowed?: boolean;
  } = {},
): Promise<SeededTenant> {
  counter += 1;
  const phone = options.phone ?? `2547${String(10_000_000 + counter * 7919).slice(-8)}`;
  const phoneNumberId = options.phoneNumberId ?? `1192023${String(100_000 + counter)}`;
  const accessToken = `EAAtoken${counter}`;
  const [row] = await t.rows<{ id: string }>(`
    INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token,
      ai_provider, ai_model, ai_api_key, is_active, is_verified, server_ai_allowed)
    VALUES (${lit(options.name ?? `Tenant ${counter}`)}, ${lit(phone)}, ${lit(phoneNumberId)}, ${lit(accessToken)},
      ${lit(options.aiProvider ?? 'openai')}, ${lit(options.aiModel ?? 'gpt-3.5-turbo')}, ${lit(options.aiApiKey ?? 'sk-tenant')}, true, true, ${options.serverAiAllowed ?? true})
    RETURNING id`);
  if (!row) throw new Error('tenant not inserted');
  return { id: row.id, phone, phoneNumberId, accessToken };
}

export async function seedFaq(
  t: TestApp,
  tenantId: string,
  question: string,
  answer: string,
  priority = 5,
  confidence = 0.95,
): Promise<string> {
  const [row] = await t.rows<{ id: string }>(`
    INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, priority, confidence_score)
    VALUES (${lit(tenantId)}, 'faq', ${lit(question)}, ${lit(answer)}, ${priority}, ${confidence}) RETURNING id`);
  if (!row) throw new Error('faq not inserted');
  return row.id;
}

export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

let messageCounter = 0;

export function textMessage(from: string, body: string, id?: string): Record<string, unknown> {
  messageCounter += 1;
  return {
    from,
    id: id ?? `wamid.test-${process.pid}-${Date.now()}-${messageCounter}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body },
  };
}

/** A Meta webhook body: one entry per tenant block, one change each. */
export function webhookPayload(
  ...blocks: { tenant: SeededTenant; messages?: unknown[]; statuses?: unknown[] }[]
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: blocks.map((block) => ({
      id: 'WABA-ID',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: block.tenant.phone, phone_number_id: block.tenant.phoneNumberId },
            contacts: [{ profile: { name: 'Test Customer' }, wa_id: '254799000001' }],
            ...(block.messages ? { messages: block.messages } : {}),
            ...(block.statuses ? { statuses: block.statuses } : {}),
          },
        },
      ],
    })),
  };
}
