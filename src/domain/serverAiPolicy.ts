// When the server's own AI keys (OPENAI_API_KEY ...) may pay for a tenant's call: only for a
// tenant the administrator allowed (server_ai_allowed), and only with a model the server allows
// (AI_SERVER_ALLOWED_MODELS plus the models the server itself names). A tenant's own keys pay
// for whatever it likes.
import { AI_PROVIDERS, type AiProviderName, type AiTarget } from './aiTypes.js';
import { tenantProviderName } from './aiFallbackOrder.js';
import { parseModelChoice } from './visionModels.js';

export interface ServerAiPolicy {
  /** The tenant's server_ai_allowed. */
  allowed: boolean;
  serverKeys: Partial<Record<AiProviderName, string>>;
  allowedModels: ReadonlySet<string>;
}

/**
 * The targets the policy lets through, in order. A target paying with the server's key (by its
 * value, wherever the chain found it) is dropped when the tenant is not allowed or the model is
 * not one the server pays for; the chain then moves on to the next target, and with none left the
 * customer gets the apology. This is the last word at message time, so a row written in SQL
 * cannot get round what the admin API refuses.
 */
export function withinServerPolicy(targets: AiTarget[], policy: ServerAiPolicy): AiTarget[] {
  return targets.filter((target) => {
    if (target.apiKey !== policy.serverKeys[target.provider]) return true;
    return policy.allowed && policy.allowedModels.has(target.model);
  });
}

/** What the tenant's AI choices would be after a change: the model fields and where it has keys of its own. */
export interface TenantAiChoices {
  aiProvider: string | null;
  aiModel: string | null;
  /** Tenant metadata: fallback_models, vision_model, transcription_model. */
  metadata: Record<string, unknown>;
  /** Providers at which the tenant pays with its own key (ai_api_key at its provider, fallback keys). */
  ownKeyAt: ReadonlySet<AiProviderName>;
}

export interface ServerPaidChoice {
  /** The field that names the model, as the API calls it. */
  field: string;
  provider: AiProviderName;
  model: string;
}

/** The models the tenant chose that the server's keys would pay for and the server does not allow. */
export function disallowedServerPaidChoices(
  choices: TenantAiChoices,
  allowedModels: ReadonlySet<string>,
): ServerPaidChoice[] {
  const primary = tenantProviderName(choices.aiProvider);
  const chosen: ServerPaidChoice[] = [];
  const add = (field: string, provider: AiProviderName | null, model: string | null | undefined) => {
    const trimmed = model?.trim();
    if (provider !== null && trimmed) chosen.push({ field, provider, model: trimmed });
  };
  add('ai_model', primary, choices.aiModel);
  const fallbackModels = choices.metadata['fallback_models'];
  if (typeof fallbackModels === 'object' && fallbackModels !== null) {
    for (const provider of AI_PROVIDERS) {
      const model = (fallbackModels as Record<string, unknown>)[provider];
      if (typeof model === 'string') add(`metadata.fallback_models.${provider}`, provider, model);
    }
  }
  const vision = choiceOf(choices.metadata['vision_model']);
  if (vision) add('metadata.vision_model', vision.provider ?? primary ?? 'openai', vision.model);
  const transcription = choices.metadata['transcription_model'];
  if (typeof transcription === 'string') {
    for (const entry of transcription.split(',')) {
      const choice = choiceOf(entry);
      // A bare transcription model runs at OpenAI (see mediaModels).
      if (choice) add('metadata.transcription_model', choice.provider ?? 'openai', choice.model);
    }
  }
  return chosen.filter((c) => !choices.ownKeyAt.has(c.provider) && !allowedModels.has(c.model));
}

function choiceOf(value: unknown): ReturnType<typeof parseModelChoice> {
  if (typeof value !== 'string' || /^\s*(?:none|off)?\s*$/i.test(value)) return null;
  return parseModelChoice(value);
}
