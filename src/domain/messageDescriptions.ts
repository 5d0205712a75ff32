// Reads the parts of a raw WhatsApp message object that the bot talks about: a shared location,
// shared contacts, an order's items, an edited message's new text, a reaction. Meta's shapes are
// loose and change without notice, so every reader tolerates missing or mistyped fields.
import { z } from 'zod';

const optText = z.string().optional().catch(undefined);
const optNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+(?:\.\d+)?$/)
      .transform(Number),
  ])
  .optional()
  .catch(undefined);

const locationSchema = z.looseObject({
  latitude: optNumber,
  longitude: optNumber,
  name: optText,
  address: optText,
  url: optText,
});

const contactSchema = z.looseObject({
  name: z.looseObject({ formatted_name: optText, first_name: optText, last_name: optText }).optional().catch(undefined),
  phones: z
    .array(z.looseObject({ phone: optText, wa_id: optText }))
    .optional()
    .catch(undefined),
});

const orderItemSchema = z.looseObject({
  product_retailer_id: optText,
  quantity: optNumber,
  item_price: optNumber,
  currency: optText,
});

export interface SharedLocation {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
  url: string | null;
}

export interface SharedContact {
  name: string | null;
  phones: string[];
}

export interface OrderItem {
  product: string;
  quantity: number;
  price: number | null;
  currency: string | null;
}

export interface Order {
  items: OrderItem[];
  note: string | null;
}

function clean(text: string | undefined): string | null {
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

/** The location of a `location` message; null without usable coordinates. */
export function locationOf(message: Record<string, unknown>): SharedLocation | null {
  const parsed = locationSchema.safeParse(message['location']);
  if (!parsed.success) return null;
  const { latitude, longitude } = parsed.data;
  if (latitude === undefined || longitude === undefined || Math.abs(latitude) > 90 || Math.abs(longitude) > 180)
    return null;
  return {
    latitude,
    longitude,
    name: clean(parsed.data.name),
    address: clean(parsed.data.address),
    url: clean(parsed.data.url),
  };
}

/** A location in words for the AI: name, address, coordinates and a map link. */
export function describeLocation(location: SharedLocation): string {
  const coordinates = `${location.latitude}, ${location.longitude}`;
  const place = [location.name, location.address].filter((p) => p !== null).join(', ');
  const map = `https://www.google.com/maps/search/?api=1&query=${location.latitude},${location.longitude}`;
  return [
    'The customer shared a location with us.',
    ...(place ? [`Place: ${place}`] : []),
    `Coordinates: ${coordinates}`,
    `Map: ${map}`,
    ...(location.url && location.url !== map ? [`Link they sent: ${location.url}`] : []),
    'Answer what this location means for them (for example delivery, directions or the nearest branch) from what you know about the business.',
  ].join('\n');
}

/** The contact cards of a `contacts` message. */
export function contactsOf(message: Record<string, unknown>): SharedContact[] {
  const raw = message['contacts'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = contactSchema.safeParse(entry);
    if (!parsed.success) return [];
    const name = parsed.data.name;
    const full = clean(name?.formatted_name) ?? clean([name?.first_name, name?.last_name].filter(Boolean).join(' '));
    const phones = (parsed.data.phones ?? []).flatMap((p) => {
      const phone = clean(p.phone) ?? clean(p.wa_id);
      return phone ? [phone] : [];
    });
    return full || phones.length > 0 ? [{ name: full, phones }] : [];
  });
}

/** "Chandler Bing, Monica and Rachel Green"; a card without a name is named by its number. */
export function contactNames(contacts: SharedContact[]): string {
  const names = contacts.map((c) => c.name ?? c.phones[0] ?? 'a contact');
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The items and note of an `order` message; null when it lists nothing. */
export function orderOf(message: Record<string, unknown>): Order | null {
  const raw = z
    .looseObject({ product_items: z.array(z.unknown()).optional().catch(undefined), text: optText })
    .safeParse(message['order']);
  if (!raw.success) return null;
  const items = (raw.data.product_items ?? []).flatMap((entry) => {
    const item = orderItemSchema.safeParse(entry);
    const product = item.success ? clean(item.data.product_retailer_id) : null;
    if (!item.success || !product) return [];
    return [
      {
        product,
        quantity: item.data.quantity ?? 1,
        price: item.data.item_price ?? null,
        currency: clean(item.data.currency),
      },
    ];
  });
  const note = clean(raw.data.text);
  return items.length > 0 || note ? { items, note } : null;
}

/** "3 × HAMBURGER (30 ILS each)" lines and the total when every item has a price in one currency. */
export function describeOrder(order: Order): string {
  const lines = order.items.map(
    (i) =>
      `${i.quantity} × ${i.product}${i.price === null ? '' : ` (${i.price}${i.currency ? ` ${i.currency}` : ''} each)`}`,
  );
  const currencies = new Set(order.items.map((i) => i.currency));
  if (order.items.length > 0 && order.items.every((i) => i.price !== null) && currencies.size === 1) {
    const total = order.items.reduce((sum, i) => sum + i.quantity * (i.price ?? 0), 0);
    lines.push(`Total: ${Math.round(total * 100) / 100}${[...currencies][0] ? ` ${[...currencies][0]}` : ''}`);
  }
  if (order.note) lines.push(`Note: ${order.note}`);
  return lines.join('\n');
}

/** The new text of an `edit` message: the edited text body or caption; null when there is none. */
export function editedTextOf(message: Record<string, unknown>): string | null {
  const edited = z
    .looseObject({ message: z.record(z.string(), z.unknown()).optional().catch(undefined) })
    .safeParse(message['edit']);
  const inner = edited.success ? edited.data.message : undefined;
  if (!inner) return null;
  const type = typeof inner['type'] === 'string' ? inner['type'] : 'text';
  const body = z.looseObject({ body: optText, caption: optText }).safeParse(inner[type]);
  return body.success ? clean(body.data.body ?? body.data.caption) : null;
}

/** The emoji and target of a `reaction` message; emoji null when the customer removed a reaction. */
export function reactionOf(message: Record<string, unknown>): { messageId: string | null; emoji: string | null } {
  const parsed = z.looseObject({ message_id: optText, emoji: optText }).safeParse(message['reaction']);
  if (!parsed.success) return { messageId: null, emoji: null };
  return { messageId: clean(parsed.data.message_id), emoji: clean(parsed.data.emoji) };
}

/** The `type` of a system or interactive message's inner object (`customer_identity_changed`, `call_permission_reply`). */
export function innerTypeOf(message: Record<string, unknown>, key: string): string | null {
  const parsed = z.looseObject({ type: optText }).safeParse(message[key]);
  return parsed.success ? clean(parsed.data.type) : null;
}
