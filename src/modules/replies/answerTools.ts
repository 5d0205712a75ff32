// Functions the AI may call while answering (OpenAI-compatible `tools`), supplied by a feature
// outside the reply module (payments): which to offer for a message, and what to say when called.
import type { AiToolCall, AiToolDefinition } from '../../domain/aiTypes.js';
import type { Turn } from './turn.js';

export interface AnswerTools {
  /** The functions offered to the AI for this message; [] offers none. */
  offered(turn: Turn): Promise<AiToolDefinition[]>;
  /** The reply when the AI called any of them (`aiText`: what it wrote beside the call); null keeps the AI's own text. */
  run(turn: Turn, calls: AiToolCall[], aiText: string): Promise<string | null>;
}
