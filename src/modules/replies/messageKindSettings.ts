// The tenant's texts for messages that are not questions (a location, a sticker, an order...) from
// bot_control_settings.metadata, each with a default; a malformed value falls back to the default.
import { z } from 'zod';

export const DEFAULT_NOTICES = {
  sticker_reply:
    "Thanks for the sticker! I can only answer written messages, so please type your question and I'll gladly help.",
  unsupported_reply:
    "Sorry, I can't open this kind of message. Please send your question as text and I'll gladly help.",
  contacts_reply: 'Thank you for sharing the contact details of {contacts}. We have received them.',
  order_reply:
    'Thank you for your order! We have received it and someone from our team will confirm it with you shortly.\n\n{items}',
  edit_reply: 'I see you edited a message. If you still need help, please send your question again as a new message.',
} as const;

const text = z.string().trim().min(1).max(1000);

const schema = z.object({
  // Sent instead of asking the AI when a customer shares a location (directions, delivery areas...).
  location_reply: text.nullable().catch(null),
  sticker_reply: text.catch(DEFAULT_NOTICES.sticker_reply),
  unsupported_reply: text.catch(DEFAULT_NOTICES.unsupported_reply),
  contacts_reply: text.catch(DEFAULT_NOTICES.contacts_reply),
  order_reply: text.catch(DEFAULT_NOTICES.order_reply),
  edit_reply: text.catch(DEFAULT_NOTICES.edit_reply),
});

export type MessageKindSettings = z.infer<typeof schema>;

export function messageKindSettingsOf(metadata: Record<string, unknown>): MessageKindSettings {
  return schema.parse(metadata);
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written. */
export function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole).trim();
}
