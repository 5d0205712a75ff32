import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboundMessage, ParsedWebhook } from '../../domain/inboundMessage.js';
import { CORPUS_DIR, corpusFiles, corpusKinds } from '../../../test/support/corpus.js';
import { parseWebhookPayload } from './webhookPayload.js';

const webhookDir = path.join(CORPUS_DIR, 'whatsapp-webhooks');
const webhookFiles = corpusFiles('whatsapp-webhooks');
const kindByFile = corpusKinds();
// The manifest names voice notes after pywa's class; Meta sends them as type audio with audio.voice.
const manifestTypeAliases: Record<string, string> = { voice: 'audio' };

function readCorpus(file: string): unknown {
  return JSON.parse(readFileSync(path.join(webhookDir, file), 'utf8'));
}

function parseOk(body: unknown): ParsedWebhook {
  const result = parseWebhookPayload(body);
  if (!result.ok) throw new Error(`expected ok, got: ${result.details}`);
  return result.value;
}

function allMessages(parsed: ParsedWebhook): InboundMessage[] {
  return parsed.changes.flatMap((change) => change.messages);
}

function messagesChange(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: `+${phoneNumberId}`, phone_number_id: phoneNumberId },
      ...value,
    },
  };
}

function textMessage(id: string, from: string, body: string): Record<string, unknown> {
  return { from, id, timestamp: '1700000000', type: 'text', text: { body } };
}

function status(id: string, value: string): Record<string, unknown> {
  return { id, status: value, timestamp: '1700000001', recipient_id: '15550001111' };
}

function envelope(...entries: Record<string, unknown>[][]): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes, index) => ({ id: `waba-${index}`, changes })),
  };
}

describe('parseWebhookPayload: corpus', () => {
  it('has a manifest row for every webhook file', () => {
    expect(webhookFiles.length).toBeGreaterThanOrEqual(103);
    const missing = webhookFiles.filter((file) => !kindByFile.has(`whatsapp-webhooks/${file}`));
    expect(missing).toEqual([]);
  });

  it.each(webhookFiles.map((file) => [file, kindByFile.get(`whatsapp-webhooks/${file}`) ?? '']))(
    '%s (%s)',
    (file, kind) => {
      const parsed = parseOk(readCorpus(file));
      const messages = allMessages(parsed);
      const statuses = parsed.changes.flatMap((change) => change.statuses);
      const messageKind = /^message\/([a-z_]+)/.exec(kind);
      const statusKind = /^status\/([a-z_]+)(?:[^+]*\+errors\(([\d]+)\))?/.exec(kind);
      const valueError = /value-errors\((\d+)\)/.exec(kind);

      if (messageKind?.[1]) {
        expect(messages.map((m) => m.type)).toContain(manifestTypeAliases[messageKind[1]] ?? messageKind[1]);
        for (const message of messages) {
          expect(message.whatsappMessageId).not.toBe('');
          expect(message.from).not.toBe('');
          expect(message.raw['id']).toBe(message.whatsappMessageId);
        }
        if (valueError?.[1]) expect(parsed.ignored.some((i) => i.reason.includes(valueError[1] ?? ''))).toBe(true);
      } else if (statusKind?.[1]) {
        expect(statuses.map((s) => s.status)).toContain(statusKind[1]);
        expect(messages).toEqual([]);
        const errorCodes = statuses.flatMap((s) => s.errors.map((e) => e.code));
        if (statusKind[2]) expect(errorCodes).toContain(Number(statusKind[2]));
      } else {
        expect(messages).toEqual([]);
        expect(statuses).toEqual([]);
        expect(parsed.ignored.map((i) => i.field)).toContain(kind.split('/')[0]);
      }
    },
  );

  it.each<[string, Partial<InboundMessage>]>([
    [
      'heyoo--data.json',
      {
        type: 'text',
        from: '255757294146',
        text: 'Hi',
        contactName: 'Jordan Kalebu',
        sentAt: new Date('2022-05-20T12:10:43Z'),
        contextMessageId: null,
      },
    ],
    ['pywa--callback_button-button.json', { type: 'interactive', text: 'title', contextMessageId: 'wamid.xyzxyz' }],
    ['pywa--callback_selection-description.json', { type: 'interactive', text: 'title' }],
    ['pywa--flow_completion-completion.json', { type: 'interactive', text: 'Sent' }],
    ['pywa--call_permission_update-accept.json', { type: 'interactive', text: null }],
    ['wbja--buttonMessage.json', { type: 'button', text: 'SIM' }],
    ['softlivery--WebhookMessageEvent.json', { type: 'image', text: 'Image caption example', contactName: 'John Doe' }],
    ['wbja--videoMessage.json', { type: 'video', text: 'hello world' }],
    ['pywa--message-document.json', { type: 'document', text: 'caption' }],
    ['pywa--message-reaction.json', { type: 'reaction', text: null }],
    ['pywa--message-reply.json', { type: 'text', text: 'replied text', contextMessageId: 'wamid.xyzxyz==' }],
    ['pywa--system-phone_number_change.json', { type: 'system', contactName: null }],
  ])('normalises %s', (file, expected) => {
    expect(allMessages(parseOk(readCorpus(file)))[0]).toMatchObject(expected);
  });

  it('keeps biz_opaque_callback_data on a status (null when absent)', () => {
    const [tracked] = parseOk(readCorpus('pywa--message_status-with_tracker.json')).changes;
    expect(tracked?.statuses[0]).toMatchObject({
      whatsappMessageId: 'wamid.xyzxyz',
      status: 'sent',
      callbackData: 'some data',
    });
    const [plain] = parseOk(readCorpus('wbja--reEngagementMessageError.json')).changes;
    expect(plain?.statuses[0]?.callbackData).toBeNull();
  });

  it('normalises a failed status with its error details', () => {
    const [change] = parseOk(readCorpus('wbja--reEngagementMessageError.json')).changes;
    expect(change?.statuses[0]).toMatchObject({
      status: 'failed',
      recipient: '5511111111111',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          details: expect.stringContaining('more than 24 hours') as unknown as string,
        },
      ],
    });
    expect(change?.statuses[0]?.at).toBeInstanceOf(Date);
  });
});

