// The tenant's FAQ match threshold (faq_threshold in the settings metadata); anything that is not a
// number in (0, 1] reads as the default, so a bad value never stops FAQ answers.
import { z } from 'zod';
import { DEFAULT_FAQ_THRESHOLD } from './faqMatcher.js';

const thresholdSchema = z.coerce.number().gt(0).lte(1);

export function faqThresholdOf(settingsMetadata: Record<string, unknown>): number {
  const threshold = thresholdSchema.safeParse(settingsMetadata['faq_threshold']);
  return threshold.success ? threshold.data : DEFAULT_FAQ_THRESHOLD;
}
