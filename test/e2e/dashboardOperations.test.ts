// The dashboard's working pages in real headless Chromium: resuming a paused conversation, turning
// a question the AI answered into an FAQ or into another wording of an FAQ, the settings and write-only credentials forms, the
// administrator's tenant switcher, and the whole page on a 360 px wide phone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import { launchChromium, openPage, openSection, screenshot, signIn } from './support/dashboardBrowser.js';

const SHOP = { name: 'Gitaa House', faqQ: 'Where is your shop?', faqA: 'Moi Avenue 12, Nairobi.' };
const OTHER = { name: 'Mama Mboga Fresh' };
const ESCALATION_PHONE = '254711900077';
const AI_ANSWER = 'Yes, we repair guitars on Saturdays.';

describe.each(testEngines())('dashboard, working pages (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let browser: Browser;
  let page: Page;
  let shop: SeededTenant;
  let other: SeededTenant;
  let key: string;

  async function say(tenant: SeededTenant, from: string, text: string): Promise<string> {
    const message = textMessage(from, text);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  }
  const replyTo = (wamid: string) => eventually(() => t.graph.sentTexts().find((s) => s.replyTo === wamid));
  const settled = (wamid: string) =>
    eventually(async () => {
      const [row] = await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = '${wamid}'`,
      );
      return row && !['pending', 'processing'].includes(row.status) ? row : null;
    });
  const tile = (label: string) =>
    page
      .locator('.tile')
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd');

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
    t.ai.openai.reply = AI_ANSWER;
    shop = await seedTenant(t, { name: SHOP.name });
    other = await seedTenant(t, { name: OTHER.name });
    await seedFaq(t, shop.id, SHOP.faqQ, SHOP.faqA);
    expect(
      (await api.call('PATCH', `/api/v1/tenants/${shop.id}/settings`, { body: { escalation_phone: ESCALATION_PHONE } }))
        .status,
    ).toBe(200);
    key = (await api.call('POST', `/api/v1/tenants/${shop.id}/api-keys`, { body: { name: 'dashboard' } })).body.key;

    // Questions the FAQ cannot answer go to the AI: the dashboard should offer to teach them.
    for (const [from, text] of [
      ['254733000001', 'Do you repair guitars?'],
      ['254733000002', 'do you repair guitars'],
      ['254733000003', 'Do you repair guitars??'],
      // A wording of the location FAQ that shares no word with it ("street" or "floor" would already match).
      ['254733000011', 'How do I get to you from town?'],
      ['254733000012', 'how do i get to you from town'],
    ] as const) {
      await replyTo(await say(shop, from, text));
    }
    await replyTo(await say(other, '254744000001', 'Habari, mna sukuma wiki?'));

    browser = await launchChromium();
    page = await openPage(browser);
    await signIn(page, t.baseUrl, key);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('resumes a paused conversation from the Escalations page, and the bot answers the next message', async () => {
    const customer = '254733000099';
    expect((await replyTo(await say(shop, customer, 'I want to talk to a human'))).body).toContain(
      'A member of our team',
    );
    const quiet = await say(shop, customer, 'Hello? Anyone there?');
    expect((await settled(quiet)).status).toBe('skipped');

    await openSection(page, 'Escalations');
    const paused = page.locator('.handoffs li').filter({ hasText: `+${customer}` });
    await paused.waitFor();
    expect(await paused.textContent()).toContain('the customer asked for a person');
    await screenshot(page, `escalations-${engine}`);

    await page.getByRole('button', { name: `Resume the bot for +${customer}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The bot answers +${customer} again.` })
      .waitFor();
    await page.getByText('No conversation is paused').waitFor();
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/handoffs`)).body.data).toEqual([]);

    const asked = await say(shop, customer, SHOP.faqQ);
    expect((await replyTo(asked)).body).toBe(SHOP.faqA);
  });

  it("turns a question the AI answered into an FAQ, prefilled with the AI's answer, and the bot answers it from the FAQ", async () => {
    await openSection(page, 'Questions to teach');
    const question = page
      .locator('.questions > li')
      .filter({ hasText: /repair guitars/i })
      .first();
    await question.waitFor();
    expect(await question.textContent()).toMatch(/Asked 3 times/);
    await screenshot(page, `questions-${engine}`);

    await question.getByRole('button', { name: /^Make this an FAQ/ }).click();
    const answer = question.getByLabel(/^Answer/);
    expect(await answer.inputValue()).toBe(AI_ANSWER);
    await answer.fill('We repair guitars every Saturday, 9am to 1pm.');
    await question.getByRole('button', { name: 'Save as FAQ' }).click();
    await question.getByRole('status').filter({ hasText: 'Saved as an FAQ' }).waitFor();

    const faqs = (await api.call('GET', `/api/v1/tenants/${shop.id}/training?q=repair`)).body.data;
    expect(faqs).toEqual([
      expect.objectContaining({ data_type: 'faq', answer: 'We repair guitars every Saturday, 9am to 1pm.' }),
    ]);
    const aiCalls = t.ai.openai.requests.length;
    expect((await replyTo(await say(shop, '254733000004', 'Do you repair guitars?'))).body).toBe(
      'We repair guitars every Saturday, 9am to 1pm.',
    );
    expect(t.ai.openai.requests.length).toBe(aiCalls);
  });

  it('makes a question another wording of an existing FAQ ("This is FAQ…"), and the bot answers it with that FAQ', async () => {
    await openSection(page, 'Questions to teach');
    const question = page
      .locator('.questions > li')
      .filter({ hasText: /get to you from town/i })
      .first();
    await question.waitFor();
    await question.getByRole('button', { name: /^This is an FAQ already/ }).click();
    const faqChoice = question.getByRole('combobox', { name: 'The FAQ that answers it' });
    await expect.poll(() => faqChoice.locator('option').allTextContents()).toContain(SHOP.faqQ);
    await faqChoice.selectOption({ label: SHOP.faqQ });
    await question.getByRole('button', { name: 'Answer with this FAQ' }).click();
    await question
      .getByRole('status')
      .filter({ hasText: `Added to "${SHOP.faqQ}"` })
      .waitFor();
    await screenshot(page, `questions-variant-${engine}`);

    const [faq] = (
      await api.call('GET', `/api/v1/tenants/${shop.id}/training?q=${encodeURIComponent('Where is your shop')}`)
    ).body.data;
    expect(faq.variants.map((v: string) => v.toLowerCase().replace(/\W+$/, ''))).toEqual(
      expect.arrayContaining(['how do i get to you from town']),
    );
    const aiCalls = t.ai.openai.requests.length;
    expect((await replyTo(await say(shop, '254733000013', 'How do I get to you from town?'))).body).toBe(SHOP.faqA);
    expect(t.ai.openai.requests.length).toBe(aiCalls);

    await openSection(page, 'FAQ editor');
    await expect
      .poll(() => page.locator('.faq-list').textContent())
      .toMatch(/Also asked as: [Hh]ow do [Ii] get to you from town/);
  });

  it("saves settings, and shows the API's error without saving anything when a field is bad", async () => {
    await openSection(page, 'Settings');
    const form = page.getByRole('form', { name: 'Bot settings' });
    await form.getByLabel('E-mail').fill('care@gitaa.test');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/settings`)).body.escalation_email).toBe(
      'care@gitaa.test',
    );

    await form.getByLabel('E-mail').fill('owner@gitaa.test');
    await form.getByLabel('Messages per hour (whole bot)').fill('');
    await form.getByRole('button', { name: 'Save settings' }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Invalid request: body\.max_messages_per_hour: /);
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/settings`)).body.escalation_email).toBe(
      'care@gitaa.test',
    );
    await screenshot(page, `settings-${engine}`);
  });

  it('shows credentials only as set/last four, and never the value typed in', async () => {
    const form = page.getByRole('form', { name: 'Credentials' });
    await expect
      .poll(() => form.locator('#secret-whatsapp_access_token-state').textContent())
      .toBe(`Set, ends in …${shop.accessToken.slice(-4)}`);
    expect(await page.content()).not.toContain(shop.accessToken);

    await form.getByLabel('AI provider API key').fill('sk-brand-new-key-7781');
    await form.getByRole('button', { name: 'Save credentials' }).click();
    await form.getByRole('status').filter({ hasText: 'Credentials saved.' }).waitFor();
    expect(await form.locator('#secret-ai_api_key-state').textContent()).toBe('Set, ends in …7781');
    expect(await form.getByLabel('AI provider API key').inputValue()).toBe('');
    expect(await page.content()).not.toContain('sk-brand-new-key');
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/credentials`)).body.ai_api_key).toEqual({
      set: true,
      last4: '7781',
    });
  });

  it("locks what a tenant key may not change, says why, and shows the API's refusal of a limit above the platform's", async () => {
    const credentials = page.getByRole('form', { name: 'Credentials' });
    expect(await credentials.getByLabel('WhatsApp app secret').isDisabled()).toBe(true);
    expect(await credentials.locator('#secret-whatsapp_app_secret-state').textContent()).toContain(
      'Set by the platform administrator',
    );
    expect(await credentials.getByLabel('WhatsApp access token').isDisabled()).toBe(false);

    const form = page.getByRole('form', { name: 'Bot settings' });
    expect(await form.locator('#limits-cap').textContent()).toContain(
      'At most 1000 an hour and 200 per customer a day',
    );
    const before = (await api.call('GET', `/api/v1/tenants/${shop.id}/settings`)).body;
    await form.getByLabel('Messages per hour (whole bot)').fill('5000');
    await form.getByRole('button', { name: 'Save settings' }).click();
    const error = form.getByRole('alert');
    await error.filter({ hasText: 'PLATFORM_MAX_MESSAGES_PER_HOUR' }).waitFor();
    expect(await error.textContent()).toContain('max_messages_per_hour must be at most 1000');
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/settings`)).body).toEqual(before);
  });

  it('fits a 360 px wide phone screen', async () => {
    const phone = await openPage(browser, { phone: true });
    await signIn(phone, t.baseUrl, key);
    for (const [section, name] of [
      ['Overview', 'overview'],
      ['Conversations', 'conversations'],
      ['FAQ editor', 'faq-editor'],
    ] as const) {
      await openSection(phone, section);
      await phone.locator('main h1').waitFor();
      await phone.waitForLoadState('networkidle');
      const width = await phone.evaluate('document.documentElement.scrollWidth');
      expect(width, `${section} is wider than the screen`).toBeLessThanOrEqual(360);
      await screenshot(phone, `phone-${name}-${engine}`);
    }
    await phone.context().close();
  });

  it('the administrator signs in with the admin token and switches between tenants', async () => {
    const admin = await openPage(browser);
    await signIn(admin, t.baseUrl, ADMIN_TOKEN);
    const switcher = admin.getByRole('combobox', { name: 'Tenant' });
    await switcher.waitFor();
    await expect
      .poll(() => switcher.locator('option').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining(SHOP.name), expect.stringContaining(OTHER.name)]));
    const options = await switcher.locator('option').allTextContents();

    await switcher.selectOption({ label: options.find((o) => o.includes(OTHER.name))! });
    page = admin;
    await expect.poll(() => tile('Messages in').textContent()).toBe('1');
    await openSection(admin, 'Conversations');
    await admin.getByRole('link', { name: 'Conversation with +254744000001' }).first().waitFor();
    expect(await admin.content()).not.toContain('254733000001');

    await switcher.selectOption({ label: options.find((o) => o.includes(SHOP.name))! });
    await admin.getByRole('link', { name: 'Conversation with +254733000001' }).first().waitFor();
    await openSection(admin, 'Overview');
    await screenshot(admin, `admin-overview-${engine}`);
    await admin.context().close();
  });
});
