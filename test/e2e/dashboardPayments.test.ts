// The Payments page in real headless Chromium: a tenant's M-Pesa payments (paid with its receipt,
// failed with its reason, waiting), filtered by status and number, the money collected, the M-Pesa
// settings saved through the page, and nothing of another tenant's payments.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDaraja } from '../fakes/fakeDaraja.js';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { mpesaTenant } from '../support/mpesaTenant.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import {
  launchChromium,
  openPage,
  openSection,
  recordApiCalls,
  screenshot,
  signIn,
} from './support/dashboardBrowser.js';

const PUBLIC = 'https://pay.gitaa.test';

describe.each(testEngines())('dashboard, Payments page (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let daraja: FakeDaraja;
  let browser: Browser;
  let page: Page;
  let calls: string[];
  let shopId: string;
  let otherId: string;

  beforeAll(async () => {
    daraja = new FakeDaraja();
    t = await startTestApp({
      engine,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        MPESA_BASE_URL: await daraja.start(),
        PUBLIC_BASE_URL: PUBLIC,
        MPESA_QUERY_AFTER_S: '3600',
      },
    });
    daraja.rewriteCallbacks = { from: PUBLIC, to: t.baseUrl };
    api = adminClient(t.baseUrl);
    const shop = await mpesaTenant(t, api, daraja, { shortcode: '174379' });
    const other = await mpesaTenant(t, api, daraja, { shortcode: '600100' });
    shopId = shop.id;
    otherId = other.id;
    const start = async (tenantId: string, phone: string, amount: number) => {
      const res = await api.call('POST', `/api/v1/tenants/${tenantId}/payments`, {
        body: { phone, amount, reference: 'LESSON' },
      });
      expect(res.status, res.text).toBe(201);
      return daraja.pushes.find((p) => p.checkoutRequestId === res.body.checkout_request_id)!;
    };
    await daraja.sendCallback(await start(shop.id, '0711000111', 4500), { receipt: 'TKGITAA001' });
    await daraja.sendCallback(await start(shop.id, '0722000222', 1200), { resultCode: 1032 });
    await start(shop.id, '0733000333', 800);
    await daraja.sendCallback(await start(other.id, '0744000444', 9999), { receipt: 'TKOTHER999' });
    const key = (await api.call('POST', `/api/v1/tenants/${shop.id}/api-keys`, { body: { name: 'dashboard' } })).body
      .key as string;

    browser = await launchChromium();
    page = await openPage(browser);
    calls = recordApiCalls(page);
    await signIn(page, t.baseUrl, key);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await daraja?.stop();
  });

  const rows = () => page.locator('table.payments tbody tr');

  it('lists the payments with status, reason and receipt, and the money collected', async () => {
    await openSection(page, 'Payments');
    await expect.poll(() => rows().count()).toBe(3);
    const paid = rows().filter({ hasText: '+254711000111' });
    expect(await paid.textContent()).toContain('KES 4,500');
    expect(await paid.textContent()).toContain('Paid');
    expect(await paid.textContent()).toContain('TKGITAA001');
    expect(await rows().filter({ hasText: '+254722000222' }).textContent()).toContain(
      'Failed: cancelled by the customer',
    );
    expect(await rows().filter({ hasText: '+254733000333' }).textContent()).toContain('Waiting for the customer');
    const collected = page
      .locator('.tile')
      .filter({ has: page.getByText('Collected', { exact: true }) })
      .locator('dd');
    await expect.poll(() => collected.textContent()).toBe('KES 4,500');
    const rate = page
      .locator('.tile')
      .filter({ has: page.getByText('Success rate', { exact: true }) })
      .locator('dd');
    expect(await rate.textContent()).toBe('50.0%');
    // Nothing of the other tenant, and no call about it.
    expect(await page.content()).not.toContain('TKOTHER999');
    expect(calls.every((c) => !c.includes(otherId))).toBe(true);
    await screenshot(page, `payments-${engine}`);
  });

  it("filters by status and by the customer's number written the local way", async () => {
    const filters = page.getByRole('search', { name: 'Filter payments' });
    await filters.getByLabel('Status').selectOption('failed');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('+254722000222');

    await filters.getByLabel('Status').selectOption('');
    await filters.getByLabel('Customer number').fill('0733 000 333');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(async () => (await rows().count()) === 1 && (await rows().first().textContent())?.includes('+254733000333'))
      .toBe(true);

    await filters.getByLabel('Customer number').fill('12');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('alert').filter({ hasText: 'Kenyan mobile number' }).waitFor();
  });

  it("saves the M-Pesa settings, and shows the API's refusal of a bad one", async () => {
    const form = page.getByRole('form', { name: 'M-Pesa' });
    await form.getByLabel(/^Most one payment may ask for/).fill('15000');
    await form.getByLabel('Kind').selectOption('CustomerBuyGoodsOnline');
    await form.getByRole('button', { name: 'Save M-Pesa settings' }).click();
    await form.getByRole('status').filter({ hasText: 'M-Pesa settings saved.' }).waitFor();
    expect((await api.call('GET', `/api/v1/tenants/${shopId}/settings`)).body).toMatchObject({
      mpesa_max_amount: 15_000,
      mpesa_transaction_type: 'CustomerBuyGoodsOnline',
      mpesa_shortcode: '174379',
    });

    await form.getByLabel(/^Shortcode/).fill('12');
    await form.getByRole('button', { name: 'Save M-Pesa settings' }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('mpesa_shortcode');
    expect((await api.call('GET', `/api/v1/tenants/${shopId}/settings`)).body.mpesa_shortcode).toBe('174379');
  });
});
