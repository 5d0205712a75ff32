// The server's Content-Security-Policy in real Chromium: the dashboard (charts included) and the
// OpenAPI UI at /docs work under it without one refusal, and a refusal would be noticed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/adminClient.js';
import { seedFaq, seedTenant } from '../support/seed.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { assertNoCspViolations, launchChromium, openPage, openSection, signIn } from './support/dashboardBrowser.js';

// Only the server's headers are under test here, not the database: one engine is enough.
describe('Content-Security-Policy in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp({ engine: 'pglite', env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    const shop = await seedTenant(t, { name: 'Policy Music Shop' });
    await seedFaq(t, shop.id, 'Where are you?', 'Moi Avenue 12.');
    browser = await launchChromium();
    page = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the dashboard signs in, draws its charts and opens every section without a refusal', async () => {
    await signIn(page, t.baseUrl, ADMIN_TOKEN);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThanOrEqual(1);
    for (const section of ['Conversations', 'FAQ editor', 'Questions to teach', 'Escalations', 'Payments', 'Settings'])
      await openSection(page, section);
    assertNoCspViolations(page);
  });

  it('the OpenAPI UI at /docs renders the operations without a refusal', async () => {
    const docs = await openPage(browser);
    await docs.goto(`${t.baseUrl}/docs`);
    await docs.locator('.opblock-summary-path', { hasText: '/api/v1/tenants' }).first().waitFor();
    await docs.locator('.opblock-summary').first().click();
    await docs.locator('.opblock-body').first().waitFor();
    assertNoCspViolations(docs);
  });

  it('an inline script is refused, and the check says so', async () => {
    const probe = await openPage(browser);
    await probe.goto(`${t.baseUrl}/dashboard/`);
    await probe.addScriptTag({ content: 'window.inlineRan = true;' }).catch(() => undefined);
    await expect
      .poll(() =>
        (() => {
          try {
            assertNoCspViolations(probe);
            return 'none';
          } catch (err) {
            return (err as Error).message;
          }
        })(),
      )
      .toMatch(/broke the Content-Security-Policy/);
    expect(await probe.evaluate('window.inlineRan === true')).toBe(false);
  });
});
