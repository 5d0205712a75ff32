// The dashboard in real headless Chromium, signed in with one tenant's API key: it shows that
// tenant's figures, conversations and FAQs and nothing of another tenant's, and an FAQ edited in
// the editor answers the very next WhatsApp message.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import {
  launchChromium,
  openPage,
  openSection,
  recordApiCalls,
  screenshot,
  signIn,
} from './support/dashboardBrowser.js';

const A = {
  name: 'Duka Moja Music',
  faqQ: 'What are your opening hours?',
  faqA: 'We open at 8am every day.',
  customers: ['254711000101', '254711000102'],
};
const B = {
  name: 'Soko Mbili Electronics',
  faqQ: 'Do you deliver to Mombasa?',
  faqA: 'Soko Mbili delivers to Mombasa on Fridays.',
  customers: ['254722000201', '254722000202', '254722000203', '254722000204'],
};
const AI_ANSWER = 'Those arrive next month, says the AI.';

describe.each(testEngines())('dashboard, tenant view (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let browser: Browser;
  let page: Page;
  let calls: string[];
  let tenantA: SeededTenant;
  let tenantB: SeededTenant;
  let keyA: string;

  async function say(tenant: SeededTenant, from: string, text: string): Promise<string> {
    const message = textMessage(from, text);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  }
  const replyTo = (wamid: string) => eventually(() => t.graph.sentTexts().find((s) => s.replyTo === wamid));

  /** Nothing of tenant B anywhere in the page: not its name, customers, FAQ or id. */
  async function expectNothingOfB(): Promise<void> {
    const html = await page.content();
    for (const secret of [B.name, B.faqQ, B.faqA, tenantB.id, ...B.customers]) expect(html).not.toContain(secret);
  }
  const tile = (label: string) =>
    page
      .locator('.tile')
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd');

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
    t.ai.openai.reply = AI_ANSWER;
    tenantA = await seedTenant(t, { name: A.name });
    tenantB = await seedTenant(t, { name: B.name });
    await seedFaq(t, tenantA.id, A.faqQ, A.faqA);
    await seedFaq(t, tenantB.id, B.faqQ, B.faqA);
    const created = await api.call('POST', `/api/v1/tenants/${tenantA.id}/api-keys`, { body: { name: 'dashboard' } });
    expect(created.status, created.text).toBe(201);
    keyA = created.body.key;

    // A: 3 messages from 2 customers (2 FAQ answers, 1 AI answer). B: 7 from 4 customers, all FAQ.
    // Each question waits for its answer, so a conversation reads question, answer, question, answer.
    const asked: string[] = [];
    const conversation: [SeededTenant, string, string][] = [
      [tenantA, A.customers[0]!, A.faqQ],
      [tenantA, A.customers[0]!, 'Do you sell violins?'],
      [tenantA, A.customers[1]!, 'what are your opening hours'],
      ...Array.from({ length: 7 }, (_, i): [SeededTenant, string, string] => [tenantB, B.customers[i % 4]!, B.faqQ]),
    ];
    for (const [tenant, from, text] of conversation) {
      asked.push(await say(tenant, from, text));
      await replyTo(asked.at(-1)!);
    }
    // Figures count sent replies: wait until every reply's send is recorded.
    await eventually(async () => {
      const [row] = await t.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM alphadome.bot_message_logs WHERE direction = 'outbound' AND status = 'sent'`,
      );
      return row?.n === asked.length;
    });

    browser = await launchChromium();
    page = await openPage(browser);
    calls = recordApiCalls(page);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it("refuses a wrong key with the API's words, keeping nothing", async () => {
    await page.goto(`${t.baseUrl}/dashboard/`);
    await page.getByLabel('API key or admin token').fill(`${keyA}x`);
    await page.getByRole('button', { name: 'Use token' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toBe('Unauthorized: The bearer token is not valid');
    expect(await page.evaluate("sessionStorage.getItem('alphadome.token')")).toBeNull();
  });

  it("signs in with the tenant key and shows that tenant's figures, without a tenant switcher", async () => {
    await signIn(page, t.baseUrl, keyA);
    await expect.poll(() => page.locator('.tenant-name').textContent()).toBe(A.name);
    expect(await page.getByRole('combobox', { name: 'Tenant' }).count()).toBe(0);
    expect(await page.locator('.switcher').count()).toBe(0);

    await expect.poll(() => tile('Messages in').textContent()).toBe('3');
    expect(await tile('Messages out').textContent()).toBe('3');
    expect(await tile('Customers').textContent()).toBe('2');
    expect(await tile('Answered by FAQ').textContent()).toBe('2');
    expect(await tile('Answered by AI').textContent()).toBe('1');
    expect(await page.getByText('Messages per day', { exact: true }).count()).toBe(1);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await expectNothingOfB();
    await screenshot(page, `overview-${engine}`);
  });

  it("lists the tenant's conversations, searches them and opens one as a thread", async () => {
    await openSection(page, 'Conversations');
    await expect.poll(() => page.locator('table.messages tbody tr').count()).toBe(6);
    for (const customer of A.customers)
      expect(await page.getByRole('link', { name: `Conversation with +${customer}` }).count()).toBeGreaterThan(0);
    await expectNothingOfB();
    await screenshot(page, `conversations-${engine}`);

    await page.getByLabel('Text contains').fill('violins');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('table.messages tbody tr').count()).toBe(1);
    expect(await page.locator('table.messages tbody').textContent()).toContain('Do you sell violins?');

    await page.getByRole('link', { name: `Conversation with +${A.customers[0]}` }).click();
    await page.getByRole('heading', { name: `Conversation with +${A.customers[0]}` }).waitFor();
    const bubbles = page.locator('.thread .bubble');
    await expect.poll(() => bubbles.count()).toBe(4);
    expect(await bubbles.allTextContents()).toEqual([
      expect.stringContaining(A.faqQ),
      expect.stringContaining(A.faqA),
      expect.stringContaining('Do you sell violins?'),
      expect.stringContaining(AI_ANSWER),
    ]);
    expect(page.url()).toBe(`${t.baseUrl}/dashboard/conversations/${A.customers[0]}`);
    await screenshot(page, `thread-${engine}`);
  });

  it('edits an FAQ and the next WhatsApp message is answered with the new text', async () => {
    await openSection(page, 'FAQ editor');
    const list = page.locator('.faq-list');
    await expect.poll(() => list.textContent()).toContain(A.faqA);
    await expectNothingOfB();

    await page.getByRole('button', { name: `Edit: ${A.faqQ}` }).click();
    const form = page.getByRole('form', { name: 'Edit training row' });
    await form.getByLabel('Answer').fill('We open at 7am, Monday to Saturday.');
    await form.getByLabel(/^Also asked as/).fill('Mnaanza kazi lini asubuhi?\n');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'The bot uses it from the next message' }).waitFor();
    await expect.poll(() => list.textContent()).toContain('We open at 7am, Monday to Saturday.');
    await screenshot(page, `faq-editor-${engine}`);

    const asked = await say(tenantA, '254711000103', 'What are your opening hours?');
    expect((await replyTo(asked)).body).toBe('We open at 7am, Monday to Saturday.');
    // The other wording typed in the form is answered with the FAQ too.
    const variant = await say(tenantA, '254711000103', 'Mnaanza kazi lini asubuhi?');
    expect((await replyTo(variant)).body).toBe('We open at 7am, Monday to Saturday.');
  });

  it('shows each bad row of an import and writes none of them; exports what is stored', async () => {
    const before = (await api.call('GET', `/api/v1/tenants/${tenantA.id}/training`)).body.total;
    const csv = 'question,answer,priority\nDo you tune pianos?,Yes on Mondays.,5\nDo you rent drums?,Yes.,11\n';
    await page.getByLabel(/^File/).setInputFiles({ name: 'faqs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Import rejected' }).waitFor();
    const report = page.locator('table').filter({ has: page.locator('caption', { hasText: 'Rows not imported' }) });
    expect(await report.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^2priority.*at most 10/),
    ]);
    expect((await api.call('GET', `/api/v1/tenants/${tenantA.id}/training`)).body.total).toBe(before);
    expect(await page.locator('.faq-list').textContent()).not.toContain('Do you tune pianos?');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const exported = await readFile(await download.path(), 'utf8');
    expect(exported).toContain('We open at 7am, Monday to Saturday.');
    expect(exported).not.toContain(B.faqA);
  });

  it("asked only about its own tenant, even with another tenant's id planted in the tab", async () => {
    await page.evaluate(`sessionStorage.setItem('alphadome.tenant', ${JSON.stringify(tenantB.id)})`);
    await page.goto(`${t.baseUrl}/dashboard/`);
    await expect.poll(() => tile('Messages in').textContent()).toBe('5');
    await expectNothingOfB();
    const tenantCalls = calls.filter((call) => !/^GET \/api\/v1\/me$/.test(call));
    expect(tenantCalls.length).toBeGreaterThan(5);
    for (const call of tenantCalls) expect(call).toMatch(new RegExp(`^[A-Z]+ /api/v1/tenants/${tenantA.id}/`));
  });

  it('signs out: the token leaves the tab and the sign-in form is back', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key or admin token').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('alphadome.token')")).toBeNull();
    await page.reload();
    await page.getByLabel('API key or admin token').waitFor();
  });
});
