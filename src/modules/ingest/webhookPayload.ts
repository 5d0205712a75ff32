// Turns a WhatsApp webhook POST body into the domain's ParsedWebhook. Meta adds fields, message
// types and change fields without notice, and a rejected delivery is redelivered for days, so
// only an unusable envelope fails; anything else is extracted or reported in `ignored`.
import { z } from 'zod';
import type {
  DeliveryStatusUpdate,
  IgnoredChange,
  InboundMessage,
  MessagesChange,
  ParsedWebhook,
} from '../../domain/inboundMessage.js';

export type WebhookParseResult = { ok: true; value: ParsedWebhook } | { ok: false; details: string };

// A leaf of the wrong type loses that one value, never the message that holds it.
const optString = z.string().optional().catch(undefined);
const optCode = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);
const optTimestamp = z.union([z.string(), z.number()]).optional().catch(undefined);
const optObject = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).optional().catch(undefined);

const envelopeSchema = z.looseObject(
  {
    entry: z.array(z.unknown(), {
      error: (issue) => (issue.input === undefined ? "Missing 'entry' in payload" : "'entry' is not an array"),
    }),
  },
  { error: 'Payload is not a JSON object' },
);

const entrySchema = z.looseObject(
  { changes: z.array(z.unknown(), { error: "no 'changes' array" }) },
  { error: 'not an object' },
);

const changeSchema = z.looseObject(
  { field: z.string({ error: "no 'field'" }), value: z.unknown().optional() },
  { error: 'not an object' },
);

const messagesValueSchema = z.looseObject(
  {
    metadata: z.looseObject(
      { phone_number_id: optString, display_phone_number: optString },
      { error: "no 'metadata' object" },
    ),
    contacts: z.array(z.unknown()).optional().catch(undefined),
    messages: z.array(z.unknown(), { error: "'messages' is not an array" }).optional(),
    statuses: z.array(z.unknown(), { error: "'statuses' is not an array" }).optional(),
    errors: z.array(z.unknown()).optional().catch(undefined),
  },
  { error: "no 'value' object" },
);

const contactSchema = z.looseObject({ wa_id: optString, user_id: optString, profile: optObject({ name: optString }) });

const titled = optObject({ title: optString });
const captioned = optObject({ caption: optString });

const messageSchema = z.looseObject(
  {
    id: z.string({ error: "no 'id'" }).min(1, { error: "empty 'id'" }),
    from: optString,
    from_user_id: optString,
    timestamp: optTimestamp,
    type: optString,
    context: optObject({ id: optString }),
    text: optObject({ body: optString }),
    interactive: optObject({ button_reply: titled, list_reply: titled, nfm_reply: optObject({ body: optString }) }),
    button: optObject({ text: optString }),
    image: captioned,
    video: captioned,
    document: captioned,
    order: optObject({ text: optString }),
  },
  { error: 'not an object' },
);

const errorSchema = z.looseObject({
  code: optCode,
  title: optString,
  message: optString,
  error_data: optObject({ details: optString }),
});

const statusSchema = z.looseObject(
  {
    id: z.string({ error: "no 'id'" }).min(1, { error: "empty 'id'" }),
    status: z.string({ error: "no 'status'" }),
    recipient_id: optString,
    timestamp: optTimestamp,
    // Our outbound row id, echoed by Meta (we send it with every part).
    biz_opaque_callback_data: optString,
    errors: z.array(z.unknown()).optional().catch(undefined),
  },
  { error: 'not an object' },
);

type ParsedMessage = z.infer<typeof messageSchema>;
type ParsedError = z.infer<typeof errorSchema>;
type Contact = z.infer<typeof contactSchema>;

export function parseWebhookPayload(body: unknown): WebhookParseResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, details: firstIssue(envelope.error) };

  const changes: MessagesChange[] = [];
  const ignored: IgnoredChange[] = [];
  envelope.data.entry.forEach((rawEntry, entryIndex) => {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) {
      ignored.push({ field: '(entry)', reason: `skipped entry ${entryIndex}: ${firstIssue(entry.error)}` });
      return;
    }
    for (const rawChange of entry.data.changes) {
      const change = changeSchema.safeParse(rawChange);
      if (!change.success) {
        ignored.push({ field: '(change)', reason: `skipped change: ${firstIssue(change.error)}` });
      } else if (change.data.field !== 'messages') {
        // Echoes of the business's own sends, account, template and call events: not customer messages.
        ignored.push({ field: change.data.field, reason: 'not a messages change' });
      } else {
        const parsed = parseMessagesChange(change.data.value, ignored);
        if (parsed) changes.push(parsed);
      }
    }
  });
  return { ok: true, value: { changes, ignored } };
}

