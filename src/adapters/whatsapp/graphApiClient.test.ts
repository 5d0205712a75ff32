import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphApiError } from '../../domain/graphApiError.js';
import { FakeGraphApi } from '../../../test/fakes/fakeGraphApi.js';
import { CORPUS_DIR, corpusFiles, corpusKinds } from '../../../test/support/corpus.js';
import { GraphApiClient } from './graphApiClient.js';
import type { GraphApiClientOptions } from './graphApiClient.js';

const graphDir = path.join(CORPUS_DIR, 'graph-api');
const graphFiles = corpusFiles('graph-api');
const kindByFile = corpusKinds();
const kindOf = (file: string): string => kindByFile.get(`graph-api/${file}`) ?? '';
// wbja recorded no status for its error bodies; Meta answers these (code 100, 136024, 136025) with 400.
const statusOf = (file: string): number =>
  Number(/--http(\d{3})\.json$/.exec(file)?.[1] ?? (kindOf(file).startsWith('graph/error/') ? 400 : 200));

const errorFiles = graphFiles.filter((file) => kindOf(file).startsWith('graph/error/'));
const sendSuccessFiles = graphFiles.filter((file) => kindOf(file) === 'graph/send-message-success');
const plainSuccessKind = /^graph\/(success-true|messages-post-success)/;
const plainSuccessFiles = graphFiles.filter((file) => plainSuccessKind.test(kindOf(file)));
const otherSuccessFiles = graphFiles.filter(
  (file) => !errorFiles.includes(file) && !sendSuccessFiles.includes(file) && !plainSuccessFiles.includes(file),
);

const TOKEN = 'EAAGtest-secret-token-0123456789';
const credentials = { phoneNumberId: '1098765432', accessToken: TOKEN };

let fake: FakeGraphApi;
let baseUrl: string;
let warnings: { obj: object; msg: string }[];

beforeEach(async () => {
  fake = new FakeGraphApi();
  baseUrl = await fake.start();
  warnings = [];
});

afterEach(async () => {
  await fake.stop();
});

function client(overrides: Partial<GraphApiClientOptions> = {}): GraphApiClient {
  return new GraphApiClient({
    baseUrl,
    apiVersion: 'v21.0',
    timeoutMs: 2_000,
    maxAttempts: 3,
    backoffBaseMs: 1,
    logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    ...overrides,
  });
}

