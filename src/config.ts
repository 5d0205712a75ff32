// The one reader of process.env: every setting is parsed and checked here, once, at start.
import { z } from 'zod';
import { aiPriceTableSchema, DEFAULT_AI_PRICES } from './domain/aiCost.js';
import { DEFAULT_MEDIA_ALLOWED_HOSTS, MediaHostAllowList } from './domain/mediaHostAllowList.js';

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
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"openai:gpt-4o-mini":{"input":0.15,"output":0.6}}' });
      return z.NEVER;
    }
  })
  .pipe(aiPriceTableSchema);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intWithDefault(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  WEBHOOK_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  ENCRYPTION_KEY: optionalString,
  ENCRYPTION_KEYS: optionalString,
  ADMIN_API_TOKEN: optionalString,
  DEFAULT_BRAND_ID: optionalString,
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
  GRAPH_API_TIMEOUT_MS: intWithDefault(10_000),
  MEDIA_MAX_BYTES: intWithDefault(20 * 1024 * 1024),
  MEDIA_DOWNLOAD_TIMEOUT_MS: intWithDefault(30_000),
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
  AI_PRICES: aiPricesSetting,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WORKER_ENABLED: z.enum(['true', 'false']).default('true'),
  WORKER_CONCURRENCY: intWithDefault(32),
  WORKER_LEASE_MS: intWithDefault(120_000),
  WORKER_MAX_ATTEMPTS: intWithDefault(6),
  WORKER_RETRY_BASE_MS: intWithDefault(2_000),
  SMTP_URL: optionalString,
  ESCALATION_FROM: optionalString,
  METRICS_TOKEN: optionalString,
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
    webhookVerifyToken: env.WEBHOOK_VERIFY_TOKEN ?? null,
    appSecret: env.WHATSAPP_APP_SECRET ?? null,
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
      allowedHosts: env.MEDIA_ALLOWED_HOSTS,
      // "model" or "provider:model"; null: only tenants whose own model reads images see pictures.
      visionModel: env.AI_VISION_MODEL ?? null,
      // "none" or "off" turns voice transcription off for every tenant.
      transcriptionModel: /^(?:|none|off)$/i.test(env.AI_TRANSCRIPTION_MODEL.trim()) ? null : env.AI_TRANSCRIPTION_MODEL.trim(),
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
    },
    smtpUrl: env.SMTP_URL ?? null,
    escalationFrom: env.ESCALATION_FROM ?? null,
    // Set: GET /metrics needs this bearer token (the health probes stay open).
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}

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
  }
  return config;
}
