// One tenant's log over 10-13 January 2025 (the 12th empty), with every figure worked out by hand
// below it. Latencies: first part's sent time minus the inbound message's arrival.
import type { SeedInbound } from './analyticsLog.js';

const HF = 'huggingface:meta-llama/Llama-3.1-8B-Instruct';
const ROUTER = 'openrouter:mistralai/mistral-large';
const RE_ENGAGEMENT = '131047: Re-engagement message: More than 24 hours have passed';
const NOT_ALLOWED = 'Graph API 400 error: 131030: Recipient phone number not in allowed list: add it in the app';
export const TRAINING_PROMPT_SUFFIX = '\n\nDid this help? Reply 👍 or 👎';

export const SEEDED_LOG: SeedInbound[] = [
  // 9 and 14 January: outside the range.
  {
    at: '2025-01-09T23:59:00Z',
    customer: '254700000001',
    text: 'Do you sell violins?',
    status: 'answered',
    source: 'ai',
    model: 'openai:gpt-test',
    usage: [999, 999],
    aiResponse: 'Old answer',
    parts: [{ sentAfterMs: 1000, status: 'read' }],
  },
  {
    at: '2025-01-14T00:00:00Z',
    customer: '254700000001',
    text: 'Do you sell violins?',
    status: 'answered',
    source: 'faq',
    parts: [{ sentAfterMs: 1000, status: 'read' }],
  },
  // 10 January
  {
    at: '2025-01-10T09:00:00Z',
    customer: '254700000001',
    text: 'What are your hours?',
    status: 'answered',
    source: 'faq',
    parts: [{ sentAfterMs: 2000, status: 'delivered' }],
  },
  {
    at: '2025-01-10T09:30:00Z',
    customer: '254700000002',
    text: 'Do you sell violins?',
    status: 'answered',
    source: 'ai',
    model: 'openai:gpt-test',
    usage: [100, 50],
    aiResponse: 'Yes, we sell violins.',
    parts: [
      { sentAfterMs: 4000, status: 'read' },
      { writtenAfterMs: 4500, sentAfterMs: 5000, status: 'sent' },
    ],
  },
  {
    at: '2025-01-10T10:15:00Z',
    customer: '254700000001',
    text: 'do u sell violins',
    status: 'answered',
    source: 'ai',
    model: ROUTER,
    usage: [200, 100],
    failures: [['openai', 'gpt-test']],
    aiResponse: `Yes, from KES 8,000.${TRAINING_PROMPT_SUFFIX}`,
    parts: [{ sentAfterMs: 6000, status: 'failed', error: RE_ENGAGEMENT }],
  },
  {
    // The apology goes out after midnight: its part counts on the 11th, its latency with the message on the 10th.
    at: '2025-01-10T23:59:59Z',
    customer: '254700000003',
    text: 'Is the red Fender still available?',
    status: 'answered',
    source: 'fallback',
    failures: [
      ['openai', 'gpt-test'],
      ['openrouter', 'mistralai/mistral-large'],
      ['huggingface', 'meta-llama/x'],
    ],
    aiResponse: 'Sorry, we will get back to you.',
    parts: [{ writtenAfterMs: 1000, sentAfterMs: 2000, status: 'delivered' }],
  },
  // 11 January
  {
    at: '2025-01-11T08:00:00Z',
    customer: '254700000004',
    text: 'hello',
    status: 'skipped',
    skipReason: 'rate_limited:user_day',
    parts: [{ status: 'failed', error: NOT_ALLOWED }],
  },
  {
    at: '2025-01-11T08:05:00Z',
    customer: '254700000004',
    text: 'anyone there?',
    status: 'skipped',
    skipReason: 'handed_over',
  },
  {
    at: '2025-01-11T08:10:00Z',
    customer: '254700000005',
    text: 'Do you sell violins?',
    status: 'failed',
    error: 'tenant has no WhatsApp phone number id or access token',
  },
  {
    at: '2025-01-11T08:20:00Z',
    customer: '254700000002',
    text: 'What are your hours?',
    status: 'answered',
    source: 'faq',
    parts: [{ sentAfterMs: 1000, status: 'delivered' }],
  },
  { at: '2025-01-11T08:30:00Z', customer: '254700000008', text: 'Still waiting', status: 'pending' },
  {
    at: '2025-01-11T09:00:00Z',
    customer: '254700000005',
    text: 'hi',
    status: 'skipped',
    skipReason: 'rate_limited:tenant_hour',
  },
  // 13 January
  {
    at: '2025-01-13T12:00:00Z',
    customer: '254700000006',
    text: 'Do you deliver to Mombasa?',
    status: 'answered',
    source: 'ai',
    model: HF,
    usage: [10, 5],
    aiResponse: 'Yes, in 2 days.',
    parts: [{ sentAfterMs: 3000, status: 'read' }],
  },
  {
    at: '2025-01-13T12:30:00Z',
    customer: '254700000006',
    text: 'Do you deliver to Mombasa?',
    status: 'answered',
    source: 'fallback',
    error: 'AI responses are disabled and no FAQ matched',
    parts: [{ sentAfterMs: 2000, status: 'read' }],
  },
  {
    at: '2025-01-13T13:00:00Z',
    customer: '254700000007',
    text: 'delivery to mombasa?',
    status: 'answered',
    source: 'fallback',
    failures: [['openai', 'gpt-test']],
    parts: [{ sentAfterMs: 5000, status: 'delivered' }],
  },
];

export const SEEDED_ESCALATIONS: [customer: string, at: string, reason: string][] = [
  ['254700000001', '2025-01-09T12:00:00Z', 'the customer asked for a person'],
  ['254700000001', '2025-01-10T10:16:00Z', 'the customer asked for a person'],
  ['254700000004', '2025-01-11T08:01:00Z', 'every AI provider failed'],
  ['254700000006', '2025-01-13T12:31:00Z', 'the customer asked for a person'],
];

