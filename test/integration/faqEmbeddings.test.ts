// Provider embeddings for FAQ answers, through the real webhook and a fake OpenAI-compatible provider
// whose vectors come from a small concept map (paraphrases land close): FAQ rows are embedded in the
// background with the tenant's own key, a message the lexical matcher misses is embedded once and
// answered from the FAQ, a failing or hanging provider leaves the offline path exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbTenantEmbeddingStore } from '../../src/adapters/db/tenantEmbeddingStore.js';
import { conceptEmbedder } from '../fakes/conceptEmbeddings.js';
import type { RecordedRequest } from '../fakes/fakeAiProvider.js';
import { ADMIN_TOKEN, adminClient } from '../support/adminClient.js';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const MODEL = 'openai:text-embedding-3-small';
const BRASS_ANSWER = 'Yes: trumpets, trombones and tubas, back within 3 days.';
const HOURS_ANSWER = '9am to 6pm, Monday to Saturday.';
const TEETH_ANSWER = 'Whitening is KES 8,000 a session.';

const embedder = conceptEmbedder({
  fixing: ['service', 'mend', 'repair', 'fix'],
  brass: ['brass', 'trumpet', 'trombone', 'tuba'],
  hours: ['hours', 'opening', 'open', 'closing'],
  tuning: ['tune', 'adjust'],
  piano: ['pianos', 'piano', 'keyboard'],
  teeth: ['teeth', 'whiten', 'whitening', 'smile', 'brighter'],
});

