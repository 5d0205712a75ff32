// What a customer's message means for the reply, whatever its kind: text to answer (FAQ, then
// AI), a picture for a vision model, a fixed notice, or nothing to say at all.
import type { ChatImagePart } from '../../domain/aiTypes.js';
import type { DecidedReply } from './ports.js';
import type { Turn } from './turn.js';

export type Understanding =
  /** Answer this text as if the customer had typed it (FAQ first, then AI); a `note` (e.g. "we
   *  can't read pictures yet") goes before the answer. */
  | { kind: 'text'; text: string; note?: string }
  /** Ask the AI directly: the text (caption, question, described location...) with these images.
   *  With images, ask only targets that read them: `visionTargets(targets, model)` from
   *  domain/visionModels.ts, where `model` ("gpt-4o" or "openrouter:qwen/qwen2.5-vl-72b-instruct")
   *  replaces the tenant's ai_model when set. */
  | { kind: 'ai'; text: string; images: ChatImagePart[]; note?: string; model?: string }
  /** Send this reply as it is. */
  | { kind: 'reply'; reply: DecidedReply }
  /** Do not answer; the reason goes to the log and the row. */
  | { kind: 'skip'; reason: string };

export interface MessageUnderstanding {
  understand(turn: Turn): Promise<Understanding>;
}
