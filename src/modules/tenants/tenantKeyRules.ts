// What a tenant API key may not change, in one place (the README's "What a tenant key may change"
// lists the same). The administrator is held only to the message-time rule on server-paid models.
import { disallowedServerPaidChoices, type TenantAiChoices } from '../../domain/serverAiPolicy.js';
import { AI_PROVIDERS, type AiProviderName } from '../../domain/aiTypes.js';
import { tenantProviderName } from '../../domain/aiFallbackOrder.js';
import { badRequest, forbidden } from './adminErrors.js';
import type { Principal } from './principal.js';
import type { CredentialChanges, TenantFields, TenantView } from './ports.js';

/**
 * Which number a tenant answers, whether it is switched on, whether the server pays for its AI,
 * and the secrets that prove a webhook is Meta's: a tenant key could otherwise claim a number,
 * undo a suspension, spend the server's keys or sign its own traffic.
 */
export const ADMIN_TENANT_FIELDS = [
  'client_phone',
  'whatsapp_phone_number_id',
  'brand_id',
  'is_active',
  'server_ai_allowed',
  'webhook_verify_token',
] as const;
export const ADMIN_CREDENTIALS = ['whatsapp_app_secret'] as const;

/** PLATFORM_MAX_*: the most a tenant key may set its own limits to. */
export interface PlatformLimits {
  maxMessagesPerHour: number;
  maxMessagesPerUserPerDay: number;
}

/** 403 naming every administrator-only field the tenant key tried to set. */
export function refuseAdminFields(principal: Principal, body: object, fields: readonly string[]): void {
  if (principal.kind === 'admin') return;
  const named = fields.filter((field) => (body as Record<string, unknown>)[field] !== undefined);
  if (named.length > 0) throw forbidden(`only the administrator may change ${named.join(', ')}`);
}

/** 400 naming the cap when a tenant key sets a limit above the platform's. */
export function assertWithinPlatformLimits(
  principal: Principal,
  body: { max_messages_per_hour?: number; max_messages_per_user_per_day?: number },
  limits: PlatformLimits,
): void {
  if (principal.kind === 'admin') return;
  const caps = [
    ['max_messages_per_hour', body.max_messages_per_hour, limits.maxMessagesPerHour, 'PLATFORM_MAX_MESSAGES_PER_HOUR'],
    [
      'max_messages_per_user_per_day',
      body.max_messages_per_user_per_day,
      limits.maxMessagesPerUserPerDay,
      'PLATFORM_MAX_MESSAGES_PER_USER_PER_DAY',
    ],
  ] as const;
  for (const [field, value, cap, setting] of caps) {
    // (0 stops every message: below any cap.)
    if (value !== undefined && value > cap) {
      throw badRequest(
        `${field} must be at most ${cap}, the platform's maximum (${setting}); ask the administrator for more`,
      );
    }
  }
}

/**
 * 400 when, after this change, a model the tenant chose would be paid with the server's key and
 * the server does not allow it: picking the model, or clearing the key that paid for it.
 */
export function assertServerPaidModelsAllowed(
  principal: Principal,
  current: TenantView,
  change: { fields?: TenantFields; credentials?: CredentialChanges },
  allowedModels: ReadonlySet<string>,
): void {
  if (principal.kind === 'admin') return;
  const refused = disallowedServerPaidChoices(choicesAfter(current, change), allowedModels);
  if (refused.length === 0) return;
  const named = refused.map((c) => `${c.field} ${c.model} (${c.provider})`).join(', ');
  throw badRequest(
    `${named}: the server's AI keys pay only for ${[...allowedModels].join(', ')}; set your own key for that provider to use another model`,
  );
}

function choicesAfter(
  current: TenantView,
  change: { fields?: TenantFields; credentials?: CredentialChanges },
): TenantAiChoices {
  const fields = change.fields ?? {};
  const credentials = change.credentials ?? {};
  const aiProvider = fields.ai_provider !== undefined ? fields.ai_provider : current.ai_provider;
  const isSet = (now: boolean, changed: string | null | undefined) => (changed === undefined ? now : changed !== null);
  const ownKeyAt = new Set<AiProviderName>();
  const primary = tenantProviderName(aiProvider);
  if (primary !== null && isSet(current.credentials.ai_api_key.set, credentials.ai_api_key)) ownKeyAt.add(primary);
  for (const provider of AI_PROVIDERS) {
    if (isSet(current.credentials.fallback_keys[provider].set, credentials.fallback_keys?.[provider]))
      ownKeyAt.add(provider);
  }
  return {
    aiProvider,
    aiModel: fields.ai_model !== undefined ? fields.ai_model : current.ai_model,
    // A PATCH replaces the metadata.
    metadata: fields.metadata ?? current.metadata,
    ownKeyAt,
  };
}
