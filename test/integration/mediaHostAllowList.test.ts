// MEDIA_ALLOWED_HOSTS through the whole path: a media lookup whose URL (or a redirect) points off
// the list is refused before the tenant's token goes there, and the customer hears "couldn't open it".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { mediaMessage, pngImage } from '../support/mediaFixtures.js';
import { lit, seedTenant, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const COULD_NOT_OPEN = "Sorry, I couldn't open the picture you sent. Could you send it again?";

describe.each(testEngines())('media hosts off the allow-list (%s)', (engine) => {
  const raw: string[] = [];
  let t: TestApp;
  let shop: SeededTenant;
  // Another server on loopback that records every request's Authorization header: the "attacker".
  let elsewhere: FakeGraphApi;
  let elsewherePort: string;
  let customerNo = 0;

  beforeAll(async () => {
    elsewhere = new FakeGraphApi();
    elsewherePort = new URL(await elsewhere.start()).port;
    const logger = createLogger('debug', { write: (line: string) => void raw.push(line) });
    // The other server's address is on the list for https only: its plain-http URLs are refused too.
    t = await startTestApp({
      engine,
      logger,
      env: { WORKER_MAX_ATTEMPTS: '3' },
      mediaAllowedHosts: [`127.0.0.1:${elsewherePort}`],
    });
    shop = await seedTenant(t, { name: 'Allow-list Shop', aiModel: 'gpt-4o' });
    t.ai.openai.reply = 'A fine picture.';
  });
  afterAll(async () => {
    await t.stop();
    await elsewhere.stop();
  });

  async function sendPicture(
    mediaId: string,
  ): Promise<{ text: string; row: { attempts: number; error_message: string | null } }> {
    const message = mediaMessage(`2547660${String(++customerNo).padStart(5, '0')}`, 'image', {
      id: mediaId,
      mime_type: 'image/png',
    });
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
    const wamid = String(message['id']);
    const row = await eventually(async () => {
      const [r] = await t.rows<{ status: string; attempts: number; error_message: string | null }>(
        `SELECT status, attempts, error_message FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`,
      );
      return r?.status === 'answered' ? r : null;
    });
    const replies = t.graph.sentTexts().filter((s) => s.replyTo === wamid);
    expect(replies).toHaveLength(1);
    return { text: replies[0]?.body ?? '', row };
  }

  function refusals(): Record<string, unknown>[] {
    return raw
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => String(l['msg']).includes('MEDIA_ALLOWED_HOSTS'));
  }

  function expectTokenNeverLeft(): void {
    expect(elsewhere.media.downloads).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    // The refusal names the host, never the token or the signed path and query.
    const logged = raw.join('\n');
    expect(logged).not.toContain(shop.accessToken);
    expect(logged).not.toContain('media-download');
  }

  it('refuses a download URL on a host that is not on the list, and tells the customer once', async () => {
    const png = pngImage();
    t.graph.addMedia(
      'off-list',
      { bytes: png, mimeType: 'image/png' },
      { downloadOrigin: `http://localhost:${elsewherePort}` },
    );
    const { text, row } = await sendPicture('off-list');
    expect(text).toBe(COULD_NOT_OPEN);
    expect(row.attempts).toBe(1);
    expect(row.error_message).toContain(`http://localhost:${elsewherePort}`);
    expect(t.graph.media.lookups.filter((l) => l.mediaId === 'off-list')).toHaveLength(1);
    expect(refusals().at(-1)).toMatchObject({ level: 40, host: `http://localhost:${elsewherePort}`, redirectHop: 0 });
    expectTokenNeverLeft();
  });

  it('refuses plain http to a host that is on the list for https only', async () => {
    t.graph.addMedia(
      'clear-text',
      { bytes: pngImage(), mimeType: 'image/png' },
      { downloadOrigin: `http://127.0.0.1:${elsewherePort}` },
    );
    const { text, row } = await sendPicture('clear-text');
    expect(text).toBe(COULD_NOT_OPEN);
    expect(row.attempts).toBe(1);
    expect(refusals().at(-1)).toMatchObject({ host: `http://127.0.0.1:${elsewherePort}` });
    expectTokenNeverLeft();
  });

  it('refuses a redirect off the list after asking only the allowed first hop', async () => {
    t.graph.addMedia(
      'detour',
      { bytes: pngImage(), mimeType: 'image/png' },
      { redirectOrigin: `http://localhost:${elsewherePort}` },
    );
    const { text } = await sendPicture('detour');
    expect(text).toBe(COULD_NOT_OPEN);
    expect(t.graph.media.downloads.filter((d) => d.mediaId === 'detour').map((d) => d.status)).toEqual([302]);
    expect(refusals().at(-1)).toMatchObject({ host: `http://localhost:${elsewherePort}`, redirectHop: 1 });
    expectTokenNeverLeft();
  });

  it('downloads from the explicitly allowed http origin, redirects within it included', async () => {
    const png = pngImage();
    t.graph.addMedia(
      'home',
      { bytes: png, mimeType: 'image/png' },
      { redirectOrigin: new URL(t.env['GRAPH_API_BASE_URL']!).origin },
    );
    const { text } = await sendPicture('home');
    expect(text).toBe('A fine picture.');
    expect(t.graph.media.downloads.filter((d) => d.mediaId === 'home').map((d) => d.status)).toEqual([302, 200]);
    expect(t.ai.openai.receivedImages().at(-1)?.bytes.equals(png)).toBe(true);
  });
});
