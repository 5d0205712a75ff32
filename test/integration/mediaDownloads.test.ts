import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaMessage, pngImage } from '../support/mediaFixtures.js';
import { lit, seedTenant, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface InboundRow {
  status: string;
  attempts: number;
  error_message: string | null;
}

const MAX_BYTES = 1024 * 1024;

describe.each(testEngines())('media downloads that go wrong (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let customerNo = 0;

  beforeAll(async () => {
    t = await startTestApp({
      engine,
      env: {
        MEDIA_MAX_BYTES: String(MAX_BYTES),
        MEDIA_DOWNLOAD_TIMEOUT_MS: '500',
        WORKER_MAX_ATTEMPTS: '3',
        WORKER_RETRY_BASE_MS: '1000',
      },
    });
    shop = await seedTenant(t, { name: 'Picture Shop', aiModel: 'gpt-4o' });
    t.ai.openai.reply = 'That is a lovely red guitar.';
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
  });

  const newCustomer = () => `2547550${String(++customerNo).padStart(5, '0')}`;
  const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);
  const lookupsOf = (mediaId: string) => t.graph.media.lookups.filter((l) => l.mediaId === mediaId);
  const downloadsOf = (mediaId: string) => t.graph.media.downloads.filter((d) => d.mediaId === mediaId);
  const inbound = async (wamid: string) =>
    (
      await t.rows<InboundRow>(`SELECT status, attempts, error_message FROM alphadome.bot_message_logs
      WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`)
    )[0];
  const outboundCount = async (wamid: string) =>
    (
      await t.rows(`SELECT 1 FROM alphadome.bot_message_logs WHERE direction = 'outbound' AND reply_to_log_id IN
      (SELECT id FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)})`)
    ).length;

  async function sendPicture(mediaId: string): Promise<string> {
    const message = mediaMessage(newCustomer(), 'image', {
      id: mediaId,
      mime_type: 'image/png',
      caption: 'Is this one in stock?',
    });
    const res = await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    expect(res.status).toBe(200);
    return String(message['id']);
  }

  /** The one reply and the answered row; fails when anything was sent (or written) twice. */
  async function answeredOnce(wamid: string): Promise<{ text: string; row: InboundRow }> {
    const row = await eventually(async () => {
      const r = await inbound(wamid);
      return r?.status === 'answered' && repliesTo(wamid).length > 0 ? r : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(wamid)).toHaveLength(1);
    expect(await outboundCount(wamid)).toBe(1);
    return { text: repliesTo(wamid)[0]?.body ?? '', row };
  }

  it('looks the picture up again when its URL has expired, and answers once', async () => {
    const png = pngImage();
    t.graph.addMedia('exp-1', { bytes: png, mimeType: 'image/png' }, { expiredUrls: 1 });
    const wamid = await sendPicture('exp-1');
    const { text, row } = await answeredOnce(wamid);
    expect(text).toBe('That is a lovely red guitar.');
    expect(row).toMatchObject({ attempts: 1, error_message: null });
    expect(lookupsOf('exp-1')).toHaveLength(2);
    expect(downloadsOf('exp-1').map((d) => d.status)).toEqual([404, 200]);
    expect(t.ai.openai.receivedImages().at(-1)?.bytes.equals(png)).toBe(true);
  });

  it('retries a lookup that failed with a 5xx before answering', async () => {
    t.graph.addMedia(
      'flaky-1',
      { bytes: pngImage(), mimeType: 'image/png' },
      {
        lookupFails: {
          status: 500,
          body: { error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2 } },
        },
        lookupFailsTimes: 2,
      },
    );
    const { row } = await answeredOnce(await sendPicture('flaky-1'));
    expect(row.attempts).toBe(1);
    expect(lookupsOf('flaky-1')).toHaveLength(3);
  });

  it('tells the customer it could not open media Meta no longer has, without retrying or resending', async () => {
    const aiBefore = t.ai.openai.requests.length;
    const wamid = await sendPicture('gone-1');
    const { text, row } = await answeredOnce(wamid);
    expect(text).toBe("Sorry, I couldn't open the picture you sent. Could you send it again?");
    expect(row.attempts).toBe(1);
    expect(row.error_message).toContain('does not exist');
    expect(lookupsOf('gone-1')).toHaveLength(1);
    expect(downloadsOf('gone-1')).toHaveLength(0);
    expect(t.ai.openai.requests.length).toBe(aiBefore);
  });

  it('answers a media message that carries no media id with the same notice, looking nothing up', async () => {
    const lookupsBefore = t.graph.media.lookups.length;
    const message = mediaMessage(newCustomer(), 'image', { mime_type: 'image/png' });
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
    const { text, row } = await answeredOnce(String(message['id']));
    expect(text).toBe("Sorry, I couldn't open the picture you sent. Could you send it again?");
    expect(row.error_message).toBe('the image message carries no media id');
    expect(t.graph.media.lookups.length).toBe(lookupsBefore);
  });

  it('refuses a picture declared over the limit without downloading it, and names the limit', async () => {
    t.graph.addMedia('big-1', { bytes: Buffer.alloc(MAX_BYTES + 1), mimeType: 'image/png' });
    const wamid = await sendPicture('big-1');
    const { text, row } = await answeredOnce(wamid);
    expect(text).toBe(
      'Sorry, the picture you sent is too large for me to open (the limit is 1 MB). Could you send a smaller one, or tell me in a message what you need?',
    );
    expect(row.error_message).toContain('over the limit of 1048576 bytes');
    expect(downloadsOf('big-1')).toHaveLength(0);
  });

  it('stops downloading a picture that turns out larger than declared, at the limit', async () => {
    const huge = Buffer.alloc(16 * MAX_BYTES, 1);
    t.graph.addMedia('liar-1', { bytes: huge, mimeType: 'image/png' }, { declaredSize: 2_000, hideLength: true });
    const wamid = await sendPicture('liar-1');
    const { text } = await answeredOnce(wamid);
    expect(text).toContain('too large for me to open (the limit is 1 MB)');
    const [download] = downloadsOf('liar-1');
    expect(download?.completed).toBe(false);
    expect(download?.bytesWritten).toBeLessThan(huge.length);
  });

  it('keeps a slow download pending with the error, then answers once when it speeds up', async () => {
    const media = t.graph.addMedia('slow-1', { bytes: pngImage(), mimeType: 'image/png' }, { downloadDelayMs: 5_000 });
    const wamid = await sendPicture('slow-1');
    const waiting = await eventually(async () => {
      const r = await inbound(wamid);
      return r?.status === 'pending' && r.error_message ? r : null;
    });
    expect(waiting.error_message).toContain('timed out after 500 ms');
    expect(repliesTo(wamid)).toHaveLength(0);
    media.downloadDelayMs = 0;

    const { text, row } = await answeredOnce(wamid);
    expect(text).toBe('That is a lovely red guitar.');
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(row.error_message).toBeNull();
    expect(downloadsOf('slow-1').filter((d) => d.completed && d.status === 200)).toHaveLength(1);
  });

  it('answers that it could not open the media on the last attempt rather than failing in silence', async () => {
    t.graph.addMedia('stuck-1', { bytes: pngImage(), mimeType: 'image/png' }, { downloadDelayMs: 5_000 });
    const wamid = await sendPicture('stuck-1');
    const { text, row } = await answeredOnce(wamid);
    expect(text).toBe("Sorry, I couldn't open the picture you sent. Could you send it again?");
    expect(row.attempts).toBe(3);
    expect(row.error_message).toContain('timed out');
  }, 20_000);
});
