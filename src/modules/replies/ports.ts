// What the reply worker needs from the outside world; adapters implement these.
import type { AiAnswer, AiAttemptFailure, AiTarget, AiToolDefinition, ChatMessage } from '../../domain/aiTypes.js';
import type { SettingsColumns } from '../../domain/tenantSettings.js';

export interface AiAnswerOptions {
  maxTokens: number | null;
  /** Whose call this is: its failures count against this tenant (and key) only. */
  tenantId?: string;
  logContext?: LogContext;
  /** Functions the model may call (payments in the chat); none when absent. */
  tools?: AiToolDefinition[];
}

export interface AiResponder {
  /** Tries each target in order; resolves with the first answer, rejects with AllProvidersFailedError. */
  answer(targets: AiTarget[], messages: ChatMessage[], options: AiAnswerOptions): Promise<AiAnswer>;
}

/** The message a call is made for: adapters put it on every log line they write about that call. */
export interface LogContext {
  tenantId: string;
  messageId: string;
}

export interface WhatsAppCredentials {
  phoneNumberId: string;
  accessToken: string;
}

export interface WhatsAppSender {
  /** Sends one text (at most 4096 characters); rejects with GraphApiError once retries are spent. */
  sendText(
    credentials: WhatsAppCredentials,
    to: string,
    body: string,
    options: { replyToMessageId: string | null; logContext?: LogContext; callbackData?: string },
  ): Promise<{ whatsappMessageId: string }>;
}

/** An inbound message claimed for answering. */
export interface ReplyJob {
  id: string;
  tenantId: string;
  userPhone: string;
  whatsappMessageId: string;
  messageType: string;
  text: string | null;
  /** The message object exactly as Meta sent it (media ids, location, reaction, ...); {} when not kept. */
  whatsapp: Record<string, unknown>;
  /** Claims so far, this one included (a claim whose attempts were spent adds none). */
  attempts: number;
  /** Its previous claim ended without a result (the process died or the lease ran out): it runs
   *  alone, so that if it is what kills the process it takes no other message with it. */
  stranded: boolean;
  /** Stranded after its last allowed attempt: it must be failed, not processed again. */
  attemptsSpent: boolean;
  /** When the message was stored (the answer latency is measured from here). */
  receivedAt: Date;
  /** The reply decided by an earlier attempt, reused so a retry sends the same words. */
  decided: DecidedReply | null;
}

/** handoff: "a person will follow up"; rating: thanks for rating an answer; notice: a fixed text
 *  about the message itself (an image we cannot read, a sticker, an order received, ...). */
export const REPLY_SOURCES = ['faq', 'ai', 'fallback', 'handoff', 'rating', 'notice'] as const;

export interface DecidedReply {
  text: string;
  source: (typeof REPLY_SOURCES)[number];
  trainingDataId: string | null;
  aiModelUsed: string | null;
  templateUsed: string | null;
  /** What went wrong on the way to this reply (every AI provider failed, ...), for error_message. */
  error: string | null;
  /** Set when the AI chain was asked (an AI answer, or the apology after it failed): tokens and failed attempts, for analytics. */
  ai?: { usage: AiAnswer['usage']; failures: AiAttemptFailure[] };
}

export interface ClaimOptions {
  leaseMs: number;
  /** WORKER_MAX_ATTEMPTS: a stranded message claimed this many times already comes back spent. */
  maxAttempts: number;
  /** This worker still has messages in flight (a stranded message must not join them). */
  busy: boolean;
}

export interface ReplyQueue {
  /** Claims up to `limit` due messages, at most one per conversation, each leased for `leaseMs`;
   *  each claim counts an attempt. A stranded message is claimed alone and only when not `busy`;
   *  while one waits, nothing else is claimed. */
  claim(limit: number, options: ClaimOptions): Promise<ReplyJob[]>;
  /** Puts claimed-but-unfinished messages back (graceful shutdown). */
  release(ids: string[]): Promise<void>;
}