function parseMessagesChange(rawValue: unknown, ignored: IgnoredChange[]): MessagesChange | null {
  const value = messagesValueSchema.safeParse(rawValue);
  if (!value.success) {
    ignored.push({ field: 'messages', reason: `skipped messages change: ${firstIssue(value.error)}` });
    return null;
  }
  const contacts = (value.data.contacts ?? []).flatMap((raw) => {
    const contact = contactSchema.safeParse(raw);
    return contact.success ? [contact.data] : [];
  });
  for (const error of parseErrors(value.data.errors)) {
    // Meta reports here what it could not deliver to us (e.g. 131000 unsupported payload).
    ignored.push({ field: 'messages', reason: `webhook error ${describeError(error)}` });
  }

  const messages: InboundMessage[] = [];
  (value.data.messages ?? []).forEach((raw, index) => {
    const message = messageSchema.safeParse(raw);
    if (!message.success) {
      ignored.push({ field: 'messages', reason: `skipped message ${index}: ${firstIssue(message.error)}` });
      return;
    }
    // Users with a username may hide their number; Meta then sends only the business-scoped id.
    const from = message.data.from ?? message.data.from_user_id;
    if (from === undefined) {
      ignored.push({ field: 'messages', reason: `skipped message ${message.data.id}: no 'from' or 'from_user_id'` });
      return;
    }
    messages.push(toInboundMessage(message.data, from, contacts, raw as Record<string, unknown>));
  });

  const statuses: DeliveryStatusUpdate[] = [];
  (value.data.statuses ?? []).forEach((raw, index) => {
    const status = statusSchema.safeParse(raw);
    if (!status.success) {
      ignored.push({ field: 'messages', reason: `skipped status ${index}: ${firstIssue(status.error)}` });
      return;
    }
    statuses.push({
      whatsappMessageId: status.data.id,
      status: status.data.status,
      recipient: status.data.recipient_id ?? null,
      at: dateFromSeconds(status.data.timestamp),
      callbackData: status.data.biz_opaque_callback_data ?? null,
      errors: parseErrors(status.data.errors).map((error) => ({
        code: error.code ?? null,
        title: error.title ?? null,
        details: error.error_data?.details ?? error.message ?? null,
      })),
      raw: raw as Record<string, unknown>,
    });
  });

  return {
    phoneNumberId: value.data.metadata.phone_number_id ?? null,
    displayPhoneNumber: value.data.metadata.display_phone_number ?? null,
    messages,
    statuses,
  };
}

function toInboundMessage(
  message: ParsedMessage,
  from: string,
  contacts: Contact[],
  raw: Record<string, unknown>,
): InboundMessage {
  const contact =
    contacts.find((c) => c.wa_id === from || (c.user_id !== undefined && c.user_id === message.from_user_id)) ??
    contacts[0];
  return {
    whatsappMessageId: message.id,
    from,
    sentAt: dateFromSeconds(message.timestamp),
    type: message.type ?? 'unknown',
    text: nonBlank(textOf(message)),
    contactName: nonBlank(contact?.profile?.name),
    contextMessageId: message.context?.id ?? null,
    raw,
  };
}

/** What the customer wrote or chose; list descriptions are the business's own copy, so left out. */
function textOf(message: ParsedMessage): string | undefined {
  switch (message.type) {
    case 'text':
      return message.text?.body;
    case 'interactive': {
      const reply = message.interactive;
      return reply?.button_reply?.title ?? reply?.list_reply?.title ?? reply?.nfm_reply?.body;
    }
    case 'button':
      return message.button?.text;
    case 'image':
    case 'video':
    case 'document':
      return message[message.type]?.caption;
    case 'order':
      return message.order?.text;
    default:
      return undefined;
  }
}

function parseErrors(rawErrors: unknown[] | undefined): ParsedError[] {
  return (rawErrors ?? []).flatMap((raw) => {
    const error = errorSchema.safeParse(raw);
    return error.success ? [error.data] : [];
  });
}

function describeError(error: ParsedError): string {
  const details = error.error_data?.details;
  return `${error.code ?? '?'}: ${error.title ?? error.message ?? 'no title'}${details ? ` (${details})` : ''}`;
}

function dateFromSeconds(value: string | number | undefined): Date | null {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

function nonBlank(text: string | undefined): string | null {
  return text !== undefined && text.trim() !== '' ? text : null;
}

// Every required part carries its own error text, so the first issue reads well on its own.
function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid payload';
}
