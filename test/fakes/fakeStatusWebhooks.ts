// Meta's status webhooks, as the fake Graph API emits them back to the app: signed with the app
// secret, routed by phone number id, echoing biz_opaque_callback_data like Meta does.
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';

export interface StatusWebhookTarget {
  /** The app's POST /webhook URL. */
  url: string;
  secret: string;
}

export interface FakeStatus {
  phoneNumberId: string;
  wamid: string;
  recipient: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  callbackData?: string | null;
}

export function statusWebhookBody(status: FakeStatus): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-FAKE',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: status.phoneNumberId },
              statuses: [
                {
                  id: status.wamid,
                  status: status.status,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: status.recipient,
                  ...(status.callbackData ? { biz_opaque_callback_data: status.callbackData } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** Posts one status webhook; resolves with the app's HTTP status. */
export async function postStatusWebhook(target: StatusWebhookTarget, status: FakeStatus): Promise<number> {
  const raw = JSON.stringify(statusWebhookBody(status));
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureFor(raw, target.secret) },
    body: raw,
  });
  await res.arrayBuffer();
  return res.status;
}
