import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaDownloadError } from '../../domain/mediaDownloadError.js';
import { MediaHostAllowList } from '../../domain/mediaHostAllowList.js';
import { FakeGraphApi } from '../../../test/fakes/fakeGraphApi.js';
import { CORPUS_DIR } from '../../../test/support/corpus.js';
import { GraphMediaClient, type GraphMediaClientOptions } from './graphMediaClient.js';

const TOKEN = 'EAAGmedia-secret-token-0123456789';
const credentials = { phoneNumberId: '1098765432', accessToken: TOKEN };
const bytes = Buffer.from('%PDF-1.7 pretend this is a document');

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

function client(overrides: Partial<GraphMediaClientOptions> = {}): GraphMediaClient {
  return new GraphMediaClient({
    baseUrl,
    apiVersion: 'v23.0',
    lookupTimeoutMs: 2_000,
    downloadTimeoutMs: 2_000,
    maxAttempts: 3,
    backoffBaseMs: 1,
    // The fake serves plain http on loopback: allowed only because the entry names the scheme.
    allowedHosts: MediaHostAllowList.parse(baseUrl),
    logger: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<MediaDownloadError> {
  const outcome = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(outcome instanceof MediaDownloadError))
    throw new Error(`expected a MediaDownloadError, got ${String(outcome)}`);
  // Neither the token nor the signed download URL may reach logs or the message row.
  expect(outcome.message).not.toContain(TOKEN);
  expect(outcome.message).not.toContain('media-download');
  return outcome;
}

describe('GraphMediaClient', () => {
  it("looks the id up and downloads the URL with the tenant's token, limited to its number", async () => {
    fake.addMedia('media-1', { bytes, mimeType: 'application/pdf' });
    const file = await client().fetch(credentials, 'media-1', { maxBytes: 1_000 });
    expect(file).toEqual({ bytes, mimeType: 'application/pdf', fileName: null });
    expect(fake.media.lookups).toEqual([
      { mediaId: 'media-1', phoneNumberId: '1098765432', authorization: `Bearer ${TOKEN}` },
    ]);
    expect(fake.media.downloads).toMatchObject([
      { mediaId: 'media-1', status: 200, authorization: `Bearer ${TOKEN}`, completed: true },
    ]);
    expect(fake.requests[0]?.path).toBe('/v23.0/media-1?phone_number_id=1098765432');
  });

  it("reads Meta's recorded lookup answers", async () => {
    const recorded = JSON.parse(
      readFileSync(
        path.join(CORPUS_DIR, 'graph-api/ruby-sdk--medias-media_handles_error_response--http400.json'),
        'utf8',
      ),
    );
    fake.addMedia('123_123', { bytes, mimeType: 'image/png' }, { lookupFails: { status: 400, body: recorded } });
    const error = await failure(client().fetch(credentials, '123_123', { maxBytes: 1_000 }));
    expect(error).toMatchObject({ reason: 'not_found', retryable: false });
    expect(error.message).toContain('does not exist');
  });

  it('gives up at once on an id Meta does not know (code 100) or a 404, without downloading', async () => {
    const unknown = await failure(client().fetch(credentials, 'never-added', { maxBytes: 1_000 }));
    expect(unknown).toMatchObject({ reason: 'not_found', retryable: false });
    fake.addMedia(
      'gone',
      { bytes, mimeType: 'image/png' },
      { lookupFails: { status: 404, body: { error: { message: 'gone', code: 803 } } } },
    );
    expect(await failure(client().fetch(credentials, 'gone', { maxBytes: 1_000 }))).toMatchObject({
      reason: 'not_found',
      retryable: false,
    });
    expect(fake.media.lookups).toHaveLength(2);
    expect(fake.media.downloads).toHaveLength(0);
  });

  it('does not retry a token Meta refuses, but says the failure is not about the file', async () => {
    fake.addMedia(
      'm',
      { bytes, mimeType: 'image/png' },
      {
        lookupFails: {
          status: 401,
          body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } },
        },
      },
    );
    expect(await failure(client().fetch(credentials, 'm', { maxBytes: 1_000 }))).toMatchObject({
      reason: 'http',
      retryable: false,
    });
    expect(fake.media.lookups).toHaveLength(1);
  });

  it('refuses before downloading when the declared size is over the limit', async () => {
    fake.addMedia('big', { bytes: Buffer.alloc(5_000), mimeType: 'video/mp4' });
    const error = await failure(client().fetch(credentials, 'big', { maxBytes: 4_999 }));
    expect(error).toMatchObject({ reason: 'too_large', retryable: false });
    expect(error.message).toContain('4999');
    expect(fake.media.downloads).toHaveLength(0);
  });

  it('refuses on the Content-Length when the lookup understated the size', async () => {
    fake.addMedia('liar', { bytes: Buffer.alloc(5_000), mimeType: 'video/mp4' }, { declaredSize: 10 });
    expect(await failure(client().fetch(credentials, 'liar', { maxBytes: 1_000 }))).toMatchObject({
      reason: 'too_large',
      retryable: false,
    });
    expect(fake.media.downloads).toHaveLength(1);
  });

  it('stops reading once the body passes the limit when no size can be trusted', async () => {
    const huge = Buffer.alloc(32 * 1024 * 1024, 7);
    fake.addMedia('stream', { bytes: huge, mimeType: 'video/mp4' }, { declaredSize: 10, hideLength: true });
    expect(await failure(client().fetch(credentials, 'stream', { maxBytes: 64 * 1024 }))).toMatchObject({
      reason: 'too_large',
      retryable: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [download] = fake.media.downloads;
    expect(download?.completed).toBe(false);
    expect(download?.bytesWritten).toBeLessThan(huge.length);
  });

  it('looks the id up again when the URL has expired, and downloads the fresh one', async () => {
    fake.addMedia('m', { bytes, mimeType: 'image/jpeg' }, { expiredUrls: 2 });
    const file = await client().fetch(credentials, 'm', { maxBytes: 1_000 });
    expect(file.bytes).toEqual(bytes);
    expect(fake.media.lookups).toHaveLength(3);
    expect(fake.media.downloads.map((d) => [d.generation, d.status])).toEqual([
      [1, 404],
      [2, 404],
      [3, 200],
    ]);
    expect(warnings.map((w) => w.obj)).toMatchObject([{ reason: 'expired' }, { reason: 'expired' }]);
  });

  it('says the download may work later when every URL it got had expired', async () => {
    fake.addMedia('m', { bytes, mimeType: 'image/jpeg' }, { expiredUrls: 99 });
    expect(await failure(client().fetch(credentials, 'm', { maxBytes: 1_000 }))).toMatchObject({
      reason: 'expired',
      retryable: true,
    });
    expect(fake.media.lookups).toHaveLength(3);
  });

  it('retries a lookup that failed with a 5xx, with backoff', async () => {
    fake.addMedia(
      'm',
      { bytes, mimeType: 'image/jpeg' },
      {
        lookupFails: {
          status: 500,
          body: { error: { message: 'An unknown error occurred', code: 1, type: 'OAuthException' } },
        },
        lookupFailsTimes: 2,
      },
    );
    expect((await client().fetch(credentials, 'm', { maxBytes: 1_000 })).bytes).toEqual(bytes);
    expect(fake.media.lookups).toHaveLength(3);
    fake.addMedia(
      'm2',
      { bytes, mimeType: 'image/jpeg' },
      { lookupFails: { status: 503, body: 'Service Unavailable' } },
    );
    expect(await failure(client({ maxAttempts: 2 }).fetch(credentials, 'm2', { maxBytes: 1_000 }))).toMatchObject({
      reason: 'http',
      retryable: true,
    });
  });

  it('gives up on a slow download after the timeout, without retrying it in the same call', async () => {
    fake.addMedia('slow', { bytes, mimeType: 'audio/ogg' }, { downloadDelayMs: 1_000 });
    const error = await failure(client({ downloadTimeoutMs: 150 }).fetch(credentials, 'slow', { maxBytes: 1_000 }));
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(error.message).toContain('150 ms');
    expect(fake.media.downloads).toHaveLength(1);
  });

  it('reports an unreachable Graph API as a network failure worth retrying later', async () => {
    await fake.stop();
    const error = await failure(client({ maxAttempts: 2 }).fetch(credentials, 'm', { maxBytes: 1_000 }));
    expect(error).toMatchObject({ reason: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(warnings).toHaveLength(1);
  });

  it('refuses a download URL on a host that is not allowed, without sending the token there', async () => {
    // "localhost" reaches the same fake under another name, so a download would be recorded.
    fake.addMedia(
      'elsewhere',
      { bytes, mimeType: 'image/png' },
      { downloadOrigin: baseUrl.replace('127.0.0.1', 'localhost') },
    );
    const error = await failure(client().fetch(credentials, 'elsewhere', { maxBytes: 1_000 }));
    expect(error).toMatchObject({ reason: 'refused', retryable: false });
    expect(fake.media.lookups).toHaveLength(1);
    expect(fake.media.downloads).toHaveLength(0);
    expect(warnings).toEqual([
      {
        obj: { host: baseUrl.replace('127.0.0.1', 'localhost'), redirectHop: 0 },
        msg: expect.stringContaining('MEDIA_ALLOWED_HOSTS'),
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('media-download');
  });

  it('refuses plain http to a host allowed only for https', async () => {
    fake.addMedia('clear', { bytes, mimeType: 'image/png' });
    const bare = MediaHostAllowList.parse(baseUrl.replace('http://', ''));
    expect(
      await failure(client({ allowedHosts: bare }).fetch(credentials, 'clear', { maxBytes: 1_000 })),
    ).toMatchObject({ reason: 'refused' });
    expect(fake.media.downloads).toHaveLength(0);
  });

  it('follows a redirect to an allowed host, and refuses one to a host that is not', async () => {
    const other = baseUrl.replace('127.0.0.1', 'localhost');
    fake.addMedia('hop', { bytes, mimeType: 'image/png' }, { redirectOrigin: baseUrl });
    expect((await client().fetch(credentials, 'hop', { maxBytes: 1_000 })).bytes).toEqual(bytes);
    expect(fake.media.downloads.map((d) => d.status)).toEqual([302, 200]);

    fake.addMedia('detour', { bytes, mimeType: 'image/png' }, { redirectOrigin: other });
    const error = await failure(client().fetch(credentials, 'detour', { maxBytes: 1_000 }));
    expect(error).toMatchObject({ reason: 'refused', retryable: false });
    expect(error.message).toContain(other);
    // The first hop was allowed and asked; the detour never was.
    expect(fake.media.downloads.filter((d) => d.mediaId === 'detour').map((d) => d.host)).toEqual([
      new URL(baseUrl).host,
    ]);
    expect(warnings.at(-1)?.obj).toEqual({ host: other, redirectHop: 1 });
  });
});
