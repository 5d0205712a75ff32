// The admin API's request and response shapes. They validate every request and, through
// jsonSchemaTransform, are the OpenAPI document at /docs. Bodies are strict: an unknown field is
// an error, not silently dropped. Response schemas also strip anything a view did not mean to show.
import { z } from 'zod';
import { AI_PROVIDERS } from '../../domain/aiTypes.js';

/** PostgreSQL refuses NUL in text and jsonb; refusing it here makes it a 400 instead of a 500. */
const noNul = (value: string) => !value.includes('\u0000');

export const text = (max: number) => z.string().max(max).refine(noNul, 'must not contain NUL characters');
const required = (max: number) => z.string().trim().min(1).max(max).refine(noNul, 'must not contain NUL characters');

const phone = z
  .string()
  .max(32)
  .regex(/^\+?[0-9 ()-]+$/, 'must be a phone number: an optional +, then digits, spaces, dashes or parentheses')
  .refine((v) => {
    const digits = v.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 20;
  }, 'must have 7 to 20 digits');

const METADATA_MAX_BYTES = 16 * 1024;
const metadata = z
  .record(z.string(), z.unknown())
  .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= METADATA_MAX_BYTES, 'must be at most 16 KB as JSON')
  .refine((v) => !JSON.stringify(v).includes('\\u0000'), 'must not contain NUL characters')
  // Fallback keys are secrets: they go through credentials, encrypted, never in clear metadata.
  .refine((v) => !('fallback_keys' in v), 'fallback_keys is set through credentials, not metadata')
  // The server marks the tenant it makes from WHATSAPP_PHONE_NUMBER_ID; any tenant marked through the
  // API would send with the server's own WhatsApp token and could take the unrouted messages.
  .refine(
    (v) => v['source'] !== 'environment',
    'source "environment" marks the server\'s environment tenant and is not set through the API',
  );

const secret = text(4096).min(1);
const secretChange = secret.nullable().optional();

export const credentialChanges = z.strictObject({
  whatsapp_access_token: secretChange,
  ai_api_key: secretChange,
  whatsapp_app_secret: secretChange,
  fallback_keys: z
    .strictObject({ openai: secretChange, openrouter: secretChange, huggingface: secretChange })
    .optional(),
  // Daraja (M-Pesa): the app's consumer key and secret, and the Lipa na M-Pesa Online passkey.
  mpesa_consumer_key: secretChange,
  mpesa_consumer_secret: secretChange,
  mpesa_passkey: secretChange,
});

const tenantFields = {
  client_name: required(255),
  client_phone: phone,
  brand_id: text(255).nullable(),
  whatsapp_phone_number_id: text(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .nullable(),
  whatsapp_business_account_id: text(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .nullable(),
  ai_provider: z.enum(AI_PROVIDERS).nullable(),
  ai_model: text(255).nullable(),
  is_active: z.boolean(),
  server_ai_allowed: z
    .boolean()
    .describe("Administrator only: AI calls may be paid with the server's keys (only with AI_SERVER_ALLOWED_MODELS)"),
  webhook_verify_token: text(255).min(8).nullable(),
  webhook_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
  metadata,
};

const atLeastOneField = (body: object) => Object.keys(body).length > 0;

export const newTenantBody = z
  .strictObject(tenantFields)
  .partial()
  .required({ client_name: true, client_phone: true })
  .extend({ credentials: credentialChanges.optional() });

export const tenantPatchBody = z
  .strictObject(tenantFields)
  .partial()
  .refine(atLeastOneField, 'give at least one field to change');
export const credentialsBody = credentialChanges.refine(
  atLeastOneField,
  'give at least one credential to set or clear',
);
export const newApiKeyBody = z.strictObject({ name: required(255) });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const tenantListQuery = pageQuery.extend({
  q: text(255).optional().describe('Part of the client name, or digits of the phone'),
});

// Ids are plain strings here: a malformed id answers 404 like any missing one (see adminAuth).
export const tenantParams = z.object({ tenantId: z.string().describe('Tenant id (UUID)') });
export const apiKeyParams = tenantParams.extend({ keyId: z.string().describe('API key id (UUID)') });

const maskedSecret = z.object({ set: z.boolean(), last4: z.string().nullable() });
export const credentialsView = z.object({
  whatsapp_access_token: maskedSecret,
  ai_api_key: maskedSecret,
  whatsapp_app_secret: maskedSecret,
  fallback_keys: z.object({ openai: maskedSecret, openrouter: maskedSecret, huggingface: maskedSecret }),
  mpesa_consumer_key: maskedSecret,
  mpesa_consumer_secret: maskedSecret,
  mpesa_passkey: maskedSecret,
});

export const tenantView = z.object({
  id: z.string(),
  client_name: z.string(),
  client_phone: z.string(),
  brand_id: z.string().nullable(),
  whatsapp_phone_number_id: z.string().nullable(),
  whatsapp_business_account_id: z.string().nullable(),
  ai_provider: z.string().nullable(),
  ai_model: z.string().nullable(),
  is_active: z.boolean(),
  is_verified: z.boolean(),
  server_ai_allowed: z.boolean(),
  webhook_verify_token: z.string().nullable().describe('"[set]" or null; the token itself is never shown'),
  webhook_url: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  credentials: credentialsView,
  created_at: z.string(),
  updated_at: z.string(),
});

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export const apiKeyList = z.object({ data: z.array(apiKeyView) });
export const createdApiKey = apiKeyView.extend({
  key: z.string().describe('The key itself: shown this once, never again'),
});

export const auditEntryView = z.object({
  id: z.string(),
  actor: z.string().describe('"admin" or "api_key:<prefix>"'),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), page: z.number(), limit: z.number(), total: z.number() });

export const noContent = z.null().describe('Done; no body');

const errorBody = z.object({ error: z.string(), details: z.string() });
/** The error answers every admin route can give, for the OpenAPI document. */
export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
export const conflictResponse = { 409: errorBody };
