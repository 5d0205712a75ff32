// The dashboard in real headless Chromium: the AI template editor (what is saved there is what the
// AI is asked with), the read-receipt and typing switches (the bot then sends neither), the limits'
// label (0 blocks every message, as the server counts), and a 3 MB message clipped with "Show more".
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import { launchChromium, openPage, openSection, screenshot, signIn } from './support/dashboardBrowser.js';

const AI_ANSWER = 'We have three beginner guitars in stock.';
// Nearly the whole 3 MB a webhook may carry, in one message.
const HUGE_TEXT = `${'Habari! '.repeat(370_000)}THE-END`;

describe.each(testEngines())('dashboard, templates, switches and long messages (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let browser: Browser;
  let page: Page;
  let shop: SeededTenant;
  let customer = 254755000100;

  async function say(text: string): Promise<string> {
    const message = textMessage(String(++customer), text);
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  }
  const settled = (wamid: string) =>
    eventually(async () => {
      const [row] = await t.rows<{ status: string; metadata: Record<string, unknown> }>(
        `SELECT status, metadata FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = '${wamid}'`,
      );
      return row && !['pending', 'processing'].includes(row.status) ? row : null;
    });
  /** The system prompt of the AI request made for a message containing `text`. */
  const systemPromptFor = async (text: string) => {
    const request = await eventually(() =>
      t.ai.openai.requests.find((r) => JSON.stringify(r.body.messages.at(-1)).includes(text)),
    );
    return String(request.body.messages[0].content);
  };
  const templates = async () =>
    (await api.call('GET', `/api/v1/tenants/${shop.id}/templates`)).body.data as {
      template_name: string;
      is_default: boolean;
    }[];

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
    t.ai.openai.reply = AI_ANSWER;
    shop = await seedTenant(t, { name: 'Gitaa Tamu' });
    const key = (await api.call('POST', `/api/v1/tenants/${shop.id}/api-keys`, { body: { name: 'dashboard' } })).body
      .key;
    browser = await launchChromium();
    page = await openPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, t.baseUrl, key);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('creates a template whose prompt, tone, length, instructions and context the AI is asked with', async () => {
    await openSection(page, 'AI templates');
    await page.getByText('No template yet').waitFor();
    await page.getByRole('button', { name: 'New template' }).click();
    const form = page.getByRole('form', { name: 'New template' });
    await form.getByLabel('Name').fill('Shop floor');
    await form.getByLabel(/^System prompt/).fill('You are the Gitaa Tamu shop assistant.');
    await form.getByLabel('Tone').fill('playful');
    await form.getByLabel(/^Maximum answer length/).fill('350');
    await form
      .getByLabel(/^Instructions/)
      .fill('Always offer the free first tuning.\n\nMention the Saturday workshop.');
    await form.getByLabel(/^Conversation context/).fill('{"summary": "Most customers are buying their first guitar"');
    await form.getByRole('button', { name: 'Save template' }).click();
    expect(await form.getByRole('alert').textContent()).toContain('not valid JSON');
    expect(await templates()).toEqual([]);

    await form
      .getByLabel(/^Conversation context/)
      .fill('{"summary": "Most customers are buying their first guitar", "open_order": "Yamaha C40 due Friday"}');
    await form.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved "Shop floor"' }).waitFor();
    const item = page.locator('.templates li').filter({ hasText: 'Shop floor' });
    expect(await item.textContent()).toContain('Default');
    expect(await item.textContent()).toContain('tone playful · at most 350 characters · 2 context entries');
    await screenshot(page, `templates-${engine}`);

    await say('Which guitar should I start with?');
    const system = await systemPromptFor('Which guitar should I start with?');
    expect(system.startsWith('You are the Gitaa Tamu shop assistant.')).toBe(true);
    expect(system).toContain('Be light-hearted and playful');
    expect(system).toContain('under 350 characters');
    expect(system).toContain('- Always offer the free first tuning.\n- Mention the Saturday workshop.');
    expect(system).toContain(
      '- summary: Most customers are buying their first guitar\n- open order: Yamaha C40 due Friday',
    );
  });

  it('edits a template, moves the default to another one, and deletes it again', async () => {
    await page.getByRole('button', { name: 'Edit template Shop floor' }).click();
    const edit = page.getByRole('form', { name: 'Edit template Shop floor' });
    expect(await edit.getByLabel(/^Conversation context/).inputValue()).toContain(
      '"open_order": "Yamaha C40 due Friday"',
    );
    await edit.getByLabel('Tone').fill('professional');
    await edit.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved "Shop floor"' }).waitFor();
    await say('Do you sell ukuleles?');
    expect(await systemPromptFor('Do you sell ukuleles?')).toContain('Be polite, concise and professional.');

    await page.getByRole('button', { name: 'New template' }).click();
    const second = page.getByRole('form', { name: 'New template' });
    await second.getByLabel('Name').fill('Holiday');
    await second.getByLabel(/^System prompt/).fill('You are the Gitaa Tamu holiday assistant.');
    await second.getByLabel(/^Default/).check();
    await second.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved "Holiday"' }).waitFor();
    expect(await templates()).toEqual([
      expect.objectContaining({ template_name: 'Holiday', is_default: true }),
      expect.objectContaining({ template_name: 'Shop floor', is_default: false }),
    ]);
    await say('Are you open on Christmas?');
    expect(
      (await systemPromptFor('Are you open on Christmas?')).startsWith('You are the Gitaa Tamu holiday assistant.'),
    ).toBe(true);

    await page.getByRole('button', { name: 'Delete template Holiday' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted "Holiday"' }).waitFor();
    await page.locator('.templates li').filter({ hasText: 'Holiday' }).waitFor({ state: 'detached' });
    expect(await templates()).toEqual([expect.objectContaining({ template_name: 'Shop floor', is_default: true })]);
  });

  it('switches read receipts and typing off, and the bot then sends neither', async () => {
    const before = await say('Is the first one in stock?');
    await settled(before);
    expect(
      t.graph
        .presenceRequests()
        .filter((p) => p.messageId === before)
        .map((p) => p.kind)
        .sort(),
    ).toEqual(['read', 'typing']);

    await openSection(page, 'Settings');
    const form = page.getByRole('form', { name: 'Bot settings' });
    const receipts = form.getByLabel(/Mark customers' messages read/);
    const typing = form.getByLabel(/Show "typing…"/);
    expect(await receipts.isChecked()).toBe(true);
    expect(await typing.isChecked()).toBe(true);
    await receipts.uncheck();
    await typing.uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect((await api.call('GET', `/api/v1/tenants/${shop.id}/settings`)).body).toMatchObject({
      read_receipts: false,
      typing_indicator: false,
    });

    const after = await say('And the second one?');
    expect((await settled(after)).status).toBe('answered');
    expect(t.graph.presenceRequests().filter((p) => p.messageId === after)).toEqual([]);
    await page.reload();
    await page.getByRole('form', { name: 'Bot settings' }).waitFor();
    expect(
      await page
        .getByRole('form', { name: 'Bot settings' })
        .getByLabel(/Show "typing…"/)
        .isChecked(),
    ).toBe(false);
  });

  it('says what a limit of 0 does, and the server does just that', async () => {
    const form = page.getByRole('form', { name: 'Bot settings' });
    expect(await form.locator('legend').filter({ hasText: 'Limits' }).textContent()).toBe(
      'Limits (0 blocks every message)',
    );
    await form.getByLabel('Messages per hour (whole bot)').fill('0');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const blocked = await settled(await say('Hello, anyone?'));
    expect(blocked).toMatchObject({
      status: 'skipped',
      metadata: expect.objectContaining({ skip_reason: 'rate_limited:tenant_hour' }),
    });

    await form.getByLabel('Messages per hour (whole bot)').fill('100');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  });

  it('clips a 3 MB message at 1,000 characters, with Show more opening it in a box of bounded height', async () => {
    const wamid = await say(HUGE_TEXT);
    await settled(wamid);
    const phone = String(customer);

    await openSection(page, 'Conversations');
    const row = page.locator('table.messages tr').filter({ hasText: 'Habari! Habari!' }).first();
    await row.waitFor();
    expect((await row.boundingBox())!.height).toBeLessThan(1000);
    await row.getByRole('button', { name: /^Show more/ }).waitFor();

    await page
      .getByRole('link', { name: `Conversation with +${phone}` })
      .first()
      .click();
    const bubble = page.locator('.bubble.inbound').filter({ hasText: 'Habari!' });
    await bubble.waitFor();
    expect((await bubble.locator('.bubble-text').textContent())!.length).toBe(1001);
    expect(await bubble.textContent()).not.toContain('THE-END');
    const more = bubble.getByRole('button', { name: /^Show more \(2,95\d,\d{3} more characters\)/ });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect((await bubble.boundingBox())!.height).toBeLessThan(1000);

    await more.click();
    const open = bubble.locator('.clip-open');
    await open.waitFor();
    expect(await open.evaluate((el) => el.textContent?.endsWith('THE-END'))).toBe(true);
    const size = await open.evaluate((el) => ({ shown: el.clientHeight, whole: el.scrollHeight }));
    expect(size.shown).toBeLessThan(1000);
    expect(size.whole).toBeGreaterThan(size.shown * 100);
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThan(3000);
    await screenshot(page, `long-message-${engine}`);

    await bubble.getByRole('button', { name: 'Show less' }).click();
    expect((await bubble.locator('.bubble-text').textContent())!.length).toBe(1001);
  });
});
