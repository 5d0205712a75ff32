// Provider embeddings (`BENCH_ONLY=embeddings`): how many embedding requests each customer message costs
// through the real app and webhook (a fake OpenAI-compatible provider on loopback answers them), and the
// message-time blend's own latency (stored vectors compared, lexical scores blended) at 100, 1,000 and
// 10,000 FAQ rows of 1,536 dimensions, with an instant in-process provider so the network is left out.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { faqEntriesOf } from '../src/domain/faqEntries.js';
import { FaqMatcher } from '../src/domain/faqMatcher.js';
import type { EmbeddingStores, StoredFaqVectors } from '../src/modules/embeddings/ports.js';
import { SemanticFaqMatcher } from '../src/modules/embeddings/semanticFaqMatcher.js';
import { yardstickBusinesses } from '../test/faq/yardstick/index.js';
import { lit, seedTenant, textMessage, webhookPayload } from '../test/support/seed.js';
import { eventually, startTestApp } from '../test/support/testApp.js';

export interface EmbeddingBenchReport {
  business: string;
  faqRows: number;
  messages: number;
  /** Embedding requests made while the messages were answered, per message. */
  requestsPerMessage: number;
  /** Messages that made no request (the lexical matcher was sure) and those that made exactly one. */
  withoutRequest: number;
  withOneRequest: number;
  /** Requests the background refresh made for the FAQ rows (one per batch). */
  refreshRequests: number;
  /** The blend's latency, and the lexical match alone on the same rows and messages in the same run. */
  blend: { rows: number; p50Ms: number; p99Ms: number; maxMs: number; lexicalP50Ms: number; lexicalP99Ms: number }[];
}

const DIMENSIONS = 1_536;

