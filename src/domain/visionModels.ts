// Which models read pictures, and which targets to ask when a customer's message carries one.
// Names arrive bare ("gpt-4o-mini"), with an organisation ("openai/gpt-4o-mini" on OpenRouter,
// "Qwen/Qwen2.5-VL-7B-Instruct" on HuggingFace) and with a variant (":free"); all are recognised.
import { isAiProviderName } from './aiTypes.js';
import type { AiProviderName, AiTarget } from './aiTypes.js';

// Members of vision families that only hear, speak, search or embed.
const NOT_VISION = /(?:^|[-_.])(?:audio|realtime|transcribe|tts|embedding|whisper|dall-e|moderation)(?:[-_.]|$)/;

const VISION_FAMILIES: RegExp[] = [
  /^gpt-4o(?:$|[-_.:])/,
  /^gpt-4\.1(?:$|[-_.:])/,
  /^gpt-4\.5(?:$|[-_.:])/,
  /^gpt-4-turbo(?:$|[-_.:])/,
  /^gpt-5(?:$|[-_.:])/,
  // o1, o3 and o4-mini read images; o1-mini, o1-preview and o3-mini do not.
  /^o1(?:$|-\d{4}-\d{2}-\d{2}|-pro)/,
  /^o3(?:$|-\d{4}-\d{2}-\d{2}|-pro)/,
  /^o4-mini(?:$|[-_.:])/,
  /^claude-(?:3|4|sonnet-4|opus-4|haiku-4)/,
  /^gemini-(?!pro$|1\.0-pro$|embedding)/,
  /^llama-4(?:$|[-_.:])/,
  /^(?:bak)?llava/,
  /^pixtral/,
  /^internvl/,
  /^minicpm-v/,
  /^glm-4(?:\.\d+)?v/,
  /^grok-4(?:$|[-_.:])/,
  /^(?:idefics|smolvlm|paligemma|moondream)/,
  // qwen2.5-vl-72b-instruct, llama-3.2-11b-vision-instruct, phi-3.5-vision, phi-4-multimodal ...
  /(?:^|[-_.])(?:vision|vl|vlm|multimodal)(?:[-_.:]|$)/,
];

/** True when the model accepts images along with text. */
export function readsImages(model: string): boolean {
  const name = baseName(model);
  if (name === '' || NOT_VISION.test(name)) return false;
  return VISION_FAMILIES.some((family) => family.test(name));
}

export interface ModelChoice {
  /** Set when the setting named one ("openrouter:qwen/qwen2.5-vl-72b-instruct"). */
  provider: AiProviderName | null;
  model: string;
}

/** "model" or "provider:model"; a colon that does not follow a provider we know is part of the model. */
export function parseModelChoice(value: string): ModelChoice | null {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon > 0 ? trimmed.slice(0, colon).trim().toLowerCase() : '';
  if (isAiProviderName(prefix)) {
    const model = trimmed.slice(colon + 1).trim();
    return model === '' ? null : { provider: prefix, model };
  }
  return trimmed === '' ? null : { provider: null, model: trimmed };
}

/**
 * The targets to ask about a picture, in order: with a vision model chosen, that model on its
 * provider (the tenant's provider when none is named) with the key the chain would use there;
 * then every other target whose own model reads images. Empty when nothing can read it.
 */
export function visionTargets(targets: AiTarget[], visionModel: string | undefined): AiTarget[] {
  const choice = visionModel === undefined ? null : parseModelChoice(visionModel);
  if (choice === null) return targets.filter((target) => readsImages(target.model));
  const provider = choice.provider ?? targets[0]?.provider;
  const base = targets.find((target) => target.provider === provider);
  const chosen = base ? [{ ...base, model: choice.model }] : [];
  return [...chosen, ...targets.filter((target) => target !== base && readsImages(target.model))];
}

function baseName(model: string): string {
  const lower = model.trim().toLowerCase();
  const last = lower.slice(lower.lastIndexOf('/') + 1);
  // OpenRouter variants (":free", ":beta") say nothing about what the model reads.
  return last.replace(/:[a-z-]+$/, '');
}