describe.each(testEngines())('FAQ answers through provider embeddings (%s)', (engine) => {
  let t: TestApp;
  let music: SeededTenant;
  let clinic: SeededTenant;
  let keyless: SeededTenant;
  let brassId: string;

  const bearer = (request: RecordedRequest) => String(request.headers.authorization);
  const requestsWith = (key: string) => t.ai.openai.embeddingRequests.filter((r) => bearer(r) === `Bearer ${key}`);
  const embeddedRows = (tenantId: string) =>
    t.rows<{ training_data_id: string; model: string; dimensions: number }>(
      `SELECT training_data_id, model, dimensions FROM alphadome.bot_faq_embeddings
       WHERE bot_tenant_id = ${lit(tenantId)} AND vectors IS NOT NULL`,
    );

  /** Sends one message and waits for the reply; the row says where the reply came from. */
  async function ask(tenant: SeededTenant, text: string) {
    const message = textMessage('254700333001', text);
    await t.postWebhook(webhookPayload({ tenant, messages: [message] }));
    const id = String(message['id']);
    const sent = await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === id));
    // The message is finished just after its reply goes out.
    const row = await eventually(async () => {
      const [found] = await t.rows<{ training_data_id: string | null; error_message: string | null; status: string }>(
        `SELECT training_data_id, error_message, status FROM alphadome.bot_message_logs
         WHERE whatsapp_message_id = ${lit(id)} AND direction = 'inbound'`,
      );
      return found && found.status !== 'processing' && found.status !== 'pending' ? found : null;
    });
    return { body: sent.body, row };
  }

  beforeAll(async () => {
    t = await startTestApp({
      engine,
      env: {
        EMBEDDINGS: 'on',
        EMBEDDING_TIMEOUT_MS: '400',
        // Runs come from the change notifications; the timer would only add noise.
        EMBEDDING_REFRESH_S: '3600',
        ADMIN_API_TOKEN: ADMIN_TOKEN,
      },
    });
    t.ai.openai.embedder = embedder;
    t.ai.openai.reply = 'An answer from the AI.';
    music = await seedTenant(t, { name: 'Brass and Keys', aiApiKey: 'sk-music' });
    clinic = await seedTenant(t, { name: 'Bright Smile Dental', aiApiKey: 'sk-clinic' });
    // No key at OpenAI of its own, and the server does not pay for it: never embedded.
    keyless = await seedTenant(t, {
      name: 'No Key Salon',
      aiProvider: 'openrouter',
      aiApiKey: 'sk-or-salon',
      serverAiAllowed: false,
    });
    brassId = await seedFaq(t, music.id, 'Do you service brass instruments?', BRASS_ANSWER);
    await seedFaq(t, music.id, 'What are your opening hours?', HOURS_ANSWER);
    await seedFaq(t, clinic.id, 'Do you whiten teeth?', TEETH_ANSWER);
    await seedFaq(t, keyless.id, 'Do you service brass instruments?', 'Not a music shop.');
    // The change notifications nudge the refresh: every FAQ of a tenant with a key gets its vectors.
    await eventually(
      async () => (await embeddedRows(music.id)).length === 2 && (await embeddedRows(clinic.id)).length === 1,
    );
  }, 120_000);
  afterAll(async () => t?.stop());

  it("embeds FAQ rows in the background with each tenant's own key, in one request per batch", async () => {
    for (const row of [...(await embeddedRows(music.id)), ...(await embeddedRows(clinic.id))]) {
      expect(row).toMatchObject({ model: MODEL, dimensions: 14 });
    }
    const musicInputs = requestsWith('sk-music').flatMap((r) => r.body.input);
    expect(musicInputs).toEqual(
      expect.arrayContaining(['Do you service brass instruments?', 'What are your opening hours?']),
    );
    expect(requestsWith('sk-clinic').flatMap((r) => r.body.input)).toEqual(['Do you whiten teeth?']);
    expect(t.ai.openai.embeddingRequests.every((r) => r.body.model === 'text-embedding-3-small')).toBe(true);
    // Nothing of one tenant went out with another's key, and the tenant without a key sent nothing.
    expect(requestsWith('sk-music').flatMap((r) => r.body.input)).not.toContain('Do you whiten teeth?');
    expect(requestsWith('sk-server-openai')).toEqual([]);
    expect(await embeddedRows(keyless.id)).toEqual([]);
  });

  it('embeds a large import in batches of rows, one request each, each row with all its wordings', async () => {
    const bulk = await seedTenant(t, { name: 'Bulk Import Shop', aiApiKey: 'sk-bulk' });
    const values = Array.from(
      { length: 40 },
      (_, i) => `(${lit(bulk.id)}, 'faq', ${lit(`Question number ${i}?`)}, 'Yes.', ARRAY[${lit(`Wording ${i}?`)}])`,
    );
    await t.rows(
      `INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, variants) VALUES ${values.join(',')}`,
    );
    await eventually(async () => (await embeddedRows(bulk.id)).length === 40);
    // 32 rows to a request: two requests, of 64 and 16 wordings.
    expect(requestsWith('sk-bulk').map((r) => r.body.input.length)).toEqual([64, 16]);
  });

  it('answers a paraphrase the offline matcher misses from the FAQ, with one embedding request and no AI call', async () => {
    const before = t.ai.openai.embeddingRequests.length;
    const chats = t.ai.openai.requests.length;
    const { body, row } = await ask(music, 'can you mend my trumpet');
    expect(body).toBe(BRASS_ANSWER);
    expect(row?.training_data_id).toBe(brassId);
    expect(t.ai.openai.requests.length).toBe(chats);
    const made = t.ai.openai.embeddingRequests.slice(before);
    // One request, for the message alone: no FAQ row is embedded at message time.
    expect(made.map((r) => r.body.input)).toEqual([['can you mend my trumpet']]);
    expect(made.map(bearer)).toEqual(['Bearer sk-music']);
  });

  it('makes no embedding request when the lexical matcher is already sure', async () => {
    const before = t.ai.openai.embeddingRequests.length;
    const { body } = await ask(music, 'What are your opening hours?');
    expect(body).toBe(HOURS_ANSWER);
    expect(t.ai.openai.embeddingRequests.length).toBe(before);
  });

  it('leaves an unrelated message to the AI after its one embedding request', async () => {
    const before = t.ai.openai.embeddingRequests.length;
    const { body, row } = await ask(music, 'do you sell guitar strings');
    expect(body).toBe('An answer from the AI.');
    expect(row?.training_data_id).toBeNull();
    expect(t.ai.openai.embeddingRequests.length).toBe(before + 1);
  });

  it("never answers from another tenant's FAQ, nor embeds for a tenant without a key", async () => {
    // The clinic's own vectors only: the music shop's brass FAQ is not among them.
    const clinicAsked = await ask(clinic, 'can you mend my trumpet');
    expect(clinicAsked.body).toBe('An answer from the AI.');
    expect(clinicAsked.row?.training_data_id).toBeNull();
    const clinicOwn = await ask(clinic, 'can you make my smile brighter');
    expect(clinicOwn.body).toBe(TEETH_ANSWER);
    expect(requestsWith('sk-clinic').flatMap((r) => r.body.input)).toEqual(
      expect.arrayContaining(['can you mend my trumpet', 'can you make my smile brighter']),
    );

    const before = t.ai.openai.embeddingRequests.length;
    const keylessAsked = await ask(keyless, 'can you mend my trumpet');
    expect(keylessAsked.row?.training_data_id).toBeNull();
    expect(t.ai.openai.embeddingRequests.length).toBe(before);
  });

  it('re-embeds a row when it is edited, and stops answering from its old wording', async () => {
    const api = adminClient(t.baseUrl);
    const patched = await api.call('PATCH', `/api/v1/tenants/${music.id}/training/${brassId}`, {
      body: { question: 'Do you tune pianos?', answer: 'Yes, KES 4,000 a visit.', variants: ['Piano tuning?'] },
    });
    expect(patched.status, patched.text).toBe(200);
    const edited = await eventually(() =>
      requestsWith('sk-music').find((r) => Array.isArray(r.body.input) && r.body.input.includes('Do you tune pianos?')),
    );
    // The question and its variant, in one request; the unchanged row is not embedded again.
    expect(edited.body.input).toEqual(['Do you tune pianos?', 'Piano tuning?']);
    await eventually(async () => {
      const [row] = await t.rows<{ claimed_until: string | null }>(
        `SELECT claimed_until FROM alphadome.bot_faq_embeddings WHERE training_data_id = ${lit(brassId)}`,
      );
      return row && row.claimed_until === null;
    });
    expect((await ask(music, 'could you adjust my keyboard')).body).toBe('Yes, KES 4,000 a visit.');
    expect((await ask(music, 'can you mend my trumpet')).body).toBe('An answer from the AI.');
  });

  it('shows the embedding requests and their cost in analytics, on a line of their own', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const res = await adminClient(t.baseUrl).call('GET', `/api/v1/tenants/${music.id}/analytics?from=${day}&to=${day}`);
    expect(res.status, res.text).toBe(200);
    const musicRequests = requestsWith('sk-music');
    const tokens = musicRequests
      .flatMap((r) => r.body.input as string[])
      .reduce((sum, input) => sum + input.split(/\s+/).filter(Boolean).length, 0);
    const line = res.body.ai_usage.find((u: { model: string }) => u.model === 'text-embedding-3-small');
    expect(line).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      calls: musicRequests.length,
      prompt_tokens: tokens,
      completion_tokens: 0,
      estimated_cost_usd: expect.any(Number),
    });
    expect(line.estimated_cost_usd).toBeCloseTo((tokens * 0.02) / 1_000_000, 10);
    expect(res.body.unpriced_models).not.toContain(MODEL);
    // The chat model keeps its own line.
    expect(res.body.ai_usage.map((u: { model: string }) => u.model)).toContain('gpt-3.5-turbo');
  });

  it('answers from the offline path, without an error, when the provider hangs or fails', async () => {
    t.ai.openai.embeddingFailure = 'hang';
    const hung = await ask(music, 'could you adjust my keyboard');
    expect(hung.body).toBe('An answer from the AI.');
    expect(hung.row).toMatchObject({ status: 'answered', error_message: null });
    // The lexical matcher's own answers do not wait for the provider at all.
    expect((await ask(music, 'What are your opening hours?')).body).toBe(HOURS_ANSWER);

    t.ai.openai.embeddingFailure = 500;
    const failed = await ask(music, 'could you adjust my keyboard');
    expect(failed.body).toBe('An answer from the AI.');
    expect(failed.row).toMatchObject({ status: 'answered', error_message: null });
    t.ai.openai.recover();
    expect((await ask(music, 'could you adjust my keyboard')).body).toBe('Yes, KES 4,000 a visit.');
  });

  it('claims rows for one refresh at a time: a second claim skips rows already claimed', async () => {
    const ids = await Promise.all(
      ['Do you sell tubas?', 'Do you rent trombones?', 'Do you buy old pianos?'].map((question) =>
        t.rows<{ id: string }>(
          `INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, is_active)
           VALUES (${lit(keyless.id)}, 'faq', ${lit(question)}, 'Yes.', true) RETURNING id`,
        ),
      ),
    );
    const store = new DbTenantEmbeddingStore(t.app.database.db, keyless.id);
    const first = await store.claimStale(MODEL, 2, 60_000);
    const second = await store.claimStale(MODEL, 10, 60_000);
    expect(first).toHaveLength(2);
    // The rest of the keyless tenant's rows (it had one already), none of the first claim's.
    expect(second).toHaveLength(2);
    expect(new Set([...first, ...second].map((row) => row.id)).size).toBe(first.length + second.length);
    expect(ids.flat().every(({ id }) => [...first, ...second].some((row) => row.id === id))).toBe(true);
    expect(await store.claimStale(MODEL, 10, 60_000)).toEqual([]);
  });
});
