// Starts the real app on a loopback port with a fresh database, a fake Graph API and three fake
// AI providers, exactly as production wires it: only the URLs differ.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { queryRows } from '../../src/adapters/db/database.js';
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';
import { FakeAiProvider } from '../fakes/fakeAiProvider.js';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { createTestDatabase, type Engine, type TestDatabase } from './testDatabase.js';

export const TEST_APP_SECRET = 'test-app-secret';
export const TEST_VERIFY_TOKEN = 'test-verify-token';

export interface TestApp {
  app: App;
  baseUrl: string;
  database: TestDatabase;
  graph: FakeGraphApi;
  ai: { openai: FakeAiProvider; openrouter: FakeAiProvider; huggingface: FakeAiProvider };
  /** Environment the app was started with (to start a second process on the same database). */
  env: Record<string, string>;
  postWebhook(body: unknown, options?: { secret?: string | null; headers?: Record<string, string> }): Promise<Response>;
  rows<T = Record<string, unknown>>(query: string): Promise<T[]>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  engine: Engine;
  env?: Record<string, string>;
  /** Reuse a database (a restart); by default a fresh one is made and dropped on stop. */
  database?: TestDatabase;
  /** The app's logger (to read its lines); by default the one the configuration makes. */
  logger?: Logger;
  /** MEDIA_ALLOWED_HOSTS entries besides the fake Graph API's own origin. */
  mediaAllowedHosts?: string[];
}

export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.engine));
  const graph = new FakeGraphApi();
  const ai = {
    openai: new FakeAiProvider('openai'),
    openrouter: new FakeAiProvider('openrouter'),
    huggingface: new FakeAiProvider('huggingface'),
  };
  const graphUrl = await graph.start();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WEBHOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    GRAPH_API_BASE_URL: graphUrl,
    // The fake serves media over plain http on loopback: allowed only by naming the scheme.
    MEDIA_ALLOWED_HOSTS: [graphUrl, ...(options.mediaAllowedHosts ?? [])].join(','),
    OPENAI_BASE_URL: await ai.openai.start(),
    OPENROUTER_BASE_URL: await ai.openrouter.start(),
    HUGGINGFACE_BASE_URL: await ai.huggingface.start(),
    OPENAI_API_KEY: 'sk-server-openai',
    OPENROUTER_API_KEY: 'sk-server-openrouter',
    HUGGINGFACE_API_KEY: 'hf_server',
    AI_TIMEOUT_MS: '2000',
    // A fixed test key: without one, a development key file would be written to ./data.
    ENCRYPTION_KEYS: `test:${'ab'.repeat(32)}`,
    GRAPH_API_TIMEOUT_MS: '2000',
    // Each app would otherwise load (or build) the word vectors in its own data folder; a test that wants them sets the file.
    WORD_VECTORS: 'off',
    // Provider embeddings change what the FAQ answers and add requests to the fake providers: on where a test asks.
    EMBEDDINGS: 'off',
    ...database.env,
    ...options.env,
  };
  const app = await buildApp(loadConfig(env), options.logger);
  const baseUrl = (await app.start()).replace('[::1]', '127.0.0.1');

  return {
    app,
    baseUrl,
    database,
    graph,
    ai,
    env,
    async postWebhook(body, postOptions = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const secret = postOptions.secret === undefined ? TEST_APP_SECRET : postOptions.secret;
      return fetch(`${baseUrl}/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-hub-signature-256': signatureFor(raw, secret) } : {}),
          ...postOptions.headers,
        },
        body: raw,
      });
    },
    rows: <T>(query: string) => queryRows<T>(app.database.db, sql.raw(query)),
    async stop() {
      await app.stop(2_000);
      await Promise.all([graph.stop(), ai.openai.stop(), ai.openrouter.stop(), ai.huggingface.stop()]);
      if (!options.database) await database.drop();
    },
  };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
