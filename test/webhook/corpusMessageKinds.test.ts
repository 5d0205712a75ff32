// Every message in the vendored WhatsApp corpus goes through the real webhook and the worker, and
// ends the way its kind says: answered (and from where) or deliberately left unanswered (and why).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusFiles } from '../support/corpus.js';
import { lit, seedTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

type Expected = { status: 'answered'; source: string } | { status: 'skipped'; reason: string };
const answered = (source: string): Expected => ({ status: 'answered', source });
const skipped = (reason: string): Expected => ({ status: 'skipped', reason });

// Media ids in the corpus are unknown to the fake Graph API, and the test tenant's model reads no
// pictures: media ends with a notice that it could not be used, and a picture's or video's
// caption is still answered (by the AI, the notice put before the answer). A document's caption
// asks about the document itself, so a document that cannot be downloaded gets the notice alone.
const EXPECTED: Record<string, Expected> = {
  text: answered('ai'),
  button: answered('ai'),
  'interactive/button_reply': answered('ai'),
  'interactive/list_reply': answered('ai'),
  'interactive/nfm_reply': answered('ai'),
  'interactive/call_permission_reply': skipped('the customer answered a call permission request'),
  'interactive/(none)': answered('notice'),
  request_welcome: answered('ai'),
  location: answered('ai'),
  contacts: answered('notice'),
  order: answered('notice'),
  sticker: answered('notice'),
  unsupported: answered('notice'),
  image: answered('notice'),
  'image+caption': answered('ai'),
  document: answered('notice'),
  'document+caption': answered('notice'),
  audio: answered('notice'),
  'video+caption': answered('ai'),
  reaction: skipped('reaction recorded as feedback'),
  'reaction/removed': skipped('the customer removed a reaction'),
  revoke: skipped('the customer deleted a message'),
  'edit/image': answered('ai'),
  'system/customer_identity_changed': skipped('a system message (customer_identity_changed) needs no answer'),
  'system/user_changed_number': skipped('a system message (user_changed_number) needs no answer'),
};

type Json = Record<string, any>;

interface CorpusCase {
  file: string;
  payload: Json;
  messages: Json[];
}

function messagesOf(payload: Json): Json[] {
  const changes: Json[] = (Array.isArray(payload['entry']) ? payload['entry'] : []).flatMap((e: Json) =>
    Array.isArray(e?.['changes']) ? e['changes'] : [],
  );
  return changes
    .filter((c) => c?.['field'] === 'messages')
    .flatMap((c) => (Array.isArray(c?.['value']?.['messages']) ? c['value']['messages'] : []));
}

/** The message's type, refined where one type covers messages handled differently. */
function kindOf(message: Json): string {
  const type = String(message['type'] ?? 'unknown');
  switch (type) {
    case 'interactive':
      return `interactive/${message['interactive']?.['type'] ?? '(none)'}`;
    case 'reaction':
      return message['reaction']?.['emoji'] ? 'reaction' : 'reaction/removed';
    case 'system':
      return `system/${message['system']?.['type'] ?? '(none)'}`;
    case 'edit':
      return `edit/${message['edit']?.['message']?.['type'] ?? '(none)'}`;
    case 'image':
    case 'video':
    case 'document':
      return message[type]?.['caption'] ? `${type}+caption` : type;
    default:
      return type;
  }
}

const CASES: CorpusCase[] = corpusFiles('whatsapp-webhooks').flatMap((file) => {
  const payload = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'whatsapp-webhooks', file), 'utf8')) as Json;
  const messages = messagesOf(payload);
  return messages.length > 0 ? [{ file, payload, messages }] : [];
});

describe.each(testEngines())('every corpus message, answered or deliberately not (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('covers the corpus: dozens of message files, and every kind in the table occurs', () => {
    expect(CASES.length).toBeGreaterThan(50);
    const kinds = new Set(CASES.flatMap((c) => c.messages.map(kindOf)));
    expect(Object.keys(EXPECTED).filter((kind) => !kinds.has(kind))).toEqual([]);
  });

  it.each(CASES)('$file', async ({ file, payload, messages }) => {
    for (const message of messages) {
      expect(EXPECTED[kindOf(message)], `${file}: kind "${kindOf(message)}" is not in the table`).toBeDefined();
    }
    // Its own tenant: corpus files reuse message ids, which are unique per tenant.
    const tenant = await seedTenant(t);
    const routed = structuredClone(payload);
    for (const entry of routed['entry'] as Json[]) {
      for (const change of entry['changes'] as Json[]) {
        if (change['field'] !== 'messages' || !change['value']?.['metadata']) continue;
        change['value']['metadata']['phone_number_id'] = tenant.phoneNumberId;
        change['value']['metadata']['display_phone_number'] = tenant.phone;
      }
    }
    // The corpus was recorded years ago: the customer's conversation is opened now, as if they
    // had written a moment before, so WhatsApp's 24-hour window does not decide the outcome.
    for (const from of new Set(messages.map((m) => String(m['from'])))) {
      await t.rows(
        `INSERT INTO alphadome.conversations (bot_tenant_id, user_phone, last_inbound_at) VALUES (${lit(tenant.id)}, ${lit(from)}, now())`,
      );
    }
    const res = await t.postWebhook(JSON.stringify(routed));
    expect(res.status).toBe(200);

    for (const message of messages) {
      const wamid = String(message['id']);
      const row = await eventually(async () => {
        const [r] = await t.rows<{
          id: string;
          status: string;
          metadata: Json;
        }>(`SELECT id, status, metadata FROM alphadome.bot_message_logs
          WHERE bot_tenant_id = ${lit(tenant.id)} AND direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`);
        return r && r.status !== 'pending' && r.status !== 'processing' ? r : null;
      });
      const expected = EXPECTED[kindOf(message)];
      const actual: Expected =
        row.status === 'answered'
          ? answered(String(row.metadata['reply_source']))
          : row.status === 'skipped'
            ? skipped(String(row.metadata['skip_reason']))
            : ({ status: row.status, error: row.metadata } as unknown as Expected);
      expect(actual, `${file} (${kindOf(message)})`).toEqual(expected);
      const replies = await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'outbound' AND reply_to_log_id = ${lit(row.id)}`,
      );
      expect(replies.map((r) => r.status)).toEqual(row.status === 'answered' ? ['sent'] : []);
    }
  });
});
