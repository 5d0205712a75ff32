// The inbox in real headless Chromium: an owner invites an agent from the Team page, the agent
// sets a password through the one-time link and signs in with email and password, a customer's
// message arrives over the webhook and shows in the inbox without a reload, the agent answers
// (the fake Graph API gets the text from the tenant's number), the bot stays quiet on the next
// message, and "Resolve" hands the conversation back: the bot answers the one after.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/adminClient.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { invite, request } from '../support/teamSession.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import {
  assertNoCspViolations,
  launchChromium,
  openPage,
  openSection,
  screenshot,
} from './support/dashboardBrowser.js';

const OWNER = { email: 'owner@duka.example.com', password: 'owner password of duka' };
const AGENT = { email: 'amina@duka.example.com', name: 'Amina', password: 'amina has a long password' };
const CUSTOMER = '254733111222';
/** The promise: a customer's message is in the open inbox within 2 seconds. */
const LIVE_WITHIN_MS = 2_000;

describe.each(testEngines())('dashboard inbox (%s)', (engine) => {
  let t: TestApp;
  let browser: Browser;
  let owner: Page;
  let agent: Page;
  let shop: SeededTenant;

  const say = async (text: string) => {
    const message = textMessage(CUSTOMER, text);
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  };
  const settled = (wamid: string) =>
    eventually(async () => {
      const [row] = await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = '${wamid}'`,
      );
      return row && !['pending', 'processing'].includes(row.status) ? row : null;
    });
  const botAnswered = (wamid: string) => t.graph.sentTexts().some((s) => s.replyTo === wamid);
  const signInWithPassword = async (page: Page, email: string, password: string) => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assertNoCspViolations(page);
  };

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    t.ai.openai.reply = 'The bot says: we open at nine.';
    shop = await seedTenant(t, { name: 'Duka la Amina' });
    // The administrator makes the business's first owner; the owner does the rest in the browser.
    const { setupToken } = await invite(t.baseUrl, shop.id, { email: OWNER.email, name: 'Omari', role: 'owner' });
    expect(
      (await request(t.baseUrl, 'POST', '/api/v1/auth/setup', {}, { token: setupToken, password: OWNER.password }))
        .status,
    ).toBe(200);
    browser = await launchChromium();
    owner = await openPage(browser);
    agent = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an owner invites an agent, who sets a password through the link and signs in', async () => {
    await owner.goto(`${t.baseUrl}/dashboard/`);
    await signInWithPassword(owner, OWNER.email, OWNER.password);
    await openSection(owner, 'Team');
    await owner.getByLabel('Name').fill(AGENT.name);
    await owner.getByLabel('Email').fill(AGENT.email);
    await owner.getByLabel('Role').selectOption('agent');
    await owner.getByRole('button', { name: 'Invite' }).click();
    const link = await owner.getByLabel('Setup link').inputValue();
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/dashboard/setup#token=`));
    await owner.getByRole('cell', { name: AGENT.email }).waitFor();
    await screenshot(owner, `team-${engine}`);

    await agent.goto(link);
    await agent.getByLabel('New password').fill(AGENT.password);
    await agent.getByLabel('Repeat the password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Set password' }).click();
    await agent.getByText('Your password is set').waitFor();
    expect(await agent.getByLabel('Email').inputValue()).toBe(AGENT.email);
    await signInWithPassword(agent, AGENT.email, AGENT.password);
    // The cookie is the browser's alone: no script on the page can read it.
    expect(await agent.evaluate('document.cookie')).toBe('');
    const [cookie] = await agent.context().cookies(`${t.baseUrl}/api/v1/me`);
    expect(cookie).toMatchObject({ name: 'alphadome_session', httpOnly: true, sameSite: 'Strict' });
    // An agent is not offered the team or the settings.
    const menu = agent.getByRole('navigation', { name: 'Sections' });
    expect(await menu.getByRole('link', { name: 'Team' }).count()).toBe(0);
    await openSection(agent, 'Inbox');
    await agent.getByText('Live', { exact: true }).waitFor();
  });

  it("shows the customer live, sends the agent's answer, keeps the bot quiet, and Resolve hands back", async () => {
    const first = await say('Habari! Do you have size 42 shoes?');
    await agent
      .locator('.inbox-item')
      .filter({ hasText: `+${CUSTOMER}` })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    await eventually(() => botAnswered(first));
    await agent
      .locator('.inbox-item')
      .filter({ hasText: `+${CUSTOMER}` })
      .getByRole('link')
      .click();
    await agent.locator('.bubble.inbound').filter({ hasText: 'Habari! Do you have size 42 shoes?' }).waitFor();
    await agent.getByLabel('Reply').fill('Yes, we have them in black. I am keeping a pair for you.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = await eventually(() =>
      t.graph.sentTexts().find((s) => s.body === 'Yes, we have them in black. I am keeping a pair for you.'),
    );
    expect(sent).toMatchObject({
      phoneNumberId: shop.phoneNumberId,
      to: CUSTOMER,
      authorization: `Bearer ${shop.accessToken}`,
    });
    await agent.locator('.bubble.outbound').filter({ hasText: 'I am keeping a pair for you' }).waitFor();
    await agent.getByRole('button', { name: 'Resolve' }).waitFor();

    const quiet = await say('Asante! I will come at five.');
    await agent
      .locator('.bubble.inbound')
      .filter({ hasText: 'Asante! I will come at five.' })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    expect((await settled(quiet)).status).toBe('skipped');
    expect(botAnswered(quiet)).toBe(false);
    await agent
      .locator('.inbox-item.waiting')
      .filter({ hasText: `+${CUSTOMER}` })
      .waitFor();
    await screenshot(agent, `inbox-${engine}`);

    await agent.getByRole('button', { name: 'Resolve' }).click();
    await agent.getByRole('button', { name: 'Resolve' }).waitFor({ state: 'detached' });
    const after = await say('One more thing: when do you open?');
    await eventually(() => botAnswered(after));
    await agent.locator('.bubble.outbound').filter({ hasText: 'The bot says: we open at nine.' }).last().waitFor();
    assertNoCspViolations(agent);
  });
});
