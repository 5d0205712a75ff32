// What ingest extracts from a webhook: the shapes the rest of the system works with,
// independent of how Meta nests them.

/** One customer message, normalised from `value.messages[]`. */
export interface InboundMessage {
  whatsappMessageId: string;
  /** Customer's WhatsApp number (wa_id), digits only as Meta sends it. */
  from: string;
  /** Meta's timestamp (seconds) as a Date, or null when absent or not a number. */
  sentAt: Date | null;
  /** Meta's `type` ("text", "image", "interactive", ...), "unknown" when missing. */
  type: string;
  /** The text the customer wrote or chose (text body, button/list title, caption); null when none. */
  text: string | null;
  /** Profile name from `value.contacts[]` when present. */
  contactName: string | null;
  /** `context.id`: the message this one replies to, when present. */
  contextMessageId: string | null;
  /** The message object exactly as Meta sent it, kept for later stages and audits. */
  raw: Record<string, unknown>;
}

/** One delivery status, normalised from `value.statuses[]`. */
export interface DeliveryStatusUpdate {
  whatsappMessageId: string;
  /** "sent" | "delivered" | "read" | "failed" | "deleted" | whatever Meta adds. */
  status: string;
  recipient: string | null;
  at: Date | null;
  /** biz_opaque_callback_data: what we sent with the message (the outbound row's id), or null. */
  callbackData: string | null;
  errors: { code: number | null; title: string | null; details: string | null }[];
  raw: Record<string, unknown>;
}

/** One `entry[].changes[]` item of field "messages", with its routing keys. */
export interface MessagesChange {
  phoneNumberId: string | null;
  displayPhoneNumber: string | null;
  messages: InboundMessage[];
  statuses: DeliveryStatusUpdate[];
}

/** A change we accept but do not act on (account updates, template updates, calls, ...). */
export interface IgnoredChange {
  field: string;
  reason: string;
}

export interface ParsedWebhook {
  changes: MessagesChange[];
  ignored: IgnoredChange[];
}