function graphError(code: number, message = 'error', extra: Record<string, unknown> = {}): object {
  return { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf', ...extra } };
}

async function sendFailure(graph: GraphApiClient): Promise<GraphApiError> {
  const outcome = await graph.sendText(credentials, '15551234567', 'hello', { replyToMessageId: null }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(GraphApiError);
  const error = outcome as GraphApiError;
  expect(`${error.message} ${error.details ?? ''}`).not.toContain(TOKEN);
  return error;
}

describe('GraphApiClient.sendText', () => {
  it('posts a text message with the bearer token and returns the WhatsApp message id', async () => {
    const result = await client().sendText(credentials, '15551234567', 'Hello there', { replyToMessageId: null });

    expect(result).toEqual({ whatsappMessageId: 'wamid.fake-1' });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v21.0/1098765432/messages');
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551234567',
      type: 'text',
      text: { body: 'Hello there', preview_url: false },
    });
  });

  it('adds the context when replying to a message', async () => {
    await client({ baseUrl: `${baseUrl}/` }).sendText(credentials, '15551234567', 'Yes', {
      replyToMessageId: 'wamid.in-1',
    });

    expect(fake.requests[0]?.body.context).toEqual({ message_id: 'wamid.in-1' });
    expect(fake.sentTexts()).toEqual([
      {
        phoneNumberId: '1098765432',
        to: '15551234567',
        body: 'Yes',
        replyTo: 'wamid.in-1',
        authorization: `Bearer ${TOKEN}`,
        callbackData: null,
      },
    ]);
    expect(fake.requests[0]?.body).not.toHaveProperty('biz_opaque_callback_data');
  });

  it('sends biz_opaque_callback_data when given (Meta echoes it in the status webhooks)', async () => {
    await client().sendText(credentials, '15551234567', 'Yes', {
      replyToMessageId: null,
      callbackData: '3f1c2a4e-0000-4000-8000-000000000001',
    });
    expect(fake.requests[0]?.body.biz_opaque_callback_data).toBe('3f1c2a4e-0000-4000-8000-000000000001');
    expect(fake.sentTexts()[0]?.callbackData).toBe('3f1c2a4e-0000-4000-8000-000000000001');
  });

  it('retries a 500 and succeeds, logging the retry without the token', async () => {
    fake.failNext(1, { status: 500, body: graphError(2, 'Service temporarily unavailable') });

    const result = await client().sendText(credentials, '15551234567', 'hi', { replyToMessageId: null });

    expect(result.whatsappMessageId).toBe('wamid.fake-1');
    expect(fake.requests).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toMatchObject({ attempt: 1, maxAttempts: 3, httpStatus: 500, code: 2 });
    expect(JSON.stringify(warnings)).not.toContain(TOKEN);
  });

  it('retries throttling (130429) until it goes through', async () => {
    fake.failNext(2, { status: 400, body: graphError(130429, 'Rate limit hit') });

    const result = await client().sendText(credentials, '15551234567', 'hi', { replyToMessageId: null });

    expect(result.whatsappMessageId).toBe('wamid.fake-1');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    fake.failNext(5, { status: 503, body: graphError(2, 'Service unavailable') });

    const error = await sendFailure(client({ maxAttempts: 3 }));

    expect(error).toMatchObject({ httpStatus: 503, code: 2, retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it.each([
    [131047, 400, 'Re-engagement message'],
    [131026, 400, 'Message undeliverable'],
    [190, 401, 'Error validating access token: Session has expired'],
    [100, 400, 'Invalid parameter'],
    [10, 403, 'Application does not have permission for this action'],
  ])('does not retry permanent error %i (HTTP %i)', async (code, status, message) => {
    fake.failNext(3, { status, body: graphError(code, message, { error_data: { details: `details of ${code}` } }) });

    const error = await sendFailure(client());

    expect(error).toMatchObject({ httpStatus: status, code, details: `details of ${code}`, retryable: false });
    expect(error.message).toContain(message);
    expect(fake.requests).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('waits as long as Retry-After asks', async () => {
    fake.failNext(1, { status: 429, body: graphError(130429, 'Rate limit hit'), headers: { 'retry-after': '1' } });

    await client({ backoffBaseMs: 1 }).sendText(credentials, '15551234567', 'hi', { replyToMessageId: null });

    const [first, second] = fake.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(warnings[0]?.obj).toMatchObject({ delayMs: 1000 });
  });

  it('retries after a timeout', async () => {
    fake.failNext(1, { status: 200, body: { messages: [{ id: 'wamid.too-late' }] }, delayMs: 1_000 });

    const result = await client({ timeoutMs: 100 }).sendText(credentials, '15551234567', 'hi', {
      replyToMessageId: null,
    });

    expect(result.whatsappMessageId).toBe('wamid.fake-1');
    expect(fake.requests).toHaveLength(2);
    expect(warnings[0]?.obj).toMatchObject({ httpStatus: null });
    expect(JSON.stringify(warnings[0]?.obj)).toContain('timed out');
  });

  it('fails with a retryable network error when every attempt times out', async () => {
    fake.delayMs = 500;

    const error = await sendFailure(client({ timeoutMs: 50, maxAttempts: 2 }));

    expect(error).toMatchObject({ httpStatus: null, code: null, retryable: true });
    expect(error.message).toContain('timed out after 50 ms');
    expect(fake.requests).toHaveLength(2);
  });

  it('turns a refused connection into a GraphApiError', async () => {
    const closed = new FakeGraphApi();
    const closedUrl = await closed.start();
    await closed.stop();

    const error = await sendFailure(client({ baseUrl: closedUrl, maxAttempts: 2 }));

    expect(error).toMatchObject({ httpStatus: null, details: 'ECONNREFUSED', retryable: true });
    expect(warnings).toHaveLength(1);
  });

  it('turns a non-JSON error body into a GraphApiError with the status', async () => {
    fake.failNext(1, { status: 502, body: '<html><body>502 Bad Gateway</body></html>' });

    const error = await sendFailure(client({ maxAttempts: 1 }));

    expect(error).toMatchObject({ httpStatus: 502, code: null, subcode: null, retryable: true });
    expect(error.details).toContain('502 Bad Gateway');
  });

  it('treats a 200 without a message id as a final error', async () => {
    fake.failNext(1, { status: 200, body: { messaging_product: 'whatsapp', messages: [] } });

    const error = await sendFailure(client());

    expect(error).toMatchObject({ httpStatus: 200, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('GraphApiClient.sendTemplate', () => {
  it('posts the template with its language and body parameters', async () => {
    const result = await client().sendTemplate(credentials, '15551234567', {
      name: 'handoff_alert',
      language: 'en_US',
      bodyParameters: ['Shop', '2547001'],
    });

    expect(result).toEqual({ whatsappMessageId: 'wamid.fake-1' });
    expect(fake.requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551234567',
      type: 'template',
      template: {
        name: 'handoff_alert',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Shop' },
              { type: 'text', text: '2547001' },
            ],
          },
        ],
      },
    });
  });

  it('fails fast when WhatsApp refuses (131047, outside the window)', async () => {
    fake.failNext(1, { status: 400, body: graphError(131047, 'Re-engagement message') });

    const outcome = await client()
      .sendTemplate(credentials, '15551234567', { name: 'x', language: 'en', bodyParameters: [] })
      .catch((e: unknown) => e);

    expect(outcome).toMatchObject({ code: 131047, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('GraphApiClient.markAsRead', () => {
  it('posts a read receipt for the message', async () => {
    fake.failNext(1, { status: 200, body: { success: true } });

    await client().markAsRead(credentials, 'wamid.in-7');

    expect(fake.requests[0]?.path).toBe('/v21.0/1098765432/messages');
    expect(fake.requests[0]?.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.in-7' });
    expect(fake.sentTexts()).toEqual([]);
  });
});

describe('GraphApiClient against the corpus', () => {
  it('classifies every corpus file', () => {
    expect(errorFiles.length + sendSuccessFiles.length + plainSuccessFiles.length).toBeGreaterThan(40);
    for (const file of graphFiles.filter((f) => /--http[45]\d\d\.json$/.test(f))) expect(errorFiles).toContain(file);
    for (const file of graphFiles) expect(kindOf(file)).not.toBe('');
  });

  it.each(errorFiles)('turns error body %s into a GraphApiError', async (file) => {
    const bodyText = readFileSync(path.join(graphDir, file), 'utf8');
    const expected = (JSON.parse(bodyText) as { error: Record<string, unknown> }).error;
    const errorData = expected['error_data'] as { details?: string } | undefined;
    const [, kindCode, kindSubcode] = /^graph\/error\/(\d+)(?:-(\d+))?/.exec(kindOf(file)) ?? [];
    fake.failNext(1, { status: statusOf(file), body: bodyText });

    const error = await sendFailure(client({ maxAttempts: 1 }));

    expect(error).toMatchObject({
      httpStatus: statusOf(file),
      code: expected['code'],
      subcode: expected['error_subcode'] ?? null,
      type: expected['type'] ?? null,
      fbtraceId: expected['fbtrace_id'] ?? null,
      details: errorData?.details ?? expected['error_user_msg'] ?? null,
    });
    expect(error.code).toBe(Number(kindCode));
    expect(error.subcode).toBe(kindSubcode === undefined ? null : Number(kindSubcode));
    expect(error.message).toContain(String(expected['message']));
  });

  it.each(sendSuccessFiles)('returns the message id of send response %s', async (file) => {
    const bodyText = readFileSync(path.join(graphDir, file), 'utf8');
    const expectedId = (JSON.parse(bodyText) as { messages: { id: string }[] }).messages[0]?.id;
    fake.failNext(1, { status: statusOf(file), body: bodyText });

    const result = await client().sendText(credentials, '13437772910', 'hi', { replyToMessageId: null });

    expect(result.whatsappMessageId).toBe(expectedId);
  });

  it.each(plainSuccessFiles)('accepts %s as a read-receipt answer', async (file) => {
    fake.failNext(1, { status: statusOf(file), body: readFileSync(path.join(graphDir, file), 'utf8') });

    await expect(client().markAsRead(credentials, 'wamid.in-1')).resolves.toBeUndefined();
  });

  it.each(otherSuccessFiles)('rejects non-send success body %s cleanly when sending', async (file) => {
    fake.failNext(1, { status: statusOf(file), body: readFileSync(path.join(graphDir, file), 'utf8') });

    const error = await sendFailure(client());

    expect(error).toMatchObject({ httpStatus: 200, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });
});