const zero = {
  messages_in: 0,
  messages_out: 0,
  unique_customers: 0,
  answered_faq: 0,
  answered_ai: 0,
  not_answered: 0,
  ai_calls: 0,
  escalations: 0,
  rate_limited: 0,
  delivery_failures: 0,
};

export const EXPECTED_DAILY = [
  // in: 4; out: 4 (violins has two parts, the apology's part is written on the 11th); latencies 2000, 4000, 6000, 2000.
  {
    date: '2025-01-10',
    ...zero,
    messages_in: 4,
    messages_out: 4,
    unique_customers: 3,
    answered_faq: 1,
    answered_ai: 2,
    not_answered: 1,
    ai_calls: 3,
    escalations: 1,
    delivery_failures: 1,
    reply_latency_ms: { median: 3000, p95: 5700 },
  },
  // in: 6 (one still pending: in no answer column); out: the apology, the limit notice, the FAQ answer.
  {
    date: '2025-01-11',
    ...zero,
    messages_in: 6,
    messages_out: 3,
    unique_customers: 4,
    answered_faq: 1,
    not_answered: 4,
    escalations: 1,
    rate_limited: 2,
    delivery_failures: 1,
    reply_latency_ms: { median: 1000, p95: 1000 },
  },
  { date: '2025-01-12', ...zero, reply_latency_ms: { median: null, p95: null } },
  // latencies 3000, 2000, 5000.
  {
    date: '2025-01-13',
    ...zero,
    messages_in: 3,
    messages_out: 3,
    unique_customers: 2,
    answered_ai: 1,
    not_answered: 2,
    ai_calls: 2,
    escalations: 1,
    reply_latency_ms: { median: 3000, p95: 4800 },
  },
];

export const EXPECTED_TOTALS = {
  messages_in: 13,
  messages_out: 10,
  unique_customers: 8,
  answered_faq: 2,
  answered_ai: 3,
  not_answered: 7,
  ai_calls: 5,
  escalations: 3,
  rate_limited: 2,
  delivery_failures: 2,
  // 1000, 2000, 2000, 2000, 3000, 4000, 5000, 6000
  reply_latency_ms: { median: 2500, p95: 5650 },
  faq_hit_rate: 0.1667,
  ai_calls_saved: 2,
  prompt_tokens: 310,
  completion_tokens: 155,
  // gpt-test at 2/4 USD per million (AI_PRICES): 100*2 + 50*4 = 400e-6; mistral-large at the built-in 2/6: 200*2 + 100*6 = 1000e-6; the HF model has no price.
  estimated_cost_usd: 0.0014,
  fallbacks: 1,
  provider_failures: 5,
};

export const EXPECTED_BREAKDOWNS = {
  ai_usage: [
    {
      provider: 'huggingface',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      calls: 1,
      prompt_tokens: 10,
      completion_tokens: 5,
      estimated_cost_usd: 0,
    },
    {
      provider: 'openai',
      model: 'gpt-test',
      calls: 1,
      prompt_tokens: 100,
      completion_tokens: 50,
      estimated_cost_usd: 0.0004,
    },
    {
      provider: 'openrouter',
      model: 'mistralai/mistral-large',
      calls: 1,
      prompt_tokens: 200,
      completion_tokens: 100,
      estimated_cost_usd: 0.001,
    },
  ],
  unpriced_models: [HF],
  provider_failures: [
    { provider: 'openai', model: 'gpt-test', failures: 3 },
    { provider: 'huggingface', model: 'meta-llama/x', failures: 1 },
    { provider: 'openrouter', model: 'mistralai/mistral-large', failures: 1 },
  ],
  escalations: [
    { reason: 'the customer asked for a person', count: 2 },
    { reason: 'every AI provider failed', count: 1 },
  ],
  delivery_failures: [
    { code: 131030, title: 'Recipient phone number not in allowed list', count: 1 },
    { code: 131047, title: 'Re-engagement message', count: 1 },
  ],
  busiest_hours: Array.from({ length: 24 }, (_, hour) => ({
    hour,
    messages_in: ({ 8: 5, 9: 3, 10: 1, 12: 2, 13: 1, 23: 1 } as Record<number, number>)[hour] ?? 0,
  })),
  // The seeded log has no M-Pesa payments: every day of the range with zeros.
  payments: {
    collected_kes: 0,
    paid: 0,
    failed: 0,
    pending: 0,
    success_rate: null,
    failures_by_reason: [],
    daily: ['2025-01-10', '2025-01-11', '2025-01-12', '2025-01-13'].map((date) => ({
      date,
      collected_kes: 0,
      paid: 0,
      failed: 0,
    })),
  },
};

export const EXPECTED_QUESTIONS = [
  {
    question: 'Do you deliver to Mombasa?',
    count: 3,
    examples: ['delivery to mombasa?'],
    last_asked_at: '2025-01-13T13:00:00.000Z',
    outcome: 'not_answered',
    suggested_answer: 'Yes, in 2 days.',
  },
  // Two of three answered by the AI; the latest AI answer without the training question the bot appended.
  {
    question: 'Do you sell violins?',
    count: 3,
    examples: ['do u sell violins'],
    last_asked_at: '2025-01-11T08:10:00.000Z',
    outcome: 'ai',
    suggested_answer: 'Yes, from KES 8,000.',
  },
  {
    question: 'Is the red Fender still available?',
    count: 1,
    examples: [],
    last_asked_at: '2025-01-10T23:59:59.000Z',
    outcome: 'not_answered',
    suggested_answer: null,
  },
];
