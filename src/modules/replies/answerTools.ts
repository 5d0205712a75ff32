// Functions the AI may call while answering (OpenAI-compatible `tools`), supplied by a feature
// outside the reply module (payments): which to offer for a message, and what to say when called.
import type { AiToolCall, AiToolDefinition } from '../../domain/aiTypes.js';
import type { ReplyJob } from './ports.js';
import type { TenantContext } from './tenantContextCache.js';

export interface AnswerTools {
  /** The functions offered to the AI for this message; [] offers none. */
  offered(job: ReplyJob, context: TenantContext): Promise<AiToolDefinition[]>;
  /** The reply when the AI called any of them (`aiText`: what it wrote beside the call); null keeps the AI's own text. */
  run(job: ReplyJob, context: TenantContext, calls: AiToolCall[], aiText: string): Promise<string | null>;
}