export interface TrainingRow {
  id: string;
  dataType: string;
  question: string;
  answer: string;
  priority: number;
  confidenceScore: number;
  /** Alternative wordings of the question; a message matching one gets this row's answer. */
  variants?: string[];
}

export interface TenantConfiguration {
  tenant: {
    id: string;
    name: string;
    isActive: boolean;
    phoneNumberId: string | null;
    accessToken: string | null;
    aiProvider: string | null;
    aiModel: string | null;
    aiApiKey: string | null;
    /** The administrator lets the server's AI keys pay for this tenant (server_ai_allowed). */
    serverAiAllowed: boolean;
    metadata: Record<string, unknown>;
  };
  template: {
    name: string;
    systemPrompt: string | null;
    tone: string | null;
    maxResponseLength: number | null;
    /** Reaches the AI prompt: the spec's "previous conversation summary". */
    conversationContext: Record<string, unknown>;
    /** Its `instructions` reach the AI prompt: the spec's "custom instructions". */
    metadata: Record<string, unknown>;
  } | null;
  training: TrainingRow[];
  /** As stored; the worker reads TenantContext.settings, parsed once from these. */
  settings: SettingsColumns;
}

export interface ConversationTurn {
  direction: 'inbound' | 'outbound';
  text: string;
}

export type OutboundPartState = 'sending' | 'sent' | 'failed';

/** Sent with Meta's id; failed with the error; or unconfirmed when a crash hid whether Meta got it. */
export type OutboundPartResult = { whatsappMessageId: string } | { error: string } | { unconfirmed: string };

/** One tenant's data, as the worker sees it; every method is scoped to that tenant. */
export interface TenantReplyStore {
  loadConfiguration(): Promise<TenantConfiguration | null>;
  /** Recent turns of this customer's conversation, oldest first, excluding `beforeLogId` itself. */
  recentConversation(userPhone: string, beforeLogId: string, limit: number): Promise<ConversationTurn[]>;
  /** Records the decided reply; with `firstPart`, also writes outbound part 0 as `sending` in the
   *  same statement and resolves with that part's row id (null without `firstPart`). */
  saveDecision(
    inboundId: string,
    reply: DecidedReply,
    firstPart?: { job: ReplyJob; text: string },
  ): Promise<string | null>;
  /** Parts already written for this inbound message, by part index. */
  outboundParts(inboundId: string): Promise<Map<number, OutboundPartState>>;
  /** Writes (or re-arms a failed) outbound part as `sending`, before the Graph call; resolves with
   *  its row id, which goes to Meta as biz_opaque_callback_data so a status webhook can confirm it. */
  beginOutboundPart(job: ReplyJob, partIndex: number, text: string, reply: DecidedReply): Promise<string>;
  finishOutboundPart(inboundId: string, partIndex: number, result: OutboundPartResult): Promise<void>;
  /** What a message without typed text turned out to say (a voice note's transcript, an edit's new
   *  text), kept as its body so the conversation history and the log show it. */
  rememberUnderstoodText(inboundId: string, text: string): Promise<void>;
  /** Final state of the inbound message: answered, skipped (with why), failed (with error); in
   *  the same statement, marks `sentPart` (the answer's last part, just accepted by Meta) sent and
   *  erases what the tenant's log policy says from the message and its outbound rows. */
  completeInbound(
    inboundId: string,
    status: 'answered' | 'skipped' | 'failed',
    note: string | null,
    options?: CompletionOptions,
  ): Promise<void>;
  /** Transient failure: back to pending, due again after `delayMs`; with `eraseErrors` the error
   *  text is not kept, and earlier ones are erased from its outbound rows. */
  retryInbound(inboundId: string, delayMs: number, error: string, eraseErrors?: boolean): Promise<void>;
}

export interface CompletionOptions {
  erase?: { bodies: boolean; errors: boolean };
  sentPart?: { index: number; whatsappMessageId: string };
}

export interface TenantStores {
  forTenant(tenantId: string): TenantReplyStore;
}