export async function measureEmbeddings(log: (line: string) => void): Promise<EmbeddingBenchReport> {
  const business = yardstickBusinesses[0];
  if (!business) throw new Error('no yardstick business');
  // A fresh PGlite folder the app migrates itself (the test support's template is vitest's).
  const dataDir = await mkdtemp(path.join(tmpdir(), 'alphadome-bench-embeddings-'));
  const database = {
    engine: 'pglite' as const,
    env: { DATA_DIR: dataDir },
    url: null,
    dataDir,
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
  const t = await startTestApp({
    engine: 'pglite',
    database,
    env: { EMBEDDINGS: 'on', EMBEDDING_REFRESH_S: '3600' },
  });
  try {
    t.ai.openai.embedder = hashedEmbedding;
    const tenant = await seedTenant(t, { name: business.name, aiApiKey: 'sk-bench' });
    // Every message is answered: the rate limits would skip most of them.
    await t.rows(
      `INSERT INTO alphadome.bot_control_settings (bot_tenant_id, max_messages_per_hour, max_messages_per_user_per_day)
       VALUES (${lit(tenant.id)}, 1000000, 1000000)
       ON CONFLICT (bot_tenant_id) DO UPDATE SET max_messages_per_hour = 1000000, max_messages_per_user_per_day = 1000000`,
    );
    for (const faq of business.faqs) {
      const variants = (faq.variants ?? []).map(lit).join(',');
      await t.rows(
        `INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, priority, variants)
         VALUES (${lit(tenant.id)}, 'faq', ${lit(faq.question)}, ${lit(faq.answer)}, ${faq.priority ?? 5},
           ${variants ? `ARRAY[${variants}]` : `'{}'::text[]`})`,
      );
    }
    await eventually(async () => {
      const [row] = await t.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM alphadome.bot_faq_embeddings WHERE bot_tenant_id = ${lit(tenant.id)} AND vectors IS NOT NULL`,
      );
      return row?.n === business.faqs.length;
    }, 30_000);
    const refreshRequests = t.ai.openai.embeddingRequests.length;
    log(`embeddings: ${business.faqs.length} FAQ rows embedded in ${refreshRequests} request(s); sending messages`);
    let withoutRequest = 0;
    let withOneRequest = 0;
    for (const [index, message] of business.messages.entries()) {
      const before = t.ai.openai.embeddingRequests.length;
      const sent = textMessage(`2547004${String(index).padStart(5, '0')}`, message.text);
      await t.postWebhook(webhookPayload({ tenant, messages: [sent] }));
      await eventually(() => t.graph.sentTexts().some((s) => s.replyTo === sent['id']), 20_000);
      const made = t.ai.openai.embeddingRequests.length - before;
      if (made === 0) withoutRequest += 1;
      else if (made === 1) withOneRequest += 1;
    }
    const requests = t.ai.openai.embeddingRequests.length - refreshRequests;
    return {
      business: business.name,
      faqRows: business.faqs.length,
      messages: business.messages.length,
      requestsPerMessage: requests / business.messages.length,
      withoutRequest,
      withOneRequest,
      refreshRequests,
      blend: [await timeBlend(100), await timeBlend(1_000), await timeBlend(10_000)],
    };
  } finally {
    await t.stop();
    await database.drop();
  }
}

/** The message-time matcher alone: its lexical top, the cosines against every stored row, the blend. */
async function timeBlend(rows: number): Promise<EmbeddingBenchReport['blend'][number]> {
  const questions = yardstickBusinesses.flatMap((business) => business.faqs);
  const training = Array.from({ length: rows }, (_, i) => {
    const faq = questions[i % questions.length];
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      dataType: 'faq',
      question: `${faq?.question ?? ''} ${i}`,
      answer: faq?.answer ?? '',
      priority: 5,
      confidenceScore: 0.95,
      variants: faq?.variants ?? [],
    };
  });
  const stored: StoredFaqVectors[] = training.map((row) => ({
    trainingDataId: row.id,
    dimensions: DIMENSIONS,
    vectors: Float32Array.from(faqEntriesOf([row]).flatMap((entry) => hashedEmbedding(entry.question, DIMENSIONS))),
  }));
  const stores: EmbeddingStores = {
    forTenant: () => ({
      claimStale: async () => [],
      save: async () => {},
      backOff: async () => {},
      current: async () => stored,
      recordUsage: async () => {},
    }),
  };
  const matcher = new SemanticFaqMatcher({
    provider: {
      embed: async (_target, inputs) => ({
        vectors: inputs.map((text) => hashedEmbedding(text, DIMENSIONS)),
        promptTokens: 1,
      }),
    },
    stores,
    model: { provider: 'openai', model: 'text-embedding-3-small' },
    server: { keys: {}, allowedModels: new Set() },
    timeoutMs: 1_000,
    minSimilarity: 0.75,
    logger: { warn: () => {}, info: () => {} },
  });
  const context = {
    configuration: {
      tenant: { aiProvider: 'openai', aiApiKey: 'sk-bench', serverAiAllowed: false, metadata: {} },
      training,
    },
    faq: new FaqMatcher(faqEntriesOf(training)),
  };
  const tenantId = '00000000-0000-4000-8000-000000000000';
  const messages = yardstickBusinesses.flatMap((business) => business.messages.map((message) => message.text));
  await matcher.match(tenantId, context, 'warm up');
  const times: number[] = [];
  const lexical: number[] = [];
  for (const text of messages.slice(0, 200)) {
    const started = performance.now();
    await matcher.match(tenantId, context, text);
    times.push(performance.now() - started);
    const lexicalStart = performance.now();
    context.faq.match(text, 0.65);
    lexical.push(performance.now() - lexicalStart);
  }
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
  return {
    rows,
    p50Ms: at(times, 0.5),
    p99Ms: at(times, 0.99),
    maxMs: at(times, 1),
    lexicalP50Ms: at(lexical, 0.5),
    lexicalP99Ms: at(lexical, 0.99),
  };
}

/** A deterministic vector per text: each word spread over a few dimensions by its hash. */
function hashedEmbedding(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = createHash('md5').update(word).digest();
    for (let i = 0; i < 4; i++) {
      const at = hash.readUInt32LE(i * 4) % dimensions;
      vector[at] = (vector[at] ?? 0) + 1;
    }
  }
  return vector;
}

export function printEmbeddingReport(report: EmbeddingBenchReport): void {
  const lines = [
    '',
    `Provider embeddings (${report.business}: ${report.faqRows} FAQ rows, ${report.messages} messages through the webhook, fake provider on loopback)`,
    `  background refresh: ${report.refreshRequests} request(s) for every FAQ row and variant`,
    `  embedding requests per message: ${report.requestsPerMessage.toFixed(3)} (${report.withOneRequest} messages made one, ${report.withoutRequest} none: the lexical matcher was sure)`,
    '  message-time blend (lexical top + cosines over every stored row, provider instant), 1,536 dimensions:',
    ...report.blend.map(
      (b) =>
        `    ${String(b.rows).padStart(6)} rows: p50 ${b.p50Ms.toFixed(2)} ms, p99 ${b.p99Ms.toFixed(2)} ms, max ${b.maxMs.toFixed(2)} ms (lexical match alone: p50 ${b.lexicalP50Ms.toFixed(2)} ms, p99 ${b.lexicalP99Ms.toFixed(2)} ms; blend ${(b.p50Ms / Math.max(b.lexicalP50Ms, 0.001)).toFixed(1)}x at p50)`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
