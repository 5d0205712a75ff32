// Builds Meta-shaped webhook bodies, each with a fresh wamid, signed like Meta signs them, so every
// request is a new message to store (never a duplicate the database would skip).
import { createHmac } from 'node:crypto';

export interface BenchTenant {
  phone: string;
  phoneNumberId: string;
  accessToken: string;
}

export interface SignedWebhook {
  id: string;
  from: string;
  body: string;
  signature: string;
}

/**
 * The i-th of the bench's many tenants (the tenants-pg scenario): its own display number and phone
 * number id, so each message is routed to it; appServer.ts seeds the same list.
 */
export function manyTenant(i: number): BenchTenant {
  return {
    phone: `2547011${String(i).padStart(5, '0')}`,
    phoneNumberId: `1099991${String(i).padStart(8, '0')}`,
    accessToken: 'EAAbenchtoken',
  };
}

export interface WebhookFactoryOptions {
  secret: string;
  tenant: BenchTenant;
  customers: number;
  text: string;
  tag: string;
  /** When given, message `n` goes to `tenants[n % tenants.length]` instead of `tenant`. */
  tenants?: readonly BenchTenant[];
}

export class WebhookFactory {
  private counter = 0;

  constructor(private readonly options: WebhookFactoryOptions) {}

  /** Message `n` comes from customer `n % customers`, so conversations interleave. */
  next(): SignedWebhook {
    const n = this.counter++;
    const { customers, text, tag, secret, tenants } = this.options;
    const tenant = tenants?.[n % tenants.length] ?? this.options.tenant;
    const id = `wamid.bench-${process.pid}-${tag}-${n}`;
    const from = `2547${String(10_000_000 + (n % customers)).slice(-8)}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA-BENCH',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: tenant.phone, phone_number_id: tenant.phoneNumberId },
                contacts: [{ profile: { name: 'Bench Customer' }, wa_id: from }],
                messages: [
                  { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return { id, from, body, signature };
  }
}
