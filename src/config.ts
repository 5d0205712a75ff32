// The one reader of process.env: every setting is parsed and checked here, once, at start.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { aiPriceTableSchema, DEFAULT_AI_PRICES } from './domain/aiCost.js';
import { DEFAULT_MIN_SIMILARITY } from './domain/faqBlend.js';
import { DEFAULT_MEDIA_ALLOWED_HOSTS, MediaHostAllowList } from './domain/mediaHostAllowList.js';
import { parseModelChoice } from './domain/visionModels.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const intWithDefault = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a non-negative integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

// JSON of USD per million tokens by provider:model, added to (or overriding) the built-in prices.
const aiPricesSetting = optionalString
  .transform((v, ctx) => {
    if (v === undefined) return {};
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON, e.g. {"openai:gpt-4o-mini":{"input":0.15,"output":0.6}}',
      });
      return z.NEVER;
    }
  })
  .pipe(aiPriceTableSchema);

// Whose X-Forwarded-For to believe: nobody (false, the default), every hop (true), or the proxies
// listed (addresses, CIDR ranges, or proxy-addr's names loopback / linklocal / uniquelocal).
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxySetting = z
  .string()
  .optional()
  .transform((v, ctx): boolean | string[] => {
    if (v === undefined || v.toLowerCase() === 'false') return false;
    if (v.toLowerCase() === 'true') return true;
    const entries = v
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !PROXY_NAMES.has(entry) && !isAddressOrRange(entry));
    if (entries.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false or comma-separated proxy addresses or CIDR ranges; not understood: ${bad.join(', ') || v}`,
      });
      return z.NEVER;
    }
    return entries;
  });

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intWithDefault(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  // Offline word vectors for the FAQ matcher: the compact table's path (default DATA_DIR/word-vectors.bin), or off.
  WORD_VECTORS: z.enum(['on', 'off']).default('on'),
  WORD_VECTORS_FILE: optionalString,
  WEBHOOK_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  ALLOW_UNSIGNED_WEBHOOKS: z.enum(['true', 'false']).default('false'),
  WEBHOOK_MAX_ITEMS: intWithDefault(1_000),
  WEBHOOK_SIGNATURE_FAILURE_BURST: intWithDefault(20),
  HTTP_REQUEST_TIMEOUT_MS: intWithDefault(30_000),
  HTTP_HEADERS_TIMEOUT_MS: intWithDefault(10_000),
  ENCRYPTION_KEY: optionalString,
  ENCRYPTION_KEYS: optionalString,
  ADMIN_API_TOKEN: optionalString,
  DEFAULT_BRAND_ID: optionalString,
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v23.0'),
  GRAPH_API_TIMEOUT_MS: intWithDefault(10_000),
  MEDIA_MAX_BYTES: intWithDefault(20 * 1024 * 1024),
  MEDIA_DOWNLOAD_TIMEOUT_MS: intWithDefault(30_000),
  DOCUMENT_PARSE_TIMEOUT_MS: intWithDefault(10_000),
  DOCUMENT_PARSE_MAX_MEMORY_MB: intWithDefault(256),
  DOCUMENT_MAX_PAGES: intWithDefault(30),
  DOCUMENT_MAX_TEXT_CHARS: intWithDefault(12_000),
  MEDIA_ALLOWED_HOSTS: optionalString.transform((v, ctx) => {
    try {
      return MediaHostAllowList.parse(v ?? DEFAULT_MEDIA_ALLOWED_HOSTS);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  AI_VISION_MODEL: optionalString,
  AI_TRANSCRIPTION_MODEL: z.string().default('whisper-1'),
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  OPENROUTER_BASE_URL: z.string().url().default('https://openrouter.ai/api/v1'),
  HUGGINGFACE_BASE_URL: z.string().url().default('https://router.huggingface.co/v1'),
  OPENAI_API_KEY: optionalString,
  OPENROUTER_API_KEY: optionalString,
  HUGGINGFACE_API_KEY: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENROUTER_MODEL: z.string().default('mistralai/mistral-large'),
  HUGGINGFACE_MODEL: z.string().default('meta-llama/Llama-3.1-8B-Instruct'),
  AI_TIMEOUT_MS: intWithDefault(15_000),
  AI_SERVER_ALLOWED_MODELS: z.string().default('gpt-4o-mini,gpt-4.1-mini'),
  PLATFORM_MAX_MESSAGES_PER_HOUR: intWithDefault(1000),
  PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY: intWithDefault(200),
  AI_PRICES: aiPricesSetting,
  // Provider embeddings for the FAQ matcher, when a tenant (or the server) has a key at the model's provider.
  EMBEDDINGS: z.enum(['on', 'off']).default('on'),
  EMBEDDING_MODEL: z
    .string()
    .default('text-embedding-3-small')
    .transform((v, ctx) => {
      const choice = parseModelChoice(v);
      if (choice === null) {
        ctx.addIssue({ code: 'custom', message: 'must be a model, or provider:model' });
        return z.NEVER;
      }
      return { provider: choice.provider ?? ('openai' as const), model: choice.model };
    }),
  EMBEDDING_TIMEOUT_MS: intWithDefault(1_500),
  EMBEDDING_REFRESH_S: intWithDefault(60),
  EMBEDDING_MIN_SIMILARITY: optionalString.transform((v, ctx) => {
    if (v === undefined) return DEFAULT_MIN_SIMILARITY;
    const n = Number(v);
    if (!(n > 0 && n <= 1)) {
      ctx.addIssue({ code: 'custom', message: `must be a number in (0, 1], got "${v}"` });
      return z.NEVER;
    }
    return n;
  }),
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WORKER_ENABLED: z.enum(['true', 'false']).default('true'),
  WORKER_CONCURRENCY: intWithDefault(32),
  WORKER_LEASE_MS: intWithDefault(120_000),
  WORKER_MAX_ATTEMPTS: intWithDefault(6),
  WORKER_RETRY_BASE_MS: intWithDefault(2_000),
  SEND_CONFIRM_WAIT_S: intWithDefault(120),
  TENANT_CONTEXT_MAX_AGE_S: intWithDefault(600),
  TENANT_CONTEXT_CACHE_MB: intWithDefault(256),
  SMTP_URL: optionalString,
  ESCALATION_FROM: optionalString,
  METRICS_TOKEN: optionalString,
  AUTH_FAILURE_BURST: intWithDefault(20),
  AUTH_FAILURE_WINDOW_S: intWithDefault(60),
  TRUST_PROXY: optionalString.pipe(trustProxySetting),
  // Where people and Daraja reach this server (https://bot.example.com): dashboard links in escalation
  // notices and setup links, and M-Pesa callback URLs.
  PUBLIC_BASE_URL: optionalString
    .pipe(z.url({ protocol: /^https?$/ }).optional())
    .transform((url) => url?.replace(/\/+$/, '') ?? null),
  // M-Pesa (Daraja) STK push payments.
  MPESA_BASE_URL: z.string().url().default('https://api.safaricom.co.ke'),
  MPESA_QUERY_AFTER_S: intWithDefault(60),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof envSchema>) {
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.DATA_DIR,
    wordVectorsFile:
      env.WORD_VECTORS === 'off' ? null : (env.WORD_VECTORS_FILE ?? path.join(env.DATA_DIR, 'word-vectors.bin')),
    webhookVerifyToken: env.WEBHOOK_VERIFY_TOKEN ?? null,
    appSecret: env.WHATSAPP_APP_SECRET ?? null,
    webhook: {
      // Only ever set explicitly (development): never inferred from the peer address, which behind
      // a reverse proxy on the same host is loopback for every request.
      allowUnsigned: env.ALLOW_UNSIGNED_WEBHOOKS === 'true',
      maxItems: Math.max(1, env.WEBHOOK_MAX_ITEMS),
      // Failed signatures one client address may send per AUTH_FAILURE_WINDOW_S before it gets 429
      // unchecked (a forgery costs one HMAC per distinct tenant secret); 0 turns the refusing off.
      signatureFailures: {
        burst: env.WEBHOOK_SIGNATURE_FAILURE_BURST,
        windowMs: Math.max(1, env.AUTH_FAILURE_WINDOW_S) * 1000,
      },
    },
    http: {
      // Whole request (headers and body) and headers alone: a client sending a byte now and then
      // cannot hold a connection open. Node needs the headers limit not above the request limit.
      requestTimeoutMs: Math.max(1, env.HTTP_REQUEST_TIMEOUT_MS),
      headersTimeoutMs: Math.max(1, Math.min(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS)),
    },
    encryptionKeys: env.ENCRYPTION_KEYS ?? env.ENCRYPTION_KEY ?? null,
    adminApiToken: env.ADMIN_API_TOKEN ?? null,
    defaultBrandId: env.DEFAULT_BRAND_ID ?? null,
    graph: {
      baseUrl: env.GRAPH_API_BASE_URL.replace(/\/+$/, ''),
      version: env.GRAPH_API_VERSION,
      timeoutMs: env.GRAPH_API_TIMEOUT_MS,
    },
    media: {
      maxBytes: Math.max(1, env.MEDIA_MAX_BYTES),
      downloadTimeoutMs: Math.max(1, env.MEDIA_DOWNLOAD_TIMEOUT_MS),
      // Customers' documents are read in a worker thread within these limits (the customer is told
      // when a file is too big or too complex); pages and characters bound what reaches the AI.
      documents: {
        timeoutMs: Math.max(100, env.DOCUMENT_PARSE_TIMEOUT_MS),
        maxMemoryMb: Math.max(32, env.DOCUMENT_PARSE_MAX_MEMORY_MB),
        maxPages: Math.max(1, env.DOCUMENT_MAX_PAGES),
        maxChars: Math.max(100, env.DOCUMENT_MAX_TEXT_CHARS),
      },
      allowedHosts: env.MEDIA_ALLOWED_HOSTS,
      // "model" or "provider:model"; null: only tenants whose own model reads images see pictures.
      visionModel: env.AI_VISION_MODEL ?? null,
      // "none" or "off" turns voice transcription off for every tenant.
      transcriptionModel: /^(?:|none|off)$/i.test(env.AI_TRANSCRIPTION_MODEL.trim())
        ? null
        : env.AI_TRANSCRIPTION_MODEL.trim(),
    },
    ai: {
      timeoutMs: env.AI_TIMEOUT_MS,
      prices: { ...DEFAULT_AI_PRICES, ...env.AI_PRICES },
      baseUrls: {
        openai: env.OPENAI_BASE_URL,
        openrouter: env.OPENROUTER_BASE_URL,
        huggingface: env.HUGGINGFACE_BASE_URL,
      },
      keys: {
        ...(env.OPENAI_API_KEY ? { openai: env.OPENAI_API_KEY } : {}),
        ...(env.OPENROUTER_API_KEY ? { openrouter: env.OPENROUTER_API_KEY } : {}),
        ...(env.HUGGINGFACE_API_KEY ? { huggingface: env.HUGGINGFACE_API_KEY } : {}),
      },
      models: {
        openai: env.OPENAI_MODEL,
        openrouter: env.OPENROUTER_MODEL,
        huggingface: env.HUGGINGFACE_MODEL,
      },
      // The models the server's own keys pay for: the list, plus every model the server itself names
      // (the fallback defaults, the vision and transcription models), so its own choices always run.
      serverAllowedModels: new Set(
        [
          ...env.AI_SERVER_ALLOWED_MODELS.split(','),
          env.OPENAI_MODEL,
          env.OPENROUTER_MODEL,
          env.HUGGINGFACE_MODEL,
          ...(env.AI_VISION_MODEL ? [env.AI_VISION_MODEL] : []),
          ...env.AI_TRANSCRIPTION_MODEL.split(','),
          env.EMBEDDING_MODEL.model,
        ]
          .map((model) => model.trim().replace(/^(?:openai|openrouter|huggingface):/i, ''))
          .filter((model) => model !== '' && !/^(?:none|off)$/i.test(model)),
      ) as ReadonlySet<string>,
    },
    // null: FAQ matching is lexical (and word vectors) only.
    embeddings:
      env.EMBEDDINGS === 'off'
        ? null
        : {
            model: env.EMBEDDING_MODEL,
            // A message waits at most this long for its embedding before the offline score decides.
            timeoutMs: Math.max(1, env.EMBEDDING_TIMEOUT_MS),
            refreshEveryMs: Math.max(1, env.EMBEDDING_REFRESH_S) * 1000,
            minSimilarity: env.EMBEDDING_MIN_SIMILARITY,
          },
    // What a tenant key may set its own limits to (the administrator may set more).
    platformLimits: {
      maxMessagesPerHour: env.PLATFORM_MAX_MESSAGES_PER_HOUR,
      maxMessagesPerUserPerDay: env.PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY,
    },
    singleTenant:
      env.WHATSAPP_ACCESS_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID
        ? { accessToken: env.WHATSAPP_ACCESS_TOKEN, phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID }
        : null,
    worker: {
      // false makes an ingest-only node: it stores webhooks, other processes answer them.
      enabled: env.WORKER_ENABLED === 'true',
      concurrency: Math.max(1, env.WORKER_CONCURRENCY),
      leaseMs: Math.max(1_000, env.WORKER_LEASE_MS),
      maxAttempts: Math.max(1, env.WORKER_MAX_ATTEMPTS),
      retry: { baseMs: Math.max(1, env.WORKER_RETRY_BASE_MS), maxMs: 5 * 60_000 },
      // A part interrupted mid-send with no status webhook naming it after this long is sent once more.
      sendConfirmWaitMs: Math.max(1, env.SEND_CONFIRM_WAIT_S) * 1000,
    },
    tenantContexts: {
      // Contexts are rebuilt when their tenant changes (notifications); this only bounds how long a
      // lost notification could go unseen.
      maxAgeMs: Math.max(1, env.TENANT_CONTEXT_MAX_AGE_S) * 1000,
      // Least recently used tenants are dropped past this estimate (the one in use always stays).
      maxBytes: Math.max(1, env.TENANT_CONTEXT_CACHE_MB) * 1024 * 1024,
    },
    smtpUrl: env.SMTP_URL ?? null,
    escalationFrom: env.ESCALATION_FROM ?? null,
    // Set: GET /metrics needs this bearer token (the health probes stay open).
    metricsToken: env.METRICS_TOKEN ?? null,
    authFailures: {
      // Failed admin API authentications one client address may make per window; 0 turns the throttle off.
      burst: env.AUTH_FAILURE_BURST,
      windowMs: Math.max(1, env.AUTH_FAILURE_WINDOW_S) * 1000,
    },
    trustProxy: env.TRUST_PROXY,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    mpesa: {
      baseUrl: env.MPESA_BASE_URL.replace(/\/+$/, ''),
      // Where Daraja posts results (callback URLs are built under it); unset: payments refuse to start.
      publicBaseUrl: env.PUBLIC_BASE_URL,
      // A payment whose callback has not come this long after its push is asked about (then less and less often).
      queryAfterMs: Math.max(1, env.MPESA_QUERY_AFTER_S) * 1000,
      timeoutMs: 15_000,
    },
  };
}

export const MIN_ADMIN_TOKEN_LENGTH = 32;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError naming every bad setting (never echoing secret values). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const config = toConfig(parsed.data);
  if (config.nodeEnv === 'production') {
    if (!config.appSecret) throw new ConfigError('WHATSAPP_APP_SECRET is required when NODE_ENV=production');
    if (!config.encryptionKeys) throw new ConfigError('ENCRYPTION_KEY is required when NODE_ENV=production');
    // Unset turns administrator access off; a short token could be guessed.
    if (config.adminApiToken !== null && config.adminApiToken.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new ConfigError(
        `ADMIN_API_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters when NODE_ENV=production (it has ${config.adminApiToken.length}); make one with: openssl rand -hex 32`,
      );
    }
    if (config.webhook.allowUnsigned)
      throw new ConfigError(
        'ALLOW_UNSIGNED_WEBHOOKS=true is for development only; it is refused when NODE_ENV=production',
      );
    // Daraja calls back only to https addresses; an http one would carry the payment tokens in clear.
    if (config.mpesa.publicBaseUrl?.startsWith('http://'))
      throw new ConfigError(
        'PUBLIC_BASE_URL must be an https address when NODE_ENV=production (Daraja calls back only to https)',
      );
  }
  return config;
}
