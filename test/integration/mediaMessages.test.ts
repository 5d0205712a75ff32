import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaMessage, pdfWithText, pngImage } from '../support/mediaFixtures.js';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface LogRow {
  direction: string;
  status: string;
  ai_model_used: string | null;
  ai_processed: boolean;
  error_message: string | null;
  reply_source: string | null;
}

const HOURS_ANSWER = 'We are open Monday to Saturday, 9AM to 6PM.';

describe.each(testEngines())('pictures, documents and voice notes (%s)', (engine) => {
  let t: TestApp;
  let seeing: SeededTenant;
  let blind: SeededTenant;
  let deaf: SeededTenant;
  let chosen: SeededTenant;
  let customerNo = 0;

  beforeAll(async () => {
    t = await startTestApp({ engine });
    seeing = await seedTenant(t, { name: 'Picture Shop', aiModel: 'gpt-4o-mini' });
    blind = await seedTenant(t, { name: 'Text Shop', aiModel: 'gpt-3.5-turbo' });
    deaf = await seedTenant(t, { name: 'Quiet Shop', aiModel: 'gpt-3.5-turbo' });
    chosen = await seedTenant(t, { name: 'Chosen Eyes Shop', aiModel: 'gpt-3.5-turbo' });
    await t.rows(
      `UPDATE alphadome.bot_tenants SET metadata = '{"transcription_model":"none"}'::jsonb WHERE id = ${lit(deaf.id)}`,
    );
    await t.rows(
      `UPDATE alphadome.bot_tenants SET metadata = '{"vision_model":"gpt-4o"}'::jsonb WHERE id = ${lit(chosen.id)}`,
    );
    for (const tenant of [seeing, blind, deaf])
      await seedFaq(t, tenant.id, 'What are your opening hours?', HOURS_ANSWER);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
  });

  const newCustomer = () => `2547440${String(++customerNo).padStart(5, '0')}`;
  const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);
  const lookupsOf = (mediaId: string) => t.graph.media.lookups.filter((l) => l.mediaId === mediaId);
  const chatRequests = () => Object.values(t.ai).reduce((n, provider) => n + provider.requests.length, 0);

  async function send(tenant: SeededTenant, message: Record<string, unknown>): Promise<string> {
    const res = await t.postWebhook(webhookPayload({ tenant, messages: [message] }));
    expect(res.status).toBe(200);
    return String(message['id']);
  }

  /** The one reply, once the inbound row is answered; fails when anything was sent twice. */
  async function answered(wamid: string): Promise<{ text: string; rows: LogRow[] }> {
    const rows = await eventually(async () => {
      const r = await t.rows<LogRow>(`SELECT m.direction, m.status, m.ai_model_used, m.ai_processed, m.error_message,
          m.metadata->>'reply_source' AS reply_source
        FROM alphadome.bot_message_logs m
        WHERE m.whatsapp_message_id = ${lit(wamid)} OR m.reply_to_log_id IN
          (SELECT id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(wamid)} AND direction = 'inbound')
        ORDER BY m.seq`);
      return r[0]?.status === 'answered' && r[1]?.status === 'sent' ? r : null;
      // Documents are read in a worker thread, which takes seconds to start from the TypeScript sources.
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rows).toHaveLength(2);
    const sent = repliesTo(wamid);
    expect(sent).toHaveLength(1);
    return { text: sent[0]?.body ?? '', rows };
  }

  it('shows a picture and its caption to a tenant model that reads images, and sends the answer back', async () => {
    const png = pngImage(4, [10, 120, 200]);
    t.graph.addMedia('img-seeing-1', { bytes: png, mimeType: 'image/png' });
    t.ai.openai.reply = 'That is our blue ukulele, it costs 4,500 KSh.';
    const caption = 'How much is this one?';
    const wamid = await send(
      seeing,
      mediaMessage(newCustomer(), 'image', { id: 'img-seeing-1', mime_type: 'image/png', caption }),
    );

    const { text, rows } = await answered(wamid);
    expect(text).toBe('That is our blue ukulele, it costs 4,500 KSh.');
    const [image] = t.ai.openai.receivedImages();
    expect(image).toMatchObject({ model: 'gpt-4o-mini', mimeType: 'image/png', text: caption });
    expect(image?.bytes.equals(png)).toBe(true);
    expect(t.ai.openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-tenant');
    expect(lookupsOf('img-seeing-1')).toEqual([
      { mediaId: 'img-seeing-1', phoneNumberId: seeing.phoneNumberId, authorization: `Bearer ${seeing.accessToken}` },
    ]);
    expect(t.graph.media.downloads.filter((d) => d.mediaId === 'img-seeing-1')).toMatchObject([
      { status: 200, authorization: `Bearer ${seeing.accessToken}` },
    ]);
    expect(rows[0]).toMatchObject({
      direction: 'inbound',
      ai_processed: true,
      ai_model_used: 'openai:gpt-4o-mini',
      error_message: null,
    });
    expect(rows[1]).toMatchObject({ direction: 'outbound', reply_source: 'ai' });
  });

  it('asks about a picture without a caption with a neutral prompt', async () => {
    t.graph.addMedia('img-seeing-2', { bytes: pngImage(), mimeType: 'image/png' });
    t.ai.openai.reply = 'Nice guitar! How can we help you with it?';
    const wamid = await send(
      seeing,
      mediaMessage(newCustomer(), 'image', { id: 'img-seeing-2', mime_type: 'image/png' }),
    );
    expect((await answered(wamid)).text).toBe('Nice guitar! How can we help you with it?');
    expect(t.ai.openai.receivedImages().at(-1)?.text).toBe('The customer sent this picture without a message.');
  });

  it("shows a picture to the tenant's chosen vision model when its own model cannot see", async () => {
    t.graph.addMedia('img-chosen-1', { bytes: pngImage(2), mimeType: 'image/png' });
    t.ai.openai.reply = 'Yes, we repair amplifiers like this one.';
    const wamid = await send(
      chosen,
      mediaMessage(newCustomer(), 'image', {
        id: 'img-chosen-1',
        mime_type: 'image/png',
        caption: 'Can you fix this?',
      }),
    );
    const { text, rows } = await answered(wamid);
    expect(text).toBe('Yes, we repair amplifiers like this one.');
    expect(t.ai.openai.receivedImages().at(-1)).toMatchObject({ model: 'gpt-4o', text: 'Can you fix this?' });
    expect(rows[0]).toMatchObject({ ai_model_used: 'openai:gpt-4o' });
  });

  it("tells a tenant's customer politely that pictures cannot be read yet, and answers the caption from the FAQ", async () => {
    t.graph.addMedia('img-blind-1', { bytes: pngImage(), mimeType: 'image/jpeg' });
    const aiBefore = chatRequests();
    const wamid = await send(
      blind,
      mediaMessage(newCustomer(), 'image', {
        id: 'img-blind-1',
        mime_type: 'image/jpeg',
        caption: 'what are your opening hours?',
      }),
    );
    const { text, rows } = await answered(wamid);
    expect(text).toMatch(/^\(I can't open pictures yet, so this answer is based on your message only\.\)\n\n/);
    expect(text.endsWith(HOURS_ANSWER)).toBe(true);
    expect(lookupsOf('img-blind-1')).toHaveLength(0);
    expect(chatRequests()).toBe(aiBefore);
    expect(rows[1]).toMatchObject({ reply_source: 'faq' });

    const alone = await send(
      blind,
      mediaMessage(newCustomer(), 'image', { id: 'img-blind-1', mime_type: 'image/jpeg' }),
    );
    const notice = await answered(alone);
    expect(notice.text).toBe(
      "Thanks for the picture! I can't look at pictures yet, so please tell me in a message what you need.",
    );
    expect(notice.rows[1]).toMatchObject({ reply_source: 'notice' });
    expect(lookupsOf('img-blind-1')).toHaveLength(0);
  });

  it("answers a question about a PDF from the PDF's own text", async () => {
    const policy = 'Every guitar comes with a 2 year warranty covering the neck and the frets.';
    t.graph.addMedia('doc-pdf-1', {
      bytes: await pdfWithText(['Kassangas warranty policy', policy]),
      mimeType: 'application/pdf',
    });
    t.ai.openai.reply = 'Yes: two years, covering the neck and the frets.';
    const question = 'Does my guitar have a warranty?';
    const wamid = await send(
      seeing,
      mediaMessage(newCustomer(), 'document', {
        id: 'doc-pdf-1',
        mime_type: 'application/pdf',
        filename: 'warranty.pdf',
        caption: question,
      }),
    );

    const { text, rows } = await answered(wamid);
    expect(text).toBe('Yes: two years, covering the neck and the frets.');
    const prompt = String(t.ai.openai.requests.at(-1)?.body.messages.at(-1).content);
    expect(prompt.startsWith(question)).toBe(true);
    expect(prompt).toContain(policy);
    expect(prompt).toContain('"warranty.pdf"');
    expect(rows[0]).toMatchObject({ ai_processed: true, ai_model_used: 'openai:gpt-4o-mini' });
  });

  it('summarises a plain-text document sent without a question', async () => {
    const menu = 'Lunch menu\nPilau 350\nChapati 50\nChai 30';
    t.graph.addMedia('doc-txt-1', { bytes: Buffer.from(menu, 'utf8'), mimeType: 'text/plain' });
    t.ai.openai.reply = 'This is your lunch menu with pilau, chapati and chai. What would you like to know?';
    const wamid = await send(
      blind,
      mediaMessage(newCustomer(), 'document', { id: 'doc-txt-1', mime_type: 'text/plain', filename: 'menu.txt' }),
    );

    expect((await answered(wamid)).text).toContain('lunch menu');
    const prompt = String(t.ai.openai.requests.at(-1)?.body.messages.at(-1).content);
    expect(prompt).toContain('Summarise it');
    expect(prompt).toContain('Pilau 350\nChapati 50');
  });

  it('acknowledges a document type it cannot read, without downloading it', async () => {
    t.graph.addMedia('doc-xlsx-1', { bytes: Buffer.from('PK fake spreadsheet'), mimeType: 'application/vnd.ms-excel' });
    const aiBefore = chatRequests();
    const wamid = await send(
      seeing,
      mediaMessage(newCustomer(), 'document', {
        id: 'doc-xlsx-1',
        mime_type: 'application/vnd.ms-excel',
        filename: 'prices.xls',
      }),
    );
    const { text, rows } = await answered(wamid);
    expect(text).toBe(
      'Thanks, we received your document "prices.xls". I can only read PDF and text files, so please tell me in a message what you need.',
    );
    expect(rows[1]).toMatchObject({ reply_source: 'notice' });
    expect(lookupsOf('doc-xlsx-1')).toHaveLength(0);
    expect(chatRequests()).toBe(aiBefore);
  });

  it('says so when a PDF has no text layer (a scan)', async () => {
    t.graph.addMedia('doc-scan-1', { bytes: await pdfWithText(['']), mimeType: 'application/pdf' });
    const wamid = await send(
      seeing,
      mediaMessage(newCustomer(), 'document', { id: 'doc-scan-1', mime_type: 'application/pdf', filename: 'scan.pdf' }),
    );
    expect((await answered(wamid)).text).toMatch(
      /^Thanks for the document "scan\.pdf"\. I couldn't find any text in it/,
    );
  });

  it('transcribes a voice note and answers the transcript from the FAQ', async () => {
    const voice = Buffer.from('OggS fake opus voice note bytes');
    t.graph.addMedia('voice-1', { bytes: voice, mimeType: 'audio/ogg; codecs=opus' });
    t.ai.openai.transcript = 'Habari, what are your opening hours?';
    const chatBefore = t.ai.openai.requests.length;
    const wamid = await send(
      blind,
      mediaMessage(newCustomer(), 'audio', { id: 'voice-1', mime_type: 'audio/ogg; codecs=opus', voice: true }),
    );

    const { text, rows } = await answered(wamid);
    expect(text).toBe(HOURS_ANSWER);
    const [upload] = t.ai.openai.transcriptions;
    expect(upload).toMatchObject({ model: 'whisper-1', fileName: 'voice-note.ogg', authorization: 'Bearer sk-tenant' });
    expect(upload?.bytes.equals(voice)).toBe(true);
    expect(t.ai.openai.requests.length).toBe(chatBefore);
    expect(rows[1]).toMatchObject({ reply_source: 'faq' });
  });

  it("keeps the transcript as the voice note's body, so the next AI turn sees what was said", async () => {
    t.graph.addMedia('voice-4', { bytes: Buffer.from('OggS another voice note'), mimeType: 'audio/ogg; codecs=opus' });
    t.ai.openai.transcript = 'Do you sell Yamaha keyboards?';
    const customer = newCustomer();
    const voice = await send(
      blind,
      mediaMessage(customer, 'audio', { id: 'voice-4', mime_type: 'audio/ogg; codecs=opus', voice: true }),
    );
    await answered(voice);
    const [row] = await t.rows<{ message_text: string | null }>(
      `SELECT message_text FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(voice)}`,
    );
    expect(row?.message_text).toBe('Do you sell Yamaha keyboards?');

    const followUp = textMessage(customer, 'How much is the cheapest one?');
    await send(blind, followUp);
    await answered(String(followUp['id']));
    const turns = (t.ai.openai.requests.at(-1)?.body.messages ?? []) as { role: string; content: unknown }[];
    expect(
      turns.some((turn) => turn.role === 'user' && String(turn.content).includes('Do you sell Yamaha keyboards?')),
    ).toBe(true);
  });

  it('acknowledges a voice note when every transcription provider fails, and asks for text', async () => {
    t.graph.addMedia('voice-2', { bytes: Buffer.from('OggS'), mimeType: 'audio/ogg; codecs=opus' });
    t.ai.openai.failTranscriptions('all', { status: 500 });
    const wamid = await send(
      blind,
      mediaMessage(newCustomer(), 'audio', { id: 'voice-2', mime_type: 'audio/ogg; codecs=opus', voice: true }),
    );
    const { text, rows } = await answered(wamid);
    expect(text).toBe("Thanks for your voice note! I can't listen to voice notes yet, so please type your message.");
    expect(rows[0]?.error_message).toContain('whisper-1');
  });

  it('acknowledges a voice note when transcription is off for the tenant, without downloading it', async () => {
    t.graph.addMedia('voice-3', { bytes: Buffer.from('OggS'), mimeType: 'audio/ogg; codecs=opus' });
    const uploadsBefore = t.ai.openai.transcriptions.length;
    const wamid = await send(
      deaf,
      mediaMessage(newCustomer(), 'audio', { id: 'voice-3', mime_type: 'audio/ogg; codecs=opus', voice: true }),
    );
    const { text, rows } = await answered(wamid);
    expect(text).toBe("Thanks for your voice note! I can't listen to voice notes yet, so please type your message.");
    expect(rows[1]).toMatchObject({ reply_source: 'notice' });
    expect(lookupsOf('voice-3')).toHaveLength(0);
    expect(t.ai.openai.transcriptions.length).toBe(uploadsBefore);
  });

  it('acknowledges a video, answering its caption', async () => {
    const wamid = await send(
      blind,
      mediaMessage(newCustomer(), 'video', {
        id: 'video-1',
        mime_type: 'video/mp4',
        caption: 'What are your opening hours?',
      }),
    );
    const { text } = await answered(wamid);
    expect(text).toBe(`(I can't open videos yet, so this answer is based on your message only.)\n\n${HOURS_ANSWER}`);
    expect(lookupsOf('video-1')).toHaveLength(0);
  });
});
