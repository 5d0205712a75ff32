// The Daraja client against the fake Daraja over loopback HTTP, with a clock the test moves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DarajaError } from '../../domain/darajaError.js';
import { FakeDaraja } from '../../../test/fakes/fakeDaraja.js';
import { DarajaClient } from './darajaClient.js';

const APP = { consumerKey: 'ck-unit', consumerSecret: 'cs-unit', shortcode: '174379', passkey: 'pk-unit' };
const ACCOUNT = { tenantId: 'tenant-1', ...APP };
const PUSH = {
  transactionType: 'CustomerPayBillOnline' as const,
  amount: 10,
  phone: '254712345678',
  partyB: '174379',
  callbackUrl: 'https://pay.example/mpesa/callback/x',
  accountReference: 'REF',
  transactionDesc: 'Desc',
};

describe('DarajaClient', () => {
  const daraja = new FakeDaraja();
  let baseUrl: string;
  let silent: Server;
  let silentUrl: string;
  let now = new Date('2026-12-04T12:00:00Z');

  beforeAll(async () => {
    daraja.addApp(APP);
    baseUrl = await daraja.start();
    // Accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await daraja.stop();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('keeps one token per tenant until just before it expires, then asks for a new one', async () => {
    const client = new DarajaClient({ baseUrl, timeoutMs: 2_000, now: () => now });
    const before = daraja.tokenRequests().length;
    await client.stkPush(ACCOUNT, PUSH);
    await client.stkPush(ACCOUNT, PUSH);
    expect(daraja.tokenRequests().length - before).toBe(1);
    now = new Date(now.getTime() + 3_599_000 - 61_000);
    await client.stkPush(ACCOUNT, PUSH);
    expect(daraja.tokenRequests().length - before).toBe(1);
    now = new Date(now.getTime() + 2_000);
    await client.stkPush(ACCOUNT, PUSH);
    expect(daraja.tokenRequests().length - before).toBe(2);
    // Another tenant with the same app gets a token of its own.
    await client.stkPush({ ...ACCOUNT, tenantId: 'tenant-2' }, PUSH);
    expect(daraja.tokenRequests().length - before).toBe(3);
  });

  it('replaces a token Daraja no longer takes, once', async () => {
    const client = new DarajaClient({ baseUrl, timeoutMs: 2_000, now: () => now });
    await client.stkPush(ACCOUNT, PUSH);
    daraja.failNext(1, /stkpush\/v1/, 401, {
      requestId: 'r',
      errorCode: '404.001.03',
      errorMessage: 'Invalid Access Token',
    });
    const before = daraja.tokenRequests().length;
    await expect(client.stkPush(ACCOUNT, PUSH)).resolves.toMatchObject({
      checkoutRequestId: expect.stringMatching(/^ws_CO_/),
    });
    expect(daraja.tokenRequests().length - before).toBe(1);
  });

  it("turns Daraja's error bodies, wrong credentials, silence and other answers into DarajaError", async () => {
    const client = new DarajaClient({ baseUrl, timeoutMs: 300, now: () => now });
    daraja.failNext(1, /stkpush\/v1/, 400, {
      requestId: 'r',
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid Amount',
    });
    const refused = await client.stkPush(ACCOUNT, PUSH).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DarajaError);
    expect(refused).toMatchObject({
      errorCode: '400.002.02',
      httpStatus: 400,
      message: 'Daraja error 400.002.02: Bad Request - Invalid Amount',
    });

    const wrong = await new DarajaClient({ baseUrl, timeoutMs: 300 })
      .stkPush({ ...ACCOUNT, tenantId: 't-3', consumerSecret: 'nope' }, PUSH)
      .catch((err: unknown) => err);
    expect(wrong).toMatchObject({ errorCode: '400.008.01' });
    expect(String((wrong as Error).message)).not.toContain('nope');

    const slow = await new DarajaClient({ baseUrl: silentUrl, timeoutMs: 200 })
      .stkPush(ACCOUNT, PUSH)
      .catch((err: unknown) => err);
    expect(slow).toMatchObject({ httpStatus: null, message: 'Daraja did not answer within 200 ms' });

    daraja.failNext(1, /stkpush\/v1/, 502, '<html>Bad gateway</html>');
    expect(await client.stkPush(ACCOUNT, PUSH).catch((err: unknown) => err)).toMatchObject({
      errorCode: null,
      httpStatus: 502,
    });
  });

  it('queries: pending while Daraja is processing, else the result code', async () => {
    const client = new DarajaClient({ baseUrl, timeoutMs: 2_000, now: () => now });
    const { checkoutRequestId } = await client.stkPush(ACCOUNT, PUSH);
    expect(await client.query(ACCOUNT, checkoutRequestId)).toMatchObject({ kind: 'pending' });
    daraja.queryResults.set(checkoutRequestId, {
      resultCode: 2001,
      resultDesc: 'The initiator information is invalid.',
    });
    expect(await client.query(ACCOUNT, checkoutRequestId)).toEqual({
      kind: 'result',
      resultCode: 2001,
      resultDesc: 'The initiator information is invalid.',
    });
  });
});
