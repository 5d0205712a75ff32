import { describe, expect, it } from 'vitest';
import { buildPrompt } from './promptBuilder.js';
import type { PromptInput } from './promptBuilder.js';

function input(overrides: Partial<PromptInput> = {}): PromptInput {
  return {
    businessName: 'Kassangas Music Shop',
    template: {
      systemPrompt: 'You are a friendly customer service bot for Kassangas.',
      tone: 'friendly',
      maxResponseLength: 300,
    },
    rules: [],
    examples: [],
    knowledge: [],
    history: [],
    message: 'Can you recommend a guitar for a beginner?',
    ...overrides,
  };
}

function systemOf(prompt: ReturnType<typeof buildPrompt>): string {
  const first = prompt.messages[0];
  expect(first?.role).toBe('system');
  return first?.content ?? '';
}

describe('buildPrompt', () => {
  it('puts the template, the business and the house rules in the system prompt', () => {
    const system = systemOf(buildPrompt(input()));
    expect(system.startsWith('You are a friendly customer service bot for Kassangas.')).toBe(true);
    expect(system).toContain('customers of Kassangas Music Shop on WhatsApp');
    expect(system).toContain('Answer only from the information given here and general knowledge');
    expect(system).toContain('Never invent prices');
    expect(system).toContain("customer's language");
    expect(system).toContain('plain, short text suitable for WhatsApp');
    expect(system).toContain('wants to talk to a person, say so plainly');
    expect(system).toContain('under 300 characters');
    expect(system).toContain('Be warm and friendly.');
  });

  it('ends with the customer message and derives maxTokens from the length limit', () => {
    const prompt = buildPrompt(input());
    expect(prompt.messages.at(-1)).toEqual({ role: 'user', content: 'Can you recommend a guitar for a beginner?' });
    expect(prompt.maxTokens).toBe(Math.ceil(300 / 3) + 16);
  });

  it('uses a generic business assistant prompt without a template, and no token limit', () => {
    const prompt = buildPrompt(input({ template: null }));
    const system = systemOf(prompt);
    expect(system.startsWith('You are a helpful customer service assistant for Kassangas Music Shop.')).toBe(true);
    expect(system).not.toContain('characters.');
    expect(system).not.toContain('Tone');
    expect(prompt.maxTokens).toBeNull();
  });

  it('falls back to the generic prompt when the template prompt is blank, keeping tone and length', () => {
    const prompt = buildPrompt(
      input({ template: { systemPrompt: '  ', tone: 'professional', maxResponseLength: 90 } }),
    );
    const system = systemOf(prompt);
    expect(system).toContain('You are a helpful customer service assistant for Kassangas Music Shop.');
    expect(system).toContain('Be polite, concise and professional.');
    expect(system).toContain('under 90 characters');
    expect(prompt.maxTokens).toBe(46);
  });

  it('passes an unknown tone through as a description and ignores a nonsensical length', () => {
    const prompt = buildPrompt(
      input({ template: { systemPrompt: null, tone: 'calm and\nreassuring', maxResponseLength: 0 } }),
    );
    expect(systemOf(prompt)).toContain('Tone: calm and reassuring.');
    expect(prompt.maxTokens).toBeNull();
  });

  it('lists rules as instructions and FAQs as reference knowledge', () => {
    const system = systemOf(
      buildPrompt(
        input({
          rules: [
            { question: 'When asked about discounts', answer: 'say they are only offered in store.' },
            { question: null, answer: 'Never discuss competitors.' },
            { question: '  ', answer: null },
          ],
          knowledge: [
            { question: 'What are your business hours?', answer: 'Open Monday-Friday 9AM-6PM' },
            { question: 'Do you deliver?', answer: '' },
          ],
        }),
      ),
    );
    expect(system).toContain(
      'Instructions from Kassangas Music Shop:\n- When asked about discounts: say they are only offered in store.\n- Never discuss competitors.',
    );
    expect(system).toContain('Q: What are your business hours?\nA: Open Monday-Friday 9AM-6PM');
    expect(system).not.toContain('Do you deliver?');
  });

  it('turns examples into user/assistant pairs before the conversation', () => {
    const prompt = buildPrompt(
      input({
        examples: [
          { question: 'Do you sell drums?', answer: 'Yes! We stock Yamaha and Pearl kits.' },
          { question: 'incomplete', answer: null },
        ],
      }),
    );
    expect(prompt.messages.slice(1)).toEqual([
      { role: 'user', content: 'Do you sell drums?' },
      { role: 'assistant', content: 'Yes! We stock Yamaha and Pearl kits.' },
      { role: 'user', content: 'Can you recommend a guitar for a beginner?' },
    ]);
    expect(systemOf(prompt)).toContain(
      'The first exchange is an example of good answers, not part of this conversation.',
    );
  });

  it('maps history to roles, starts it with the customer and merges consecutive turns', () => {
    const prompt = buildPrompt(
      input({
        history: [
          { direction: 'outbound', text: 'Welcome to Kassangas!' },
          { direction: 'inbound', text: 'Hi' },
          { direction: 'outbound', text: 'Hello, how can I help?' },
          { direction: 'inbound', text: 'I am new to music' },
        ],
      }),
    );
    expect(prompt.messages.slice(1)).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello, how can I help?' },
      { role: 'user', content: 'I am new to music\nCan you recommend a guitar for a beginner?' },
    ]);
  });

  it('keeps only the last turns of a long conversation within a character budget', () => {
    const history = Array.from({ length: 200 }, (_, i) => ({
      direction: i % 2 === 0 ? ('inbound' as const) : ('outbound' as const),
      text: `turn ${i} ${'x'.repeat(900)}`,
    }));
    const prompt = buildPrompt(input({ history }));
    const conversation = prompt.messages.slice(1, -1);
    expect(conversation.length).toBeLessThanOrEqual(10);
    expect(conversation.length).toBeGreaterThan(0);
    expect(conversation.reduce((n, m) => n + m.content.length, 0)).toBeLessThanOrEqual(4000);
    expect(conversation.at(-1)).toMatchObject({ role: 'assistant', content: expect.stringContaining('turn 199') });
    expect(JSON.stringify(prompt.messages)).not.toContain('turn 100 ');
  });

  it('caps huge training data and messages', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ question: `Q${i}`, answer: 'y'.repeat(5000) }));
    const prompt = buildPrompt(
      input({
        rules: many,
        examples: many,
        knowledge: many,
        message: 'z'.repeat(20_000),
        template: { systemPrompt: 's'.repeat(50_000), tone: null, maxResponseLength: null },
      }),
    );
    const total = prompt.messages.reduce((n, m) => n + m.content.length, 0);
    expect(total).toBeLessThan(60_000);
    expect(prompt.messages.filter((m) => m.role === 'assistant')).toHaveLength(6);
  });

  it("puts the pictures on the customer's last turn only", () => {
    const image = { type: 'image' as const, mimeType: 'image/png', base64: 'iVBORw0KGgo=' };
    const prompt = buildPrompt(
      input({
        history: [
          { direction: 'inbound', text: 'Hi' },
          { direction: 'outbound', text: 'Hello!' },
        ],
        message: 'Is this guitar in stock?',
        images: [image],
      }),
    );
    const last = prompt.messages.at(-1);
    expect(last).toMatchObject({ role: 'user', content: 'Is this guitar in stock?', images: [image] });
    expect(prompt.messages.slice(0, -1).some((m) => m.images)).toBe(false);
    expect(buildPrompt(input()).messages.some((m) => m.images)).toBe(false);
  });

  it("puts the template's conversation context and its metadata instructions in the system prompt", () => {
    const template = {
      systemPrompt: 'You are the Kassangas assistant.',
      tone: null,
      maxResponseLength: null,
      conversationContext: {
        summary: 'Customers mostly ask about beginner guitars',
        returning_customers: ['Amina', 'Otieno'],
        empty: '',
        none: null,
      },
      metadata: { instructions: ['Always mention the free tuning service.', 42, ' '], colour: 'blue' },
    };
    const system = systemOf(
      buildPrompt(input({ template, rules: [{ question: null, answer: 'Never discuss competitors.' }] })),
    );
    expect(system).toContain(
      'earlier conversations with customers of Kassangas Music Shop:\n- summary: Customers mostly ask about beginner guitars\n- returning customers: ["Amina","Otieno"]',
    );
    expect(system).not.toContain('empty:');
    expect(system).not.toContain('none:');
    expect(system).toContain(
      'Instructions from Kassangas Music Shop:\n- Always mention the free tuning service.\n- Never discuss competitors.',
    );
    expect(system).not.toContain('42');
    expect(system).not.toContain('blue');
    // A single text is an instruction too; a template without either adds no section.
    expect(
      systemOf(
        buildPrompt(
          input({ template: { ...template, conversationContext: {}, metadata: { instructions: 'Say karibu.' } } }),
        ),
      ),
    ).toContain('- Say karibu.');
    const plain = systemOf(buildPrompt(input()));
    expect(plain).not.toContain('earlier conversations');
    expect(plain).not.toContain('Instructions from');
  });

  it('caps a huge conversation context', () => {
    const conversationContext = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`fact_${i}`, 'x'.repeat(10_000)]),
    );
    const system = systemOf(
      buildPrompt(
        input({ template: { systemPrompt: null, tone: null, maxResponseLength: null, conversationContext } }),
      ),
    );
    const section = system.slice(system.indexOf('earlier conversations'));
    expect(section.length).toBeLessThan(2200);
    expect(section).toContain('- fact 0: xxx');
  });

  it("keeps no state between calls, so one tenant never sees another one's data", () => {
    buildPrompt(
      input({
        businessName: 'Tenant A',
        knowledge: [{ question: 'q', answer: 'secret A answer' }],
        rules: [{ question: null, answer: 'A rule' }],
      }),
    );
    const forB = JSON.stringify(buildPrompt(input({ businessName: 'Tenant B', template: null })));
    expect(forB).not.toContain('secret A answer');
    expect(forB).not.toContain('A rule');
    expect(forB).not.toContain('Tenant A');
  });
});
