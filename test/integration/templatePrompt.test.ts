// A template written through the admin API reaches the AI as the spec means it: its system
// prompt, tone and length, its conversation_context (what to know from earlier conversations) and
// its metadata's custom instructions; an edit is used from the next message on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('templates in the AI prompt (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let shop: SeededTenant;

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
    shop = await seedTenant(t, { name: 'Gitaa House' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** The system message of the AI request this customer's message caused. */
  async function systemPromptFor(from: string, text: string): Promise<string> {
    const message = textMessage(from, text);
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }))).status).toBe(200);
    const request = await eventually(() =>
      t.ai.openai.requests.find((r) =>
        (r.body.messages as { role: string; content: unknown }[]).some(
          (m) => m.role === 'user' && JSON.stringify(m.content).includes(text),
        ),
      ),
    );
    return String(request.body.messages[0].content);
  }

  it('sends the default template with its context and instructions', async () => {
    const created = await api.call('POST', `/api/v1/tenants/${shop.id}/templates`, {
      body: {
        template_name: 'Support',
        system_prompt: 'You are the Gitaa House assistant.',
        tone: 'professional',
        max_response_length: 400,
        conversation_context: {
          summary: 'Most customers are beginners buying their first guitar',
          open_order: 'Yamaha C40 arriving Friday',
        },
        metadata: { instructions: ['Always offer the free first tuning.'], internal_note: 'not for the model' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      is_default: true,
      conversation_context: { open_order: 'Yamaha C40 arriving Friday' },
    });

    const system = await systemPromptFor('254733100001', 'Which guitar should I buy?');
    expect(system.startsWith('You are the Gitaa House assistant.')).toBe(true);
    expect(system).toContain('Be polite, concise and professional.');
    expect(system).toContain('under 400 characters');
    expect(system).toContain('- summary: Most customers are beginners buying their first guitar');
    expect(system).toContain('- open order: Yamaha C40 arriving Friday');
    expect(system).toContain('- Always offer the free first tuning.');
    expect(system).not.toContain('not for the model');

    // The edit is used from the very next message on.
    const id = created.body.id as string;
    expect(
      (
        await api.call('PATCH', `/api/v1/tenants/${shop.id}/templates/${id}`, {
          body: { conversation_context: { summary: 'Schools order in bulk in January' } },
        })
      ).status,
    ).toBe(200);
    const after = await systemPromptFor('254733100002', 'Do you sell strings?');
    expect(after).toContain('- summary: Schools order in bulk in January');
    expect(after).not.toContain('Yamaha C40 arriving Friday');
  });
});
