// The tenant's handoff and training texts from bot_control_settings.metadata, each with a default;
// a malformed value falls back to the default instead of stopping replies.
import { z } from 'zod';

export const DEFAULT_HANDOFF_MESSAGE = 'A member of our team will follow up with you here shortly.';
export const DEFAULT_TRAINING_PROMPT = 'Did this help? Reply 👍 or 👎';
export const DEFAULT_RATING_THANKS = 'Thank you for your feedback!';
export const DEFAULT_HANDOFF_HOURS = 24;

const text = z.string().trim().min(1).max(1000);

const careSettingsSchema = z.object({
  handoff_message: text.catch(DEFAULT_HANDOFF_MESSAGE),
  handoff_hours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .catch(DEFAULT_HANDOFF_HOURS),
  training_prompt: text.catch(DEFAULT_TRAINING_PROMPT),
  rating_thanks: text.catch(DEFAULT_RATING_THANKS),
  // An approved template for the notice to escalation_phone, which is usually outside the 24-hour window.
  escalation_template: z
    .object({ name: text, language: text.default('en') })
    .nullable()
    .catch(null),
});

export type CareSettings = z.infer<typeof careSettingsSchema>;

export function careSettingsOf(metadata: Record<string, unknown>): CareSettings {
  return careSettingsSchema.parse(metadata);
}
