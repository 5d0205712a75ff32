// Shapes of the inbox routes (validated by zod, listed in the OpenAPI document).
import { z } from 'zod';
import { tenantParams, text } from '../tenants/adminSchemas.js';

export const customerParams = tenantParams.extend({
  userPhone: z
    .string()
    .regex(/^\+?\d{5,20}$/, "must be the customer's WhatsApp number (digits)")
    .describe('Customer number as WhatsApp sends it (wa_id)'),
});

export const conversationState = z.object({
  user_phone: z.string(),
  handled_by: z.enum(['bot', 'person']),
  paused_until: z.string().nullable(),
  assigned_user_id: z.string().nullable(),
});

export const conversationSummary = conversationState.extend({
  last_message_at: z.string(),
  last_text: z.string().nullable(),
  last_direction: z.enum(['inbound', 'outbound']),
  unread: z.number(),
  window_ends_at: z.string().nullable(),
  waiting: z.boolean(),
});

export const inboxMessage = z.object({
  id: z.string(),
  user_phone: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  text: z.string().nullable(),
  message_type: z.string().nullable(),
  status: z.string(),
  whatsapp_message_id: z.string().nullable(),
  sent_by: z.enum(['customer', 'bot', 'agent']),
  agent_user_id: z.string().nullable(),
  created_at: z.string(),
});

// WhatsApp template parameters may not hold newlines or runs of spaces, and stay short.
const templateParameter = text(900)
  .regex(/^[^\n\t]*$/, 'must be one line')
  .refine((v) => !/ {5}/.test(v), 'must not hold more than four spaces in a row');

export const agentMessageBody = z.union([
  z.strictObject({ text: text(4096).trim().min(1) }),
  z.strictObject({
    template: z.strictObject({
      name: z.string().regex(/^[a-z0-9_]{1,512}$/, "must be the template's name (lower case letters, digits, _)"),
      language: z.string().regex(/^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})?$/, 'must be a language code such as en_US'),
      parameters: z.array(templateParameter).max(20).default([]),
    }),
  }),
]);

export const assignBody = z.strictObject({
  user_id: z.uuid().nullable().describe("One of the tenant's people, or null to unassign"),
});

export const whatsappTemplate = z.object({
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  body: z.string().nullable(),
  parameter_count: z.number(),
});