describe('parseWebhookPayload: batches', () => {
  it('extracts every message and status of every change of every entry, in order', () => {
    const parsed = parseOk(
      envelope(
        [
          messagesChange('111', {
            contacts: [{ profile: { name: 'Ann' }, wa_id: '1001' }],
            messages: [
              textMessage('m1', '1001', 'one'),
              textMessage('m2', '1001', 'two'),
              textMessage('m3', '1001', 'three'),
            ],
            statuses: [status('s1', 'sent'), status('s2', 'delivered')],
          }),
          { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
        ],
        [
          messagesChange('222', { messages: [textMessage('m4', '2002', 'four'), textMessage('m5', '2003', 'five')] }),
          messagesChange('222', { statuses: [status('s3', 'read'), status('s4', 'failed')] }),
        ],
      ),
    );
    expect(parsed.changes.map((c) => c.phoneNumberId)).toEqual(['111', '222', '222']);
    expect(parsed.changes[0]?.displayPhoneNumber).toBe('+111');
    expect(allMessages(parsed).map((m) => [m.whatsappMessageId, m.text])).toEqual([
      ['m1', 'one'],
      ['m2', 'two'],
      ['m3', 'three'],
      ['m4', 'four'],
      ['m5', 'five'],
    ]);
    expect(parsed.changes.flatMap((c) => c.statuses.map((s) => `${s.whatsappMessageId}:${s.status}`))).toEqual([
      's1:sent',
      's2:delivered',
      's3:read',
      's4:failed',
    ]);
    expect(parsed.ignored).toEqual([{ field: 'account_update', reason: 'not a messages change' }]);
  });

  it('picks the contact whose wa_id or user_id matches the sender, else the first', () => {
    const parsed = parseOk(
      envelope([
        messagesChange('111', {
          contacts: [
            { profile: { name: 'Ann' }, wa_id: '1001' },
            { profile: { name: 'Bob' }, wa_id: '1002' },
            { profile: { name: 'Cy' }, user_id: 'US.77' },
          ],
          messages: [
            textMessage('m1', '1002', 'hi'),
            textMessage('m2', '9999', 'hi'),
            { from_user_id: 'US.77', id: 'm3', timestamp: '1700000000', type: 'text', text: { body: 'hi' } },
          ],
        }),
      ]),
    );
    expect(allMessages(parsed).map((m) => [m.from, m.contactName])).toEqual([
      ['1002', 'Bob'],
      ['9999', 'Ann'],
      ['US.77', 'Cy'],
    ]);
  });

  it('skips unusable items with a reason and keeps the rest', () => {
    const parsed = parseOk(
      envelope(
        [
          messagesChange('111', {
            messages: [
              { from: '1001', type: 'text', text: { body: 'no id' } },
              { id: 'm-no-from', type: 'text', text: { body: 'no sender' } },
              textMessage('m-ok', '1001', 'fine'),
              'not an object',
            ],
            statuses: [{ status: 'sent' }, status('s-ok', 'sent')],
          }),
          { field: 'messages', value: { messages: [textMessage('m-lost', '1001', 'no metadata')] } },
        ],
        [],
      ),
    );
    expect(allMessages(parsed).map((m) => m.whatsappMessageId)).toEqual(['m-ok']);
    expect(parsed.changes[0]?.statuses.map((s) => s.whatsappMessageId)).toEqual(['s-ok']);
    expect(parsed.ignored.map((i) => i.reason)).toEqual([
      "skipped message 0: no 'id'",
      "skipped message m-no-from: no 'from' or 'from_user_id'",
      'skipped message 3: not an object',
      "skipped status 0: no 'id'",
      "skipped messages change: no 'metadata' object",
    ]);
  });

  it('tolerates unknown types, missing types, bad timestamps and malformed leaves', () => {
    const parsed = parseOk(
      envelope([
        messagesChange('111', {
          messages: [
            { from: '1001', id: 'm1', timestamp: '<TIMESTAMP>', type: 'hologram', hologram: { depth: 3 }, extra: true },
            { from: '1001', id: 'm2', timestamp: 1700000000 },
            { from: '1001', id: 'm3', type: 'text', text: { body: 42 }, context: 'nope' },
            { from: '1001', id: 'm4', type: 'text', text: { body: '   ' } },
          ],
        }),
      ]),
    );
    const summary = allMessages(parsed).map((m) => [
      m.type,
      m.text,
      m.sentAt?.toISOString() ?? null,
      m.contextMessageId,
    ]);
    expect(summary).toEqual([
      ['hologram', null, null, null],
      ['unknown', null, '2023-11-14T22:13:20.000Z', null],
      ['text', null, null, null],
      ['text', null, null, null],
    ]);
    expect(allMessages(parsed)[0]?.raw).toMatchObject({ hologram: { depth: 3 }, extra: true });
  });

  it('reports garbage entries and changes as ignored instead of failing', () => {
    const garbageChanges = [null, { value: {} }, { field: 'messages' }];
    const parsed = parseOk({ entry: [null, 7, { id: 'x' }, { changes: garbageChanges }] });
    expect(parsed.changes).toEqual([]);
    expect(parsed.ignored.map((i) => `${i.field} ${i.reason}`)).toEqual([
      '(entry) skipped entry 0: not an object',
      '(entry) skipped entry 1: not an object',
      "(entry) skipped entry 2: no 'changes' array",
      '(change) skipped change: not an object',
      "(change) skipped change: no 'field'",
      "messages skipped messages change: no 'value' object",
    ]);
  });
});

describe('parseWebhookPayload: unusable envelopes', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'Payload is not a JSON object'],
    ['a string', 'hello', 'Payload is not a JSON object'],
    ['a number', 42, 'Payload is not a JSON object'],
    ['an array', [{ entry: [] }], 'Payload is not a JSON object'],
    ['an empty object', {}, "Missing 'entry' in payload"],
    ['no entry', { object: 'whatsapp_business_account' }, "Missing 'entry' in payload"],
    ['entry as object', { entry: {} }, "'entry' is not an array"],
    ['entry null', { entry: null }, "'entry' is not an array"],
  ])('rejects %s', (_label, body, details) => {
    expect(parseWebhookPayload(body)).toEqual({ ok: false, details });
  });

  it('accepts an empty entry list', () => {
    expect(parseWebhookPayload({ entry: [] })).toEqual({ ok: true, value: { changes: [], ignored: [] } });
  });
});
