// What a start without some settings cannot do, one line each, so an operator reading the first
// lines of the log knows which features are off and which setting turns each on. Only setting
// names appear here, never a value.
import type { Config } from './config.js';

/** One warning per unset setting that switches a feature off (or narrows it), in a stable order. */
export function featureWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (!config.adminApiToken) {
    warnings.push(
      "ADMIN_API_TOKEN is not set: administrator access is off (admin API, npm run admin, the dashboard's administrator sign-in); tenant API keys still work",
    );
  }
  if (Object.keys(config.ai.keys).length === 0) {
    warnings.push(
      'none of OPENAI_API_KEY, OPENROUTER_API_KEY, HUGGINGFACE_API_KEY is set: only tenants with an AI key of their own get AI answers; the others get FAQ answers or the apology',
    );
  }
  if (!config.smtpUrl) {
    warnings.push('SMTP_URL is not set: escalations are not emailed (only escalation contacts on WhatsApp are told)');
  }
  if (!config.webhookVerifyToken) {
    warnings.push(
      "WEBHOOK_VERIFY_TOKEN is not set: Meta's webhook verification (GET /webhook) succeeds only for tenants with a webhook_verify_token of their own",
    );
  }
  if (!config.media.visionModel) {
    warnings.push(
      'AI_VISION_MODEL is not set: pictures are read only for tenants whose own model reads images; other customers are told pictures cannot be read yet',
    );
  }
  if (!config.media.transcriptionModel) {
    warnings.push(
      'AI_TRANSCRIPTION_MODEL is "none": voice notes are not transcribed, except for tenants with a transcription_model of their own',
    );
  }
  return warnings;
}
