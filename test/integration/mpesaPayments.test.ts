import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDaraja, type StkPush } from '../fakes/fakeDaraja.js';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import { mpesaTenant } from '../support/mpesaTenant.js';
import { lit, seedTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const PUBLIC = 'https://pay.duka.test/bot';

describe.each(testEngines())('M-Pesa STK push payments (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let daraja: FakeDaraja;
  let shop: Awaited<ReturnType<typeof mpesaTenant>>;
  let school: Awaited<ReturnType<typeof mpesaTenant>>;

  beforeAll(async () => {
    daraja = new FakeDaraja();
    const darajaUrl = await daraja.start();
    t = await startTestApp({
      engine,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        MPESA_BASE_URL: darajaUrl,
        PUBLIC_BASE_URL: PUBLIC,
        MPESA_QUERY_AFTER_S: '1',
      },
    });
    daraja.rewriteCallbacks = { from: PUBLIC, to: t.baseUrl };
    api = adminClient(t.baseUrl);
    shop = await mpesaTenant(t, api, daraja, { shortcode: '174379' });
    school = await mpesaTenant(t, api, daraja, {
      shortcode: '600984',
      settings: { mpesa_transaction_type: 'CustomerBuyGoodsOnline', mpesa_party_b: '5544332' },
    });
  });
  afterAll(async () => {
    await t.stop();
    await daraja.stop();
  });

  const pay = (tenantId: string, body: Record<string, unknown>) =>
    api.call('POST', `/api/v1/tenants/${tenantId}/payments`, { body });
  const read = async (tenantId: string, id: string) =>
    (await api.call('GET', `/api/v1/tenants/${tenantId}/payments/${id}`)).body;
  const pushOf = (checkoutRequestId: string): StkPush => {
    const push = daraja.pushes.find((p) => p.checkoutRequestId === checkoutRequestId);
    if (!push) throw new Error('no such push');
    return push;
  };
  const textsTo = (phone: string) =>
    t.graph
      .sentTexts()
      .filter((s) => s.to === phone)
      .map((s) => s.body);
  async function started(tenantId: string, body: Record<string, unknown> = {}) {
    const phone = uniquePhone();
    const res = await pay(tenantId, {
      phone,
      amount: 1500,
      reference: 'ORDER-42',
      description: 'Guitar strings',
      ...body,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.status).toBe('pending');
    return { phone, payment: res.body, push: pushOf(res.body.checkout_request_id) };
  }

  it('paid: the push is signed and shaped as Daraja wants, the callback settles it with the receipt, and the customer is told', async () => {
    const { phone, payment, push } = await started(shop.id, {
      reference: 'ORDER-42-EXTRA-LONG',
      description: 'Guitar strings and picks',
    });
    expect(push).toMatchObject({
      shortcode: '174379',
      amount: 1500,
      phone,
      partyB: '174379',
      transactionType: 'CustomerPayBillOnline',
      accountReference: 'ORDER-42-EXT',
      transactionDesc: 'Guitar string',
    });
    const token = push.callbackUrl.slice(`${PUBLIC}/mpesa/callback/`.length);
    expect(push.callbackUrl.startsWith(`${PUBLIC}/mpesa/callback/`)).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored.
    const stored = await t.rows<{ t: string }>(
      `SELECT t::text FROM alphadome.payments t WHERE id = ${lit(payment.id)}`,
    );
    expect(stored[0]?.t).not.toContain(token);

    expect(await daraja.sendCallback(push, { receipt: 'TKA1B2C3D4' })).toBe(200);
    const paid = await read(shop.id, payment.id);
    expect(paid).toMatchObject({
      status: 'paid',
      receipt_number: 'TKA1B2C3D4',
      settled_by: 'callback',
      result_code: 0,
    });
    const texts = await eventually(() => textsTo(phone).length > 0 && textsTo(phone));
    expect(texts).toEqual([expect.stringContaining('KES 1,500')]);
    expect(texts[0]).toContain('TKA1B2C3D4');
    await eventually(async () => (await read(shop.id, payment.id)).customer_notice === 'sent');
  });

  it.each([
    [1032, 'cancelled', 'cancelled'],
    [2001, 'wrong_pin', 'PIN'],
    [1, 'insufficient_funds', 'balance'],
    [1037, 'timeout', 'in time'],
  ])(
    'result %i → failed (%s), and the customer is told why and how to try again',
    async (resultCode, reason, words) => {
      const { phone, payment, push } = await started(shop.id);
      expect(await daraja.sendCallback(push, { resultCode, resultDesc: 'from M-Pesa' })).toBe(200);
      expect(await read(shop.id, payment.id)).toMatchObject({
        status: 'failed',
        failure_reason: reason,
        result_code: resultCode,
        receipt_number: null,
      });
      const [text] = await eventually(() => textsTo(phone).length > 0 && textsTo(phone));
      expect(text).toContain(words);
      expect(text).toContain('KES 1,500');
    },
  );

  it('a lost callback is settled by the query; the late callback then adds its receipt and sends nothing', async () => {
    const { phone, payment, push } = await started(shop.id);
    daraja.queryResults.set(push.checkoutRequestId, {
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
    });
    const settled = await eventually(async () => {
      const p = await read(shop.id, payment.id);
      return p.status !== 'pending' && p;
    });
    expect(settled).toMatchObject({ status: 'paid', settled_by: 'query', receipt_number: null });
    await eventually(() => textsTo(phone).length === 1);
    expect(await daraja.sendCallback(push, { receipt: 'TKLATE0001' })).toBe(200);
    expect(await read(shop.id, payment.id)).toMatchObject({
      status: 'paid',
      settled_by: 'query',
      receipt_number: 'TKLATE0001',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(textsTo(phone)).toHaveLength(1);
  });

  it('a payment still being processed stays pending and is asked about again', async () => {
    const { payment, push } = await started(shop.id);
    await eventually(
      () =>
        daraja.requests.filter(
          (r) => r.path.includes('stkpushquery') && r.body?.CheckoutRequestID === push.checkoutRequestId,
        ).length >= 2,
      8_000,
    );
    expect((await read(shop.id, payment.id)).status).toBe('pending');
    // Daraja failing the query itself is no answer either: asked again later.
    daraja.failNext(1, /stkpushquery/, 503, {
      requestId: 'r-q',
      errorCode: '503.001.01',
      errorMessage: 'Service Unavailable',
    });
    daraja.queryResults.set(push.checkoutRequestId, { resultCode: 1032, resultDesc: 'Request cancelled by user' });
    await eventually(async () => (await read(shop.id, payment.id)).failure_reason === 'cancelled', 8_000);
  });

  it('a replayed callback changes nothing and sends nothing', async () => {
    const { phone, payment, push } = await started(shop.id);
    await daraja.sendCallback(push, { receipt: 'TKREPLAY01' });
    await eventually(() => textsTo(phone).length === 1);
    // The notice is marked sent once Meta's answer is back, a moment after Meta got the text.
    await eventually(async () => (await read(shop.id, payment.id)).customer_notice === 'sent');
    const before = await read(shop.id, payment.id);
    const sent = daraja.callbacksSent.at(-1)!;
    for (let i = 0; i < 3; i += 1) expect(await daraja.replay(sent)).toBe(200);
    // A replay of a failure for a paid payment changes nothing either.
    await daraja.sendCallback(push, { resultCode: 1032 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await read(shop.id, payment.id)).toEqual(before);
    expect(textsTo(phone)).toHaveLength(1);
  });

  it('ten copies of the callback at once, racing the query: settled once, the customer told once', async () => {
    const { phone, payment, push } = await started(shop.id);
    daraja.queryResults.set(push.checkoutRequestId, {
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
    });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => daraja.sendCallback(push, { receipt: 'TKRACE0001' })),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    expect((await read(shop.id, payment.id)).status).toBe('paid');
    await eventually(() => textsTo(phone).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(textsTo(phone)).toHaveLength(1);
    const [row] = await t.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM alphadome.bot_message_logs WHERE metadata->>'payment_id' = ${lit(payment.id)}`,
    );
    expect(row?.n).toBe(1);
  });

  it("forged callbacks are answered 200 and ignored: unknown token, another payment's checkout, another amount, junk", async () => {
    const { phone, payment, push } = await started(shop.id);
    const other = await started(shop.id);
    const ourUrl = daraja.reachable(push.callbackUrl);
    expect(await daraja.sendCallback(push, { url: `${t.baseUrl}/mpesa/callback/${'A'.repeat(43)}` })).toBe(200);
    expect(await daraja.sendCallback(push, { url: `${t.baseUrl}/mpesa/callback/short` })).toBe(200);
    expect(await daraja.sendCallback(push, { checkoutRequestId: other.push.checkoutRequestId })).toBe(200);
    expect(await daraja.sendCallback(push, { amount: 1 })).toBe(200);
    expect(await daraja.post(ourUrl, 'not json')).toBe(200);
    expect(await daraja.post(ourUrl, '{"Body":{}}')).toBe(200);
    expect(await daraja.post(ourUrl, 'ResultCode=0', 'application/x-www-form-urlencoded')).toBe(200);
    // The other payment's own token with this payment's checkout id is as wrong.
    expect(await daraja.sendCallback(other.push, { checkoutRequestId: push.checkoutRequestId })).toBe(200);
    expect((await read(shop.id, payment.id)).status).toBe('pending');
    expect((await read(shop.id, other.payment.id)).status).toBe('pending');
    expect(textsTo(phone)).toHaveLength(0);
    // The real one still works afterwards.
    await daraja.sendCallback(push, { receipt: 'TKREAL0001' });
    expect((await read(shop.id, payment.id)).receipt_number).toBe('TKREAL0001');
  });

  it('two tenants with different shortcodes never mix: each pushes with its own, a callback across them is ignored, tokens are cached per tenant', async () => {
    const tokensBefore = daraja.tokenRequests().length;
    const a = await started(shop.id);
    const b = await started(school.id);
    const a2 = await started(shop.id);
    expect(a.push.shortcode).toBe('174379');
    expect(b.push).toMatchObject({ shortcode: '600984', transactionType: 'CustomerBuyGoodsOnline', partyB: '5544332' });
    // Cached tokens: no tenant asked for one more than once in this test (or ever, if it had one).
    expect(daraja.tokenRequests().length - tokensBefore).toBeLessThanOrEqual(2);
    expect(a2.push.shortcode).toBe('174379');
    // School's callback, with shop's checkout id, to school's URL; and shop's result to school's URL.
    await daraja.sendCallback(b.push, { checkoutRequestId: a.push.checkoutRequestId });
    await daraja.sendCallback(a.push, { url: daraja.reachable(b.push.callbackUrl) });
    expect((await read(shop.id, a.payment.id)).status).toBe('pending');
    expect((await read(school.id, b.payment.id)).status).toBe('pending');
    // Another tenant's payment id answers 404, as if it did not exist.
    expect((await api.call('GET', `/api/v1/tenants/${school.id}/payments/${a.payment.id}`)).status).toBe(404);
    const list = await api.call('GET', `/api/v1/tenants/${school.id}/payments?limit=100`);
    expect(list.body.data.every((p: { id: string }) => p.id !== a.payment.id && p.id !== a2.payment.id)).toBe(true);
    await daraja.sendCallback(b.push);
    expect((await read(school.id, b.payment.id)).status).toBe('paid');
    expect((await read(shop.id, a.payment.id)).status).toBe('pending');
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: -5 }, 'amount'],
    [{ amount: 10.5 }, 'whole'],
    [{ amount: 70_001 }, 'KES 70,000'],
    [{ amount: '100' }, 'amount'],
    [{ phone: '+1 202 555 0100' }, 'Kenyan mobile'],
    [{ phone: '0202345678' }, 'Kenyan mobile'],
    [{ phone: '25470012345' }, 'Kenyan mobile'],
    [{ phone: 'abc' }, 'Kenyan mobile'],
  ])('%j → 400 naming the problem, and nothing is sent', async (change, words) => {
    const pushes = daraja.pushes.length;
    const res = await pay(shop.id, { phone: '254712345678', amount: 100, ...change });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid request', details: expect.stringContaining(words) });
    expect(daraja.pushes.length).toBe(pushes);
  });

  it('accepts 07..., +254 7... and 01... numbers and pushes to 2547.../2541...', async () => {
    for (const [written, normal] of [
      ['0712 345 678', '254712345678'],
      ['+254 110 123456', '254110123456'],
    ] as const) {
      const res = await pay(shop.id, { phone: written, amount: 10 });
      expect(res.status, res.text).toBe(201);
      expect(res.body.phone).toBe(normal);
      expect(pushOf(res.body.checkout_request_id).phone).toBe(normal);
    }
  });

  it('missing credentials or settings → 409 naming what is missing', async () => {
    const bare = await seedTenant(t);
    const res = await pay(bare.id, { phone: '254712345678', amount: 100 });
    expect(res.status).toBe(409);
    expect(res.body.details).toContain('mpesa_consumer_key');
    expect(res.body.details).toContain('mpesa_passkey');
    expect(res.body.details).toContain('mpesa_shortcode');
    expect(res.body.details).toContain('enable_payment_flow');
    await api.call('PUT', `/api/v1/tenants/${bare.id}/credentials`, {
      body: { mpesa_consumer_key: 'k-12345678', mpesa_consumer_secret: 's-12345678', mpesa_passkey: 'p-12345678' },
    });
    const again = await pay(bare.id, { phone: '254712345678', amount: 100 });
    expect(again.status).toBe(409);
    expect(again.body.details).not.toContain('mpesa_consumer_key');
    expect(again.body.details).toContain('mpesa_shortcode');
  });

  it('the credentials are write-only and sealed; the settings read back', async () => {
    const creds = await api.call('GET', `/api/v1/tenants/${shop.id}/credentials`);
    expect(creds.body.mpesa_passkey).toEqual({ set: true, last4: shop.darajaApp.passkey.slice(-4) });
    expect(creds.text).not.toContain(shop.darajaApp.passkey);
    const [row] = await t.rows<{ k: string; p: string }>(
      `SELECT mpesa_consumer_key AS k, mpesa_passkey AS p FROM alphadome.bot_tenants WHERE id = ${lit(shop.id)}`,
    );
    expect(row?.k.startsWith('enc:v2:')).toBe(true);
    expect(row?.p).not.toContain(shop.darajaApp.passkey);
    const settings = await api.call('GET', `/api/v1/tenants/${school.id}/settings`);
    expect(settings.body).toMatchObject({
      enable_payment_flow: true,
      mpesa_shortcode: '600984',
      mpesa_transaction_type: 'CustomerBuyGoodsOnline',
      mpesa_party_b: '5544332',
      mpesa_max_amount: 70_000,
    });
    const bad = await api.call('PATCH', `/api/v1/tenants/${school.id}/settings`, {
      body: { mpesa_transaction_type: 'Cash', mpesa_max_amount: 1.5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toContain('mpesa_transaction_type');
    expect(bad.body.details).toContain('mpesa_max_amount');
  });

  it('Daraja refusing (its error body) or down → the payment is failed with the reason and the customer told; nothing lost', async () => {
    daraja.failNext(1, /stkpush\/v1/, 500, {
      requestId: 'r-1',
      errorCode: '500.001.1001',
      errorMessage: 'Unable to lock subscriber, a transaction is already in process for the current subscriber',
    });
    const phone = uniquePhone();
    const refused = await pay(shop.id, { phone, amount: 2500 });
    expect(refused.status, refused.text).toBe(201);
    expect(refused.body).toMatchObject({
      status: 'failed',
      failure_reason: 'daraja_error',
      settled_by: 'request',
      checkout_request_id: null,
    });
    expect(refused.body.result_desc).toContain('Unable to lock subscriber');
    const [text] = await eventually(() => textsTo(phone).length > 0 && textsTo(phone));
    expect(text).toContain('KES 2,500');

    // Down: nothing answers at Daraja's address (the shop's token is cached, so the push itself fails).
    await daraja.stop();
    const phone2 = uniquePhone();
    try {
      const down = await pay(shop.id, { phone: phone2, amount: 300 });
      expect(down.status, down.text).toBe(201);
      expect(down.body).toMatchObject({ status: 'failed', failure_reason: 'daraja_error', settled_by: 'request' });
      expect(down.body.result_desc).toContain('could not be reached');
    } finally {
      await daraja.start(daraja.port);
    }
    const [told] = await eventually(() => textsTo(phone2).length > 0 && textsTo(phone2));
    expect(told).toContain('KES 300');
    const listed = await api.call('GET', `/api/v1/tenants/${shop.id}/payments?status=failed&phone=${phone}`);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([refused.body.id]);
  });

  it('lists with filters: status, phone (any spelling), dates; bad filters are 400', async () => {
    const { phone, payment } = await started(school.id);
    const local = `0${phone.slice(3)}`;
    const byPhone = await api.call('GET', `/api/v1/tenants/${school.id}/payments?phone=${local}`);
    expect(byPhone.body.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    const today = new Date().toISOString().slice(0, 10);
    const pending = await api.call(
      'GET',
      `/api/v1/tenants/${school.id}/payments?status=pending&from=${today}&to=${today}`,
    );
    expect(pending.body.data.some((p: { id: string }) => p.id === payment.id)).toBe(true);
    const old = await api.call('GET', `/api/v1/tenants/${school.id}/payments?to=2020-01-01`);
    expect(old.body.total).toBe(0);
    expect((await api.call('GET', `/api/v1/tenants/${school.id}/payments?status=lost`)).status).toBe(400);
    expect((await api.call('GET', `/api/v1/tenants/${school.id}/payments?phone=12`)).status).toBe(400);
    expect((await api.call('GET', `/api/v1/tenants/${school.id}/payments/not-an-id`)).status).toBe(404);
  });

  it('analytics: money collected per day, success rate and failures by reason, matching the payments themselves', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const all = (await api.call('GET', `/api/v1/tenants/${shop.id}/payments?limit=100`)).body.data as {
      status: string;
      amount: number;
      failure_reason: string | null;
    }[];
    const paid = all.filter((p) => p.status === 'paid');
    const failed = all.filter((p) => p.status === 'failed');
    expect(paid.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    const res = await api.call('GET', `/api/v1/tenants/${shop.id}/analytics?from=${today}&to=${today}`);
    expect(res.status, res.text).toBe(200);
    const figures = res.body.payments;
    expect(figures).toMatchObject({
      paid: paid.length,
      failed: failed.length,
      pending: all.filter((p) => p.status === 'pending').length,
      collected_kes: paid.reduce((sum, p) => sum + p.amount, 0),
      success_rate: Math.round((paid.length / (paid.length + failed.length)) * 10_000) / 10_000,
    });
    expect(figures.daily).toEqual([
      { date: today, collected_kes: figures.collected_kes, paid: paid.length, failed: failed.length },
    ]);
    const reasons = Object.fromEntries(
      figures.failures_by_reason.map((r: { reason: string; count: number }) => [r.reason, r.count]),
    );
    for (const reason of ['cancelled', 'wrong_pin', 'insufficient_funds', 'timeout', 'daraja_error']) {
      expect(reasons[reason], reason).toBe(failed.filter((p) => p.failure_reason === reason).length);
    }
    // The rest of the report is still there, and another tenant's payments are not counted.
    expect(res.body.totals).toHaveProperty('messages_in');
    const other = await api.call('GET', `/api/v1/tenants/${school.id}/analytics?from=${today}&to=${today}`);
    expect(other.body.payments.collected_kes).not.toBe(figures.collected_kes);
  });
});

describe.each(testEngines())('M-Pesa without PUBLIC_BASE_URL (%s)', (engine) => {
  let t: TestApp;
  let daraja: FakeDaraja;

  beforeAll(async () => {
    daraja = new FakeDaraja();
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN, MPESA_BASE_URL: await daraja.start() } });
  });
  afterAll(async () => {
    await t.stop();
    await daraja.stop();
  });

  it('refuses to start a payment with 409 naming PUBLIC_BASE_URL, and asks Daraja nothing', async () => {
    const api = adminClient(t.baseUrl);
    const shop = await mpesaTenant(t, api, daraja, { shortcode: '174379' });
    const res = await api.call('POST', `/api/v1/tenants/${shop.id}/payments`, {
      body: { phone: '0712345678', amount: 100 },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'Conflict', details: expect.stringContaining('PUBLIC_BASE_URL is not set') });
    expect(daraja.requests).toEqual([]);
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/payments`)).body.total).toBe(0);
  });
});
